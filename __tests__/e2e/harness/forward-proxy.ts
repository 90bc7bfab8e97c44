import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** One request a forward proxy got: a CONNECT tunnel or a request with an absolute URI. */
export interface ForwardedRequest {
  kind: 'connect' | 'http';
  /** `host:port` as the client asked for it (before the proxy's own name resolution). */
  target: string;
  /** The HTTP method (`CONNECT` for a tunnel). */
  method: string;
  /** The absolute URI of an `http` request; '' for a tunnel. */
  url: string;
  /** Proxy-Authorization, as sent (a test proxy may check it). */
  proxyAuthorization: string;
}

/** Options of {@link startForwardProxy}. */
export interface ForwardProxyOptions {
  /** Names the proxy resolves itself (`results.e2e.test` -> `127.0.0.1`): hosts the client cannot resolve. */
  hosts?: Record<string, string>;
}

/** A forward HTTP proxy on 127.0.0.1, as on a self-hosted runner behind a corporate proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:PORT`, the value of HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  port: number;
  /** Every request, in order. */
  requests: ForwardedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts a forward proxy: requests with an absolute URI (`GET http://host:port/path`) are
 * forwarded, bodies streamed; `CONNECT host:port` opens a TCP tunnel. Host names in
 * `options.hosts` are resolved by the proxy (the client never resolves them, as with a real
 * proxy); others are connected to as given. A request that is not a proxy request (a path
 * without a host) gets 400: whoever sent it did not mean to talk to a proxy.
 */
export async function startForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: ForwardedRequest[] = [];
  const sockets = new Set<Socket>();
  const resolve = (host: string): string => options.hosts?.[host.toLowerCase()] ?? host;
  const record = (req: IncomingMessage, kind: 'connect' | 'http', target: string): void => {
    requests.push({
      kind,
      target,
      method: req.method ?? '',
      url: kind === 'http' ? (req.url ?? '') : '',
      proxyAuthorization: String(req.headers['proxy-authorization'] ?? ''),
    });
  };

  const server = createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end('forward proxy: not a proxy request (no absolute URI)');
      return;
    }
    const port = target.port || '80';
    record(req, 'http', `${target.hostname}:${port}`);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: resolve(target.hostname),
        port: Number(port),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`forward proxy: ${error.message}`);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    record(req, 'connect', target);
    const colon = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(colon + 1)), resolve(target.slice(0, colon)));
    sockets.add(client);
    sockets.add(upstream);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      if (client.writable) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      close();
    });
    client.on('error', close);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', done);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stop: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
