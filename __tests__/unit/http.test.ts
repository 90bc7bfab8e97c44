import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nodeFetch } from '../../src/registry/http.js';

// nodeFetch stands in for fetch in the registry client and the artifact upload: every case runs
// against Node's own fetch too, and both must behave alike.

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  port: number;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<{ base: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
        port: request.socket.remotePort ?? 0,
      });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const servers: Server[] = [];
async function start(handler: Handler): Promise<{ base: string; seen: Seen[] }> {
  const started = await serve(handler);
  servers.push(started.server);
  return started;
}
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe.each([
  ['fetch', globalThis.fetch],
  ['nodeFetch', nodeFetch],
])('%s', (_, fetch) => {
  test('a GET: status, case-insensitive headers, repeated ones joined, JSON body', async () => {
    const { base } = await start((_, response) => {
      response.writeHead(200, 'Fine', [
        ['Content-Type', 'application/json'],
        ['Docker-Content-Digest', 'sha256:abc'],
        ['X-Many', 'a'],
        ['X-Many', 'b'],
      ]);
      response.end('{"ok":true}');
    });
    const response = await fetch(`${base}/v2/app/manifests/1.0`);
    expect([response.status, response.ok, response.statusText]).toEqual([200, true, 'Fine']);
    expect(response.headers.get('docker-content-digest')).toBe('sha256:abc');
    expect(response.headers.get('DOCKER-CONTENT-DIGEST')).toBe('sha256:abc');
    expect(response.headers.get('x-many')).toBe('a, b');
    expect(response.headers.get('absent')).toBeNull();
    expect(response.headers.has('content-type')).toBe(true);
    expect([...response.headers].map(([name]) => name)).toEqual(
      [...response.headers].map(([name]) => name).sort(),
    );
    expect(await response.json()).toEqual({ ok: true });
    // (TypeErrors of another realm than jest's: compared by name.)
    await expect(response.text()).rejects.toMatchObject({ name: 'TypeError' });
  });

  test('a PUT sends the bytes with their length; a 201 without a body reads as empty', async () => {
    const { base, seen } = await start((_, response) => {
      response.writeHead(201, { 'Docker-Content-Digest': 'sha256:def' });
      response.end();
    });
    const body = new Uint8Array(Buffer.from('{"schemaVersion":2}'));
    const response = await fetch(`${base}/v2/app/manifests/latest`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/vnd.oci.image.manifest.v1+json',
        Authorization: 'Basic x',
      },
      body,
    });
    expect(response.status).toBe(201);
    expect(await response.text()).toBe('');
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      body: '{"schemaVersion":2}',
      headers: {
        'content-length': '19',
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        authorization: 'Basic x',
      },
    });
  });

  test('a HEAD, and a cancelled body', async () => {
    const { base } = await start((request, response) => {
      response.writeHead(request.method === 'HEAD' ? 200 : 401, { 'Content-Length': '2' });
      response.end(request.method === 'HEAD' ? undefined : 'no');
    });
    const head = await fetch(`${base}/a`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    await head.body?.cancel();
    const denied = await fetch(`${base}/b`);
    expect([denied.status, denied.ok]).toEqual([401, false]);
    await denied.body?.cancel();
    const again = await fetch(`${base}/c`);
    expect(await again.text()).toBe('no');
  });

  test('redirects: 307 keeps the method and body, 303 becomes a GET, credentials stay on their origin', async () => {
    const other = await start((_, response) => response.end('elsewhere'));
    const { base, seen } = await start((request, response) => {
      if (request.url === '/temporary') {
        response.writeHead(307, { Location: '/kept' });
      } else if (request.url === '/see-other') {
        response.writeHead(303, { Location: `${other.base}/moved` });
      } else {
        response.writeHead(200);
      }
      response.end(request.url);
    });
    const kept = await fetch(`${base}/temporary`, {
      method: 'PUT',
      headers: { Authorization: 'Basic s3cret' },
      body: 'data',
    });
    expect([kept.status, kept.redirected, kept.url]).toEqual([200, true, `${base}/kept`]);
    expect(await kept.text()).toBe('/kept');
    expect(seen[1]).toMatchObject({
      method: 'PUT',
      body: 'data',
      headers: { authorization: 'Basic s3cret' },
    });

    const moved = await fetch(`${base}/see-other`, {
      method: 'PUT',
      headers: { Authorization: 'Basic s3cret' },
      body: 'data',
    });
    expect(await moved.text()).toBe('elsewhere');
    expect(other.seen[0]?.method).toBe('GET');
    expect(other.seen[0]?.body).toBe('');
    expect(other.seen[0]?.headers.authorization).toBeUndefined();

    const manual = await fetch(`${base}/temporary`, { redirect: 'manual' });
    expect(manual.status).toBe(307);
    await manual.body?.cancel();
  });

  test('a refused connection rejects with a TypeError whose cause has the code', async () => {
    const { base, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const error = (await fetch(`${base}/v2/`).catch((e: unknown) => e)) as {
      name: string;
      cause?: { code?: string };
    };
    expect(error.name).toBe('TypeError');
    expect(error.cause?.code).toBe('ECONNREFUSED');
  });

  test('a timeout before the answer, or during the body, rejects with the TimeoutError', async () => {
    const { base } = await start((request, response) => {
      if (request.url === '/body') {
        response.writeHead(200, { 'Content-Length': '100' });
        response.write('partial');
      }
      // no answer, or no end of the body
    });
    const error = (await fetch(`${base}/silent`, { signal: AbortSignal.timeout(50) }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.name).toBe('TimeoutError');

    const response = await fetch(`${base}/body`, { signal: AbortSignal.timeout(100) });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  test('its headers make a Response (as the registry client keeps a retried answer)', async () => {
    const { base } = await start((_, response) => {
      response.writeHead(503, { 'Retry-After': '1' });
      response.end('busy');
    });
    const answer = await fetch(`${base}/v2/`);
    const kept = new Response(await answer.text(), {
      status: answer.status,
      statusText: answer.statusText,
      headers: answer.headers,
    });
    expect([kept.status, kept.headers.get('retry-after'), await kept.text()]).toEqual([
      503,
      '1',
      'busy',
    ]);
  });
});

test('nodeFetch keeps the connection after a HEAD and a cancelled small body', async () => {
  const { base, seen } = await start((request, response) => {
    response.writeHead(request.method === 'HEAD' ? 200 : 401, { 'Content-Length': '2' });
    response.end(request.method === 'HEAD' ? undefined : 'no');
  });
  await (await nodeFetch(`${base}/a`, { method: 'HEAD' })).body?.cancel();
  await (await nodeFetch(`${base}/b`)).body?.cancel();
  await (await nodeFetch(`${base}/c`)).text();
  expect(seen).toHaveLength(3);
  expect(new Set(seen.map((s) => s.port)).size).toBe(1);
});

test('plain http through a proxy: a request with credentials is refused before the proxy sees it; one without goes through', async () => {
  const proxy = await start((_request, response) => response.writeHead(200).end('via proxy'));
  const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
  process.env.HTTP_PROXY = proxy.base;
  delete process.env.NO_PROXY;
  try {
    await expect(
      nodeFetch('http://registry.example:5000/v2/', {
        headers: { authorization: 'Basic dXNlcjpwYXNzd29yZC1zZWNyZXQ=' },
      }),
    ).rejects.toThrow(
      `credentials for registry.example:5000 are not sent over plain http through the proxy ${proxy.base.slice('http://'.length)}; put registry.example in NO_PROXY if the registry is reachable directly, or serve it over https`,
    );
    expect(proxy.seen).toEqual([]);
    const anonymous = await nodeFetch('http://registry.example:5000/v2/');
    expect(await anonymous.text()).toBe('via proxy');
    expect(proxy.seen.map((s) => s.url)).toEqual(['http://registry.example:5000/v2/']);
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
