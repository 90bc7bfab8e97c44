// What a registry answer or a network failure means: the status in words, the registry's errors, the answer kept for a retry.
import { oneLine } from '../untrusted.js';
import type { Credentials } from '../docker/config.js';
import { classifyNetworkError, type Failure } from '../retry.js';

/** What an error status means for `registry`, naming the user the credentials were for. */
export function statusMeaning(
  registry: string,
  status: number,
  credentials: Credentials | undefined,
): string {
  if (status === 401 || status === 403) {
    return credentials
      ? `${registry} refused the credentials for "${credentials.username}"`
      : `no credentials were given for ${registry}; add it to registry-auth`;
  }
  if (status === 404) return `${registry} has no such manifest or repository`;
  return `${registry} answered an error`;
}

/** The `errors` of a registry's JSON error answer, shortened. */
export function registryErrors(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    if (Array.isArray(parsed.errors)) {
      return oneLine(
        parsed.errors
          .map((e) =>
            [e.code, e.message].filter((part) => typeof part === 'string' && part).join(' '),
          )
          .filter(Boolean)
          .join('; ')
          .slice(0, 300),
      );
    }
  } catch {
    // Not JSON: fall through to the plain text.
  }
  return oneLine(text.slice(0, 200));
}

/** A transient HTTP answer, thrown inside the retry loop and given back as the answer when retries run out. */
export class RetryableAnswer extends Error {
  constructor(
    readonly response: Response,
    readonly failure: Failure,
  ) {
    super(failure.reason);
  }
}

/** The failure an error carries for the retry loop (a network error's, a stream's); else permanent. */
export function failureOf(error: unknown): Failure {
  return (error as { failure?: Failure }).failure ?? { kind: 'permanent', reason: String(error) };
}

/**
 * The error of a request that got no answer: a timeout names the network-timeout bound, any
 * other failure the address it could not reach. It carries the failure for the retry loop.
 */
export function networkError(
  error: unknown,
  what: string,
  url: string,
  scheme: string,
  timeoutMs: number,
): Error {
  const host = new URL(url).host;
  const failure = classifyNetworkError(error);
  // fetch rejects with a DOMException (TimeoutError) on timeout: checked by name, not by class.
  const { name, message, cause } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (name === 'TimeoutError' || name === 'AbortError') {
    const limit = `${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`} (network-timeout)`;
    return Object.assign(new Error(`${what}: ${host} did not answer within ${limit}`), {
      failure: { ...failure, reason: `${host} did not answer within ${limit}` },
    });
  }
  const causeMessage = (cause as { message?: unknown } | undefined)?.message;
  const reason = typeof causeMessage === 'string' ? causeMessage : String(message ?? error);
  return Object.assign(new Error(`${what}: cannot reach ${scheme}://${host} (${reason})`), {
    failure,
  });
}
