import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server answers on one path. */
export type Route =
  | { body: string }
  | { file: string }
  | { redirect: string }
  /** Sends the headers, then nothing: a stalled mirror. */
  | { stall: true };

export interface ReleaseServer {
  /** `http://127.0.0.1:<port>`, no trailing slash */
  url: string;
  /** Every request path, in order. */
  requests: string[];
  count(path: string): number;
  close(): Promise<void>;
}

/**
 * A local HTTP server laid out like a GitHub release download tree (or a mirror of one):
 * paths map to bodies, files, redirects or stalls; anything else is a 404.
 */
export async function startReleaseServer(routes: Record<string, Route>): Promise<ReleaseServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    } else if ('redirect' in route) {
      res.writeHead(302, { location: route.redirect }).end();
    } else if ('body' in route) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(route.body);
    } else if ('file' in route) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(route.file).pipe(res);
    } else {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.flushHeaders();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (path) => requests.filter((p) => p === path).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
