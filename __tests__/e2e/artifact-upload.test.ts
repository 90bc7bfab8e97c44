// The action's own artifact upload (src/artifact/upload.ts) against the results-service
// stand-in, and request for request against the real @actions/artifact client, which the
// stand-in was written from (harness.test.ts).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { uploadArtifact } from '../../src/artifact/upload.js';
import {
  removeTempDirs,
  repoRoot,
  runAction,
  startArtifactServer,
  type ArtifactRequest,
  type ArtifactServer,
} from './harness/index.js';

afterAll(removeTempDirs);

// What the harness fixture uploads with the real client (fixture/main.mjs).
const files = [
  { name: 'digest.txt', data: Buffer.from('sha256:0123\n') },
  { name: 'image-digest.json', data: Buffer.from(JSON.stringify({ digest: 'sha256:0123' })) },
];

let server: ArtifactServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** A request as both clients must send it: what differs by design (IDs, zip bytes) left out. */
function wire(request: ArtifactRequest): Record<string, unknown> {
  const { headers } = request;
  const shape: Record<string, unknown> = {
    method: request.method,
    kind: request.kind,
    status: request.status,
    query: Object.keys(request.query).sort(),
    contentType: headers['content-type'],
    authorization: headers.authorization?.replace(/ .*/, ' <token>'),
    msVersion: headers['x-ms-version'],
    blobContentType: headers['x-ms-blob-content-type'],
  };
  if (request.kind === 'block') {
    // Azure's SDK: a UUID and a 12-digit block number, base64.
    shape.blockId = Buffer.from(request.query.blockid ?? '', 'base64')
      .toString()
      .replace(/^[0-9a-f-]{36}/, '<uuid>');
  } else if (request.kind === 'blocklist') {
    shape.body = request.body.toString().replace(/<Latest>[^<]*</, '<Latest>ID<');
  } else {
    const json = JSON.parse(request.body.toString()) as Record<string, unknown>;
    // size and hash describe the zip, whose bytes differ (timestamps): checked against it below.
    if ('size' in json) json.size = '<size>';
    if ('hash' in json) json.hash = '<hash>';
    shape.body = json;
  }
  return shape;
}

test('the same four requests as @actions/artifact, and the same files in the artifact', async () => {
  const real = await startArtifactServer();
  try {
    const run = await runAction({
      actionDir: join(repoRoot, '__tests__', 'e2e', 'harness', 'fixture'),
      inputs: { images: 'a/b', artifact: 'image-digest' },
      env: real.env,
    });
    expect(run.exitCode).toBe(0);
    server = await startArtifactServer();
    const uploaded = await uploadArtifact('image-digest', files, { env: server.env });

    expect(server.requests.map(wire)).toEqual(real.requests.map(wire));
    expect(server.requests.map((r) => `${r.kind} ${r.status}`)).toEqual([
      'CreateArtifact 200',
      'block 201',
      'blocklist 201',
      'FinalizeArtifact 200',
    ]);
    const [ours] = server.uploads;
    const [theirs] = real.uploads;
    expect(ours?.files).toEqual(theirs?.files);
    expect(ours?.mimeType).toBe('application/zip');
    expect(ours?.hash).toBe(ours?.receivedHash);
    expect(ours?.size).toBe(ours?.blob.length);
    expect(uploaded).toEqual({
      id: String(ours?.id),
      size: ours?.blob.length,
      digest: `sha256:${createHash('sha256')
        .update(ours?.blob ?? '')
        .digest('hex')}`,
    });
  } finally {
    await real.stop();
  }
});

test('a refused upload fails at once with the service message; a second one of a name too', async () => {
  server = await startArtifactServer({ failOn: 'CreateArtifact' });
  const started = Date.now();
  await expect(uploadArtifact('image-digest', files, { env: server.env })).rejects.toThrow(
    'CreateArtifact: the results service answered HTTP 403: CreateArtifact refused (failOn)',
  );
  expect(Date.now() - started).toBeLessThan(5000);
  expect(server.uploads).toEqual([]);

  const again = await startArtifactServer();
  try {
    await uploadArtifact('image-digest', files, { env: again.env });
    await expect(uploadArtifact('image-digest', files, { env: again.env })).rejects.toThrow(
      'HTTP 409: an artifact with this name already exists on the workflow run',
    );
  } finally {
    await again.stop();
  }
});

test('a refused block upload names the blob store and its status', async () => {
  server = await startArtifactServer({ failOn: 'upload' });
  await expect(uploadArtifact('image-digest', files, { env: server.env })).rejects.toThrow(
    'block upload: the blob store answered HTTP 403',
  );
});
