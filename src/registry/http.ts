import type * as http from 'node:http';
import { proxyFor } from './proxy.js';
import { Readable } from 'node:stream';

// Node's fetch loads the undici bundled in Node at its first call: about 25 ms of the step's
// time and 25 MB of its peak memory, for the handful of small requests this action makes (the
// registry checks, the artifact upload). This is fetch for those requests, on node:http, loaded
// at the first request (the post step sends none). It answers what the callers use: status,
// statusText, ok, url, redirected, headers (get, has, iteration), text(), json(), arrayBuffer(),
// bytes() and body.cancel(). Bodies are strings or bytes; redirects are followed as fetch does.
// Requests honour HTTPS_PROXY, HTTP_PROXY and NO_PROXY as docker does (src/registry/proxy.ts).
// A blob copy streams instead: a request body may be a web ReadableStream, and with
// `stream: true` in the init the answer's body is a web ReadableStream, never buffered.

interface Transports {
  'http:': typeof import('node:http');
  'https:': typeof import('node:https');
}
let loaded: Transports | undefined;

async function transports(): Promise<Transports> {
  loaded ??= { 'http:': await import('node:http'), 'https:': await import('node:https') };
  return loaded;
}

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

type Body = string | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | null | undefined;

/** The init of a streamed request: the answer's body is a stream, not buffered. */
export interface StreamInit extends RequestInit {
  stream?: boolean;
}

/** Response headers as fetch gives them: case-insensitive, repeated ones joined with `, `. */
class ResponseHeaders implements Iterable<[string, string]> {
  private readonly map = new Map<string, string>();

  constructor(raw: http.IncomingHttpHeaders) {
    for (const [name, value] of Object.entries(raw)) {
      if (value !== undefined) this.map.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this) callback(value, name);
  }

  entries(): IterableIterator<[string, string]> {
    return [...this.map.entries()].sort(([a], [b]) => a.localeCompare(b))[Symbol.iterator]();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

class NodeResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: ResponseHeaders;
  readonly type = 'basic';
  bodyUsed = false;
  private readonly content: Promise<Buffer>;
  private streamed: ReadableStream<Uint8Array> | undefined;

  constructor(
    private readonly message: http.IncomingMessage,
    readonly url: string,
    readonly redirected: boolean,
    signal: AbortSignal | undefined,
    private readonly noBody: boolean,
    private readonly stream = false,
  ) {
    this.status = message.statusCode ?? 0;
    this.ok = this.status >= 200 && this.status < 300;
    this.statusText = message.statusMessage ?? '';
    this.headers = new ResponseHeaders(message.headers);
    if (stream) {
      this.content = Promise.reject(new TypeError('nodeFetch: a streamed body is read as body'));
      this.content.catch(() => undefined);
      return;
    }
    this.content = new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      message.on('data', (chunk: Buffer) => chunks.push(chunk));
      message.on('end', () => resolve(Buffer.concat(chunks)));
      message.on('close', () => {
        if (message.complete) return;
        reject(
          signal?.aborted ? aborted(signal) : new TypeError('terminated: the connection closed'),
        );
      });
    });
    // Nobody may read a body (a HEAD, a cancelled one): its failure is not an unhandled rejection.
    this.content.catch(() => undefined);
  }

  /** The body is read once, as with fetch. */
  private read(): Promise<Buffer> {
    if (this.bodyUsed) return Promise.reject(new TypeError('Body is unusable: already read'));
    this.bodyUsed = true;
    return this.content;
  }

  get body(): { cancel(): Promise<void> } {
    if (this.stream) {
      this.streamed ??= webStream(this.message);
      return this.streamed;
    }
    return {
      cancel: async () => {
        this.bodyUsed = true;
        // A small rest of the body (an error text, a HEAD answer) is read to the end, which keeps
        // the connection for the next request; a large one is dropped with its connection.
        const length = Number(this.message.headers['content-length'] ?? Infinity);
        if (this.message.complete || this.noBody || length <= 65_536) {
          await this.content.catch(() => undefined);
        } else {
          this.message.destroy();
        }
      },
    };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.read();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  }

  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.arrayBuffer());
  }

  async text(): Promise<string> {
    return (await this.read()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }
}

/**
 * The answer's body as a web stream that reads from the socket only as fast as it is consumed
 * (a few chunks ahead at most), so a large blob never piles up in memory.
 */
function webStream(message: http.IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        message.pause();
        message.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          if ((controller.desiredSize ?? 0) <= 0) message.pause();
        });
        message.on('end', () => controller.close());
        message.on('close', () => {
          if (!message.complete)
            controller.error(new TypeError('terminated: the connection closed'));
        });
      },
      pull() {
        message.resume();
      },
      cancel() {
        message.destroy();
      },
    },
    { highWaterMark: 4 },
  );
}

function requestHeaders(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  const pairs =
    Array.isArray(init) || Symbol.iterator in init
      ? (init as Iterable<[string, string]>)
      : Object.entries(init as Record<string, string | undefined>);
  for (const [name, value] of pairs) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

/** Why a signal aborted: its reason (a TimeoutError for AbortSignal.timeout), as fetch rejects. */
function aborted(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  // By its name, not its class: an AbortSignal of another realm (a vm context) has other classes.
  return typeof (reason as Error | undefined)?.name === 'string'
    ? (reason as Error)
    : new DOMException('This operation was aborted', 'AbortError');
}

function bodyBytes(body: unknown): Buffer | Readable | undefined {
  if (body === null || body === undefined) return undefined;
  if (body instanceof ReadableStream) return Readable.fromWeb(body as never);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.length);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new TypeError('nodeFetch: the body must be a string or bytes');
}

// One agent per protocol and proxy URL: Node's own proxy support (http.Agent's `proxyEnv`,
// Node 24.5+; CONNECT tunnels for https), given the proxy that proxyFor chose with docker's
// rules. A direct request uses the default agent.
const proxyAgents = new Map<string, http.Agent>();

function agentFor(modules: Transports, url: URL): http.Agent | undefined {
  const proxy = proxyFor(url, process.env);
  if (!proxy) return undefined;
  const key = `${url.protocol} ${proxy}`;
  let agent = proxyAgents.get(key);
  if (!agent) {
    const variable = url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    const options = { keepAlive: true, proxyEnv: { [variable]: proxy } };
    agent =
      url.protocol === 'https:'
        ? new modules['https:'].Agent(options)
        : new modules['http:'].Agent(options);
    proxyAgents.set(key, agent);
  }
  return agent;
}

function send(
  modules: Transports,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: Buffer | Readable | undefined,
  signal: AbortSignal | undefined,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const transport =
      url.protocol === 'https:' || url.protocol === 'http:' ? modules[url.protocol] : null;
    if (!transport) {
      return reject(
        new TypeError('fetch failed', {
          cause: new Error(`${url.protocol} URLs are not supported`),
        }),
      );
    }
    const agent = agentFor(modules, url);
    // Through a proxy, plain http is read by the proxy and whatever sits on its way.
    if (agent && url.protocol === 'http:' && headers.authorization) {
      const proxy = new URL(proxyFor(url, process.env));
      return reject(
        new Error(
          `credentials for ${url.host} are not sent over plain http through the proxy ${proxy.host}; put ${url.hostname} in NO_PROXY if the registry is reachable directly, or serve it over https`,
        ),
      );
    }
    const request = transport.request(url, { method, headers, ...(agent ? { agent } : {}) });
    let answer: http.IncomingMessage | undefined;
    // Before the answer, an abort fails the request; after it, the body (as with fetch).
    const abort = (): void => {
      if (answer) answer.destroy();
      else {
        request.destroy();
        reject(aborted(signal));
      }
    };
    signal?.addEventListener('abort', abort, { once: true });
    request.on('response', (message) => {
      answer = message;
      message.on('close', () => signal?.removeEventListener('abort', abort));
      resolve(message);
    });
    request.on('error', (error) => {
      if (answer) return;
      signal?.removeEventListener('abort', abort);
      // fetch's form: a TypeError whose cause has the system error's code (ECONNREFUSED, ...).
      reject(signal?.aborted ? aborted(signal) : new TypeError('fetch failed', { cause: error }));
    });
    if (body instanceof Readable) {
      body.on('error', (error) => request.destroy(error));
      body.pipe(request);
    } else {
      request.end(body);
    }
  });
}

/**
 * `fetch` on node:http and node:https, for string and byte bodies (see the top of this file).
 * Network errors reject as fetch's do (a TypeError whose `cause` has the `code`), an abort with
 * the signal's reason (a TimeoutError for AbortSignal.timeout).
 */
export const nodeFetch = (async (input: string | URL, init: RequestInit = {}) => {
  const modules = await transports();
  if (typeof input !== 'string' && !(input instanceof URL)) {
    throw new TypeError('nodeFetch: the input must be a URL or a string');
  }
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  const headers = requestHeaders(init.headers);
  headers['user-agent'] ??= 'build-tag-push';
  let body = bodyBytes(init.body as Body);
  const signal = init.signal ?? undefined;
  const redirect = init.redirect ?? 'follow';

  for (let redirects = 0; ; redirects++) {
    // A streamed body is sent with the Content-Length the caller gave, else chunked.
    if (body instanceof Readable) {
      if (redirects > 0) throw new TypeError('nodeFetch: a streamed body cannot follow a redirect');
    } else if (body) headers['content-length'] = String(body.length);
    else if (['POST', 'PUT', 'PATCH'].includes(method)) headers['content-length'] = '0';
    else delete headers['content-length'];
    const message = await send(modules, url, method, headers, body, signal);
    const location = message.headers.location;
    if (redirect === 'manual' || !REDIRECTS.has(message.statusCode ?? 0) || !location) {
      const noBody = method === 'HEAD' || [204, 304].includes(message.statusCode ?? 0);
      return new NodeResponse(
        message,
        url.href,
        redirects > 0,
        signal,
        noBody,
        (init as StreamInit).stream === true,
      ) as unknown as Response;
    }
    message.destroy();
    if (redirect === 'error' || redirects >= MAX_REDIRECTS) {
      throw new TypeError('fetch failed', {
        cause: new Error(
          redirect === 'error'
            ? `redirected to ${location}`
            : `more than ${MAX_REDIRECTS} redirects`,
        ),
      });
    }
    const next = new URL(location, url);
    // As fetch: 303, and 301/302 after a POST, go on as a GET without the body; credentials
    // are not sent to another origin.
    if (
      message.statusCode === 303 ||
      (method === 'POST' && message.statusCode !== 307 && message.statusCode !== 308)
    ) {
      if (method !== 'HEAD') method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    if (next.origin !== url.origin) {
      delete headers.authorization;
      delete headers.cookie;
      delete headers['proxy-authorization'];
    }
    url = next;
  }
}) as typeof fetch;
