/** Docker Hub's OIDC token exchange: the job's ID token for a short-lived Docker Hub access token. */
import * as core from '@actions/core';
import { nodeFetch } from './http.js';
import {
  classifyNetworkError,
  classifyStatus,
  NO_RETRY,
  withRetry,
  type Failure,
  type RetryPolicy,
} from '../retry.js';

/** What the token exchange needs (src/inputs/dockerhub-oidc.ts reads it from the environment). */
export interface DockerHubOidc {
  /** DOCKERHUB_OIDC_CONNECTIONID: the Docker Hub OIDC connection (a UUID). */
  connectionId: string;
  /** DOCKERHUB_OIDC_EXPIREIN: lifetime of the access token asked for, in seconds. */
  expiresIn: number;
  /** The audience of the job's ID token (`https://identity.docker.com`). */
  audience: string;
  /** Where the ID token is exchanged (`https://identity.docker.com/oauth/token`). */
  tokenUrl: string;
}

export interface ExchangeOptions {
  /** Bound of the ID token request and of each exchange attempt (the `network-timeout` input). */
  timeoutMs: number;
  /** Retries of a transient failure (429 with its Retry-After, 5xx, a lost connection). */
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The job's ID token for an audience; the runner's token service (core.getIDToken) by default. */
  idToken?: (audience: string) => Promise<string>;
  fetch?: typeof fetch;
}

/** The form of RFC 8693's token exchange, as Docker's identity service takes it. Pure. */
export function exchangeForm(oidc: DockerHubOidc, idToken: string): string {
  return new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    subject_token: idToken,
    connection_id: oidc.connectionId,
    expires_in: String(oidc.expiresIn),
  }).toString();
}

/**
 * What the identity service said about a refused exchange, in one short line: its OAuth
 * `error` and `error_description` (or `message`/`detail`), else the start of its text; never
 * `idToken`. Pure.
 */
export function refusalDetail(body: string, idToken: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const parts = ['error', 'error_description', 'message', 'detail']
      .map((key) => parsed?.[key])
      .filter((value): value is string => typeof value === 'string' && value !== '');
    if (parts.length > 0) text = parts.join(': ');
  } catch {
    // Not JSON: the text as it is.
  }
  if (idToken) text = text.split(idToken).join('***');
  text = text.replace(/\s+/g, ' ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** The access token of a 2xx answer's body, or why there is none. Pure. */
export function accessTokenOf(body: string): string | Error {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return new Error('the answer is not JSON');
  }
  const token = (parsed as { access_token?: unknown } | null)?.access_token;
  if (typeof token !== 'string' || token === '') {
    return new Error('the answer has no access_token');
  }
  return token;
}

/**
 * Exchanges the job's ID token for a Docker Hub access token, masked as soon as it is read.
 * Errors name the connection and what to check; they never hold a token.
 */
export async function dockerHubToken(
  oidc: DockerHubOidc,
  username: string,
  options: ExchangeOptions,
): Promise<string> {
  const what = `Docker Hub OIDC login as ${username} (DOCKERHUB_OIDC_CONNECTIONID ${oidc.connectionId})`;
  const getIdToken = options.idToken ?? ((audience: string) => core.getIDToken(audience));
  let idToken: string;
  try {
    idToken = await bounded(getIdToken(oidc.audience), options.timeoutMs);
  } catch (error) {
    throw new Error(
      `${what} failed: the job's OIDC token (audience ${oidc.audience}) could not be had: ${error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error)}; expected \`permissions: id-token: write\` on the job`,
    );
  }
  const fetcher = options.fetch ?? nodeFetch;
  const service = new URL(oidc.tokenUrl).host;
  return await withRetry(
    async () => {
      let answer: Response;
      try {
        answer = await fetcher(oidc.tokenUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: exchangeForm(oidc, idToken),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        const failure = classifyNetworkError(error);
        throw withFailure(new Error(`${what} failed: ${service}: ${failure.reason}`), failure);
      }
      const body = await answer.text();
      if (!answer.ok) {
        const failure = classifyStatus(answer.status, answer.headers.get('retry-after'));
        const detail = refusalDetail(body, idToken);
        const check =
          failure.kind === 'transient'
            ? ''
            : `; check that the OIDC connection's ruleset allows this repository, ref and workflow, and that username (${username}) is the Docker Hub organization of the connection`;
        throw withFailure(
          new Error(
            `${what} failed: ${service} refused the token exchange: ${failure.reason}${detail ? `: ${detail}` : ''}${check}`,
          ),
          failure,
        );
      }
      const token = accessTokenOf(body);
      if (token instanceof Error) {
        throw withFailure(new Error(`${what} failed: ${service}: ${token.message}`), {
          kind: 'permanent',
          reason: token.message,
        });
      }
      core.setSecret(token);
      return token;
    },
    {
      policy: options.retry ?? NO_RETRY,
      what,
      classify: (error) =>
        (error as { failure?: Failure }).failure ?? { kind: 'permanent', reason: String(error) },
      log: (line) => core.info(line),
      sleep: options.sleep,
    },
  );
}

function withFailure(error: Error, failure: Failure): Error {
  return Object.assign(error, { failure });
}

/** `promise`, or a rejection after `timeoutMs` (the `network-timeout` input). */
async function bounded<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${timeoutMs / 1000} s (network-timeout)`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
