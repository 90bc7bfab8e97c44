import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from '../../src/registry/client.js';

// A streamed copy between two registries: when the source stops sending, the error names the
// source, not the registry the bytes were going to.

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const blob = Buffer.alloc(64 * 1024, 7);
const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;

test('a source that stops sending mid-blob is named as the source that stalled', async () => {
  const source = await listen(
    createServer((request, response) => {
      if (!request.url?.includes('/blobs/')) return void response.writeHead(200).end();
      response.writeHead(200, { 'content-length': String(blob.length) });
      response.write(blob.subarray(0, 1024)); // then nothing more
    }),
  );
  const target = await listen(
    createServer((request, response) => {
      if (request.method === 'POST') {
        return void response.writeHead(202, { location: '/v2/b/blobs/uploads/1' }).end();
      }
      if (request.method === 'PUT') return void request.resume(); // reads, answers when it has all
      response.writeHead(200).end();
    }),
  );
  const client = new RegistryClient({ timeoutMs: 400 });
  await expect(client.copyBlob(`${source}/a`, `${target}/b`, digest)).rejects.toThrow(
    `copying the blob ${digest} from ${source}/a to ${target}/b: the source ${source} sent no byte within 400 ms (network-timeout), after 1024 bytes`,
  );
});

test('a source that sends everything: the copy is whole', async () => {
  const source = await listen(
    createServer((request, response) => {
      if (!request.url?.includes('/blobs/')) return void response.writeHead(200).end();
      response.writeHead(200, { 'content-length': String(blob.length) }).end(blob);
    }),
  );
  const received: Buffer[] = [];
  const target = await listen(
    createServer((request, response) => {
      if (request.method === 'POST') {
        return void response.writeHead(202, { location: '/v2/b/blobs/uploads/1' }).end();
      }
      if (request.method === 'PUT') {
        request.on('data', (chunk: Buffer) => received.push(chunk));
        return void request.on('end', () => response.writeHead(201).end());
      }
      response.writeHead(200).end();
    }),
  );
  const client = new RegistryClient({ timeoutMs: 400 });
  expect(await client.copyBlob(`${source}/a`, `${target}/b`, digest)).toBe(blob.length);
  expect(Buffer.concat(received).equals(blob)).toBe(true);
});
