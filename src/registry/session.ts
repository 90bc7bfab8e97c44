// One authenticated registry request: the challenge (Basic, Bearer per repository), the token cache, the bound, the retry, credentials only to the registry's origin.
import * as core from '@actions/core';
import { parseWwwAuthenticate, tokenRequest, type Challenge } from './challenge.js';
import { nodeFetch } from './http.js';
import {
  failureOf,
  networkError,
  registryErrors,
  RetryableAnswer,
  statusMeaning,
} from './errors.js';
import type { Credentials } from '../docker/config.js';
import { MANIFEST_TYPES, type Manifest } from '../oci/manifest.js';
import { isLoopbackAddress, type ImageReference } from '../oci/reference.js';
import {
  classifyStatus,
  NO_RETRY,
  retryNoteOf,
  withRetry,
  type RetryOptions,
  type RetryPolicy,
} from '../retry.js';

async function resolveHost(host: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(host, { all: true })).map((entry) => entry.address);
}

export interface SessionOptions {
  /** Credentials for a registry (as in ImageReference.registry); undefined means anonymous. */
  credentials?: (registry: string) => Credentials | undefined;
  /** Bound of every request, token requests included. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Resolves a registry host name (to tell a loopback registry); dns.lookup by default. */
  lookup?: (host: string) => Promise<string[]>;
  /** Retries of a request that met a transient failure (connection refused, 5xx, 429); none by default. */
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export type Access = 'pull' | 'push';

/** An image's repository with its name parsed once: the name as given (for messages) and where it lives. */
export interface Repository {
  readonly image: string;
  readonly ref: ImageReference;
}

/** What a request sends: a manifest (its media type) or bytes of a content type. */
export type Upload = Manifest | { body: Buffer; contentType: string };

/**
 * The requests of one client to the registry HTTP API (distribution v2): anonymous, Basic and
 * Bearer-token auth learnt from the challenges and kept, a bounded timeout on every request,
 * transient failures retried. Errors name the registry and the HTTP status, never a credential.
 */
export class Session {
  readonly timeoutMs: number;
  private readonly credentials: (registry: string) => Credentials | undefined;
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly sleep?: (ms: number) => Promise<void>;
  private readonly authorization = new Map<string, string>();
  /** Hosts that asked for Basic auth: it does not depend on the repository or the access. */
  private readonly basicHosts = new Set<string>();
  /** Answers given back after the retries ran out, with what the error should say about them. */
  private readonly retryNotes = new WeakMap<Response, string>();

  /** Per host: whether docker would speak plain HTTP to it (see {@link local}). */
  private readonly plain = new Map<string, Promise<boolean>>();
  private readonly lookup: (host: string) => Promise<string[]>;

  constructor(options: SessionOptions = {}) {
    this.credentials = options.credentials ?? (() => undefined);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetch = options.fetch ?? nodeFetch;
    // A fetch of the caller's (a test's) has its own hosts: their names are not resolved.
    this.lookup = options.lookup ?? (options.fetch ? () => Promise.resolve([]) : resolveHost);
    this.retry = options.retry ?? NO_RETRY;
    this.sleep = options.sleep;
  }

  /**
   * Learns how the registry of `ref` authenticates: a host that asks for Basic gets the
   * credentials at once, and a Bearer token with the push scope is fetched for the repository.
   * One try, given up when `signal` aborts.
   */
  async warmUp(ref: ImageReference, signal: AbortSignal): Promise<void> {
    await this.local(ref);
    const push = `${ref.apiHost}/${ref.repository}:push`;
    if (this.authorization.has(push) || this.basicHosts.has(ref.apiHost)) return;
    const what = `asking ${ref.registry} how it authenticates`;
    const ping = await this.sendOnce(
      ref,
      what,
      `${ref.scheme}://${ref.apiHost}/v2/`,
      { method: 'GET' },
      signal,
    );
    await ping.body?.cancel();
    if (ping.status !== 401) return;
    const challenge = parseWwwAuthenticate(ping.headers.get('www-authenticate'));
    if (challenge?.scheme === 'basic') {
      if (this.basic(ref.registry)) this.basicHosts.add(ref.apiHost);
      return;
    }
    const authorization = await this.authorize(ref, what, challenge, 'push', signal);
    if (!authorization || signal.aborted) return;
    // A token for pull and push serves the reads too.
    this.authorization.set(push, authorization);
    this.authorization.set(`${ref.apiHost}/${ref.repository}:pull`, authorization);
  }

  /**
   * One request to `path` below `/v2/<repository>/` (or to an absolute URL the registry gave,
   * such as an upload location), authenticated as the registry asks.
   */
  async request(
    ref: ImageReference,
    what: string,
    method: string,
    path: string,
    access: Access,
    upload?: Upload,
    /** Replaces the network-timeout bound (a streamed body is bounded by an idle timer). */
    bound?: AbortSignal,
  ): Promise<Response> {
    await this.local(ref);
    const url = /^https?:\/\//.test(path)
      ? path
      : `${ref.scheme}://${ref.apiHost}/v2/${ref.repository}/${path}`;
    const key = `${ref.apiHost}/${ref.repository}:${access}`;
    const contentType = upload
      ? 'mediaType' in upload
        ? upload.mediaType
        : upload.contentType
      : undefined;
    const send = (authorization: string | undefined): Promise<Response> =>
      this.send(ref, what, url, bound, {
        method,
        headers: {
          ...(contentType
            ? { 'Content-Type': contentType }
            : { Accept: MANIFEST_TYPES.join(', ') }),
          ...(authorization ? { Authorization: authorization } : {}),
        },
        ...(upload ? { body: new Uint8Array(upload.body) } : {}),
        // A request bounded by an idle timer streams its answer (nodeFetch buffers otherwise).
        ...(bound ? { stream: true } : {}),
      });

    // Credentials go only to the registry's own origin: an upload Location on another host, or
    // over plain http where the registry is https, gets none.
    if (new URL(url).origin !== `${ref.scheme}://${ref.apiHost}`) return send(undefined);
    // A host that took Basic credentials gets them at once: no 401 round trip per repository.
    let response = await send(this.known(ref, access));
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate'));
    const authorization = await this.authorize(ref, what, challenge, access);
    if (!authorization) return response;
    this.authorization.set(key, authorization);
    if (challenge?.scheme === 'basic') this.basicHosts.add(ref.apiHost);
    response = await send(authorization);
    return response;
  }

  /**
   * The authorization already learnt for `access` to `ref`'s repository, for a request to `url`
   * that cannot answer a challenge (a streamed body cannot be sent twice); none off its origin.
   */
  authorizationFor(ref: ImageReference, url: string, access: Access): string | undefined {
    return new URL(url).origin === `${ref.scheme}://${ref.apiHost}`
      ? this.known(ref, access)
      : undefined;
  }

  private known(ref: ImageReference, access: Access): string | undefined {
    return (
      this.authorization.get(`${ref.apiHost}/${ref.repository}:${access}`) ??
      (this.basicHosts.has(ref.apiHost) ? this.basic(ref.registry) : undefined)
    );
  }

  /**
   * Sets `ref.scheme` to `http` when docker would speak plain HTTP to the registry: its host is
   * a name that resolves to loopback addresses only (docker's default insecure range is
   * 127.0.0.0/8; `localhost` and loopback IPs are http already). Resolved once per host; a name
   * that does not resolve here (behind a proxy) stays https. Returns `ref`.
   */
  private async local(ref: ImageReference): Promise<ImageReference> {
    if (ref.scheme === 'http') return ref;
    const host = ref.apiHost.replace(/:\d+$/, '');
    if (/^[\d.]+$|^\[/.test(host)) return ref;
    let plain = this.plain.get(host);
    if (!plain) {
      plain = this.lookup(host).then(
        (addresses) => addresses.length > 0 && addresses.every(isLoopbackAddress),
        () => false,
      );
      this.plain.set(host, plain);
    }
    if (await plain) ref.scheme = 'http';
    return ref;
  }

  /** The Basic Authorization header of the registry's credentials; undefined without any. */
  private basic(registry: string): string | undefined {
    const credentials = this.credentials(registry);
    // An identity token is only good for the token service (an OAuth2 refresh token).
    return credentials?.password
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
  }

  /** The Authorization header that answers a challenge, or undefined when there is nothing to try. */
  private async authorize(
    ref: ImageReference,
    what: string,
    challenge: Challenge | undefined,
    access: Access,
    /** For the warm-up: one try, abandoned when this signal aborts. */
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const credentials = this.credentials(ref.registry);
    const basic = this.basic(ref.registry);
    if (challenge?.scheme !== 'bearer') return basic;

    const { url, init, host } = tokenRequest(ref, what, challenge, access, credentials, basic);
    const response = signal
      ? await this.sendOnce(ref, what, url, init, signal)
      : await this.send(ref, what, url, undefined, init);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `${what}: ${statusMeaning(ref.registry, response.status, credentials)} (token request to ${host}, HTTP ${response.status})`,
      );
    }
    const json = (await response.json().catch(() => ({}))) as {
      token?: unknown;
      access_token?: unknown;
    };
    const token = typeof json.token === 'string' ? json.token : json.access_token;
    if (typeof token !== 'string' || !token) {
      throw new Error(
        `${what}: the token service ${host} of ${ref.registry} answered without a token`,
      );
    }
    return `Bearer ${token}`;
  }

  /**
   * One request, retried on a transient failure as the policy says. When retries run out, a
   * transient HTTP answer is returned (the caller turns it into an error) and a network error
   * is thrown.
   */
  private async send(
    ref: ImageReference,
    what: string,
    url: string,
    bound: AbortSignal | undefined,
    init: RequestInit,
  ): Promise<Response> {
    try {
      return await withRetry(
        async () => {
          const response = await this.sendOnce(ref, what, url, init, undefined, bound);
          const failure = classifyStatus(response.status, response.headers.get('retry-after'));
          if (failure.kind !== 'transient') return response;
          // Read now: the answer may be returned after the retries, with its error text.
          const text = await response.text().catch(() => '');
          const kept = new Response(response.status === 204 ? null : text, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
          throw new RetryableAnswer(kept, {
            ...failure,
            reason: `${ref.registry} answered ${failure.reason}`,
          });
        },
        {
          policy: this.retry,
          what,
          classify: (error) =>
            error instanceof RetryableAnswer ? error.failure : failureOf(error),
          log: (line) => core.info(line),
          sleep: this.sleep,
        },
      );
    } catch (error) {
      if (error instanceof RetryableAnswer) {
        const note = retryNoteOf(error);
        if (note) this.retryNotes.set(error.response, note);
        return error.response;
      }
      throw error;
    }
  }

  /** One request, bounded by the network timeout (or by `bound`), not retried. */
  async sendOnce(
    ref: ImageReference,
    what: string,
    url: string,
    init: RequestInit,
    signal?: AbortSignal,
    /** Replaces the network-timeout bound of the whole request. */
    bound?: AbortSignal,
  ): Promise<Response> {
    const timeout = bound ?? AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.fetch(url, {
        ...init,
        redirect: 'follow',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      throw networkError(error, what, url, ref.scheme, this.timeoutMs);
    }
  }

  /** How a streamed transfer is retried: a whole new attempt on a transient failure. */
  streamRetry(what: string): RetryOptions {
    return {
      policy: this.retry,
      what,
      classify: failureOf,
      log: (line) => core.info(line),
      sleep: this.sleep,
    };
  }

  /** The error of an answer that is not what `what` needed: the status in words, the registry's errors, the retries. */
  async failure(ref: ImageReference, what: string, response: Response): Promise<Error> {
    const text =
      response.status === 401 || response.status === 403
        ? ''
        : await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) await response.body?.cancel();
    const detail = registryErrors(text);
    const meaning = statusMeaning(ref.registry, response.status, this.credentials(ref.registry));
    const note = this.retryNotes.get(response);
    return new Error(
      `${what}: ${meaning} (HTTP ${response.status}${detail ? `: ${detail}` : ''}${note ? `; ${note}` : ''})`,
    );
  }
}
