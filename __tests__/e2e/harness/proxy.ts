import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the proxy saw it. */
/**
 * True for a request of the engine (dockerd on the classic store; BuildKit and containerd on the
 * containerd image store) or the docker CLI, false for the action's own registry checks, which
 * send the user agent `build-tag-push`.
 */
export function fromEngine(userAgent: string): boolean {
  return !userAgent.startsWith('build-tag-push');
}

export interface ProxiedRequest {
  method: string;
  path: string;
  userAgent: string;
  /**
   * The status the proxy answered itself, `hung` (no answer), `forwarded`, or `swallowed`
   * (forwarded, the registry's answer never passed on).
   */
  answer: number | 'hung' | 'forwarded' | 'swallowed';
}

/** A request as it arrives, before the proxy decides what to do with it. */
export interface IncomingProxyRequest {
  method: string;
  path: string;
  userAgent: string;
}

/** Answers some requests with an error (or never) instead of forwarding them. */
export interface Fault {
  /** Which requests; default every request. */
  match?: (request: IncomingProxyRequest) => boolean;
  /** The HTTP status answered; ignored with `hang`. */
  status: number;
  /** How many matching requests get the error (default 1; `Infinity` for all). */
  times?: number;
  headers?: Record<string, string>;
  /** The registry error code in the JSON body (default `UNAVAILABLE`; `UNAUTHORIZED` for a 401). */
  code?: string;
  /** Never answer: the connection stays open, silent, until the client gives up or the proxy stops. */
  hang?: boolean;
  /**
   * Forward the request, so the registry applies it, and never pass its answer on: a write that
   * landed and timed out at the client.
   */
  swallow?: boolean;
}

/** Options of {@link startFaultyProxy}. */
export interface FaultyProxyOptions {
  /**
   * Called with every request before it is answered or forwarded, and waited for: a test can
   * kill the registry (or stop the proxy) at the moment a given request arrives.
   */
  onRequest?: (request: IncomingProxyRequest) => void | Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 in front of a registry that fails the requests it is told to. */
export interface FaultyProxy {
  /** `127.0.0.1:PORT`, the registry part of an image name pushed through the proxy. */
  url: string;
  port: number;
  /** Every request, in order. */
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts a reverse proxy on a free port of 127.0.0.1 forwarding to `127.0.0.1:targetPort`
 * (a registry), bodies streamed both ways and the Host header kept (the registry builds its
 * upload Locations from it, so clients keep talking to the proxy). Requests matching a fault
 * are answered with its status (and a registry-style JSON error) until it has been used
 * `times` times; faults are tried in order.
 */
export async function startFaultyProxy(
  targetPort: number,
  faults: Fault[],
  options: FaultyProxyOptions = {},
): Promise<FaultyProxy> {
  const left = faults.map((f) => f.times ?? 1);
  const requests: ProxiedRequest[] = [];
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const seen = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      userAgent: req.headers['user-agent'] ?? '',
    };
    await options.onRequest?.(seen);
    // The hook may have stopped the proxy (a registry that dies): this request dies with it.
    if (req.socket.destroyed) return;
    const index = faults.findIndex((f, i) => left[i] > 0 && (f.match?.(seen) ?? true));
    if (index >= 0) {
      left[index]--;
      const fault = faults[index];
      if (fault.swallow) {
        requests.push({ ...seen, answer: 'swallowed' });
        const upstream = httpRequest(
          {
            host: '127.0.0.1',
            port: targetPort,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => answer.resume(),
        );
        upstream.on('error', () => undefined);
        req.pipe(upstream);
        return;
      }
      req.resume();
      if (fault.hang) {
        requests.push({ ...seen, answer: 'hung' });
        return;
      }
      requests.push({ ...seen, answer: fault.status });
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
      res.end(
        JSON.stringify({
          errors: [{ code: fault.code ?? 'UNAVAILABLE', message: 'injected by the e2e proxy' }],
        }),
      );
      return;
    }
    requests.push({ ...seen, answer: 'forwarded' });
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: targetPort,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(upstream);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `127.0.0.1:${port}`,
    port,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
