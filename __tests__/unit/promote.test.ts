import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import {
  copyImage,
  manifestReferences,
  promoteStep,
  splitTagRef,
  type PromoteRegistry,
} from '../../src/publish/promote.js';
import type { Manifest } from '../../src/oci/manifest.js';
import { RegistryClient } from '../../src/registry/client.js';

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

const digestOf = (body: Buffer | string): string =>
  `sha256:${createHash('sha256').update(body).digest('hex')}`;

function manifestOf(doc: object, mediaType: string): Manifest {
  const body = Buffer.from(JSON.stringify(doc));
  return { mediaType, body, digest: digestOf(body) };
}

/** Registries in memory: repository -> manifests by digest and tag, blobs by digest. */
function memoryRegistry() {
  const repos = new Map<
    string,
    { manifests: Map<string, Manifest>; tags: Map<string, string>; blobs: Map<string, Buffer> }
  >();
  const repo = (image: string) => {
    let found = repos.get(image);
    if (!found) {
      found = { manifests: new Map(), tags: new Map(), blobs: new Map() };
      repos.set(image, found);
    }
    return found;
  };
  const log: string[] = [];
  const registry: PromoteRegistry = {
    manifestDigest: (image, reference) => {
      const r = repo(image);
      return Promise.resolve(
        r.manifests.has(reference) ? reference : (r.tags.get(reference) ?? undefined),
      );
    },
    getManifest: (image, digest) => {
      const found = repo(image).manifests.get(digest);
      if (!found) return Promise.reject(new Error(`${image}@${digest} missing`));
      return Promise.resolve(found);
    },
    putManifest: (image, tag, manifest) => {
      const r = repo(image);
      // A registry refuses a manifest whose parts it does not hold.
      const { blobs, children } = manifestReferences(manifest);
      for (const blob of blobs) if (!r.blobs.has(blob)) throw new Error(`blob ${blob} unknown`);
      for (const child of children)
        if (!r.manifests.has(child)) throw new Error(`manifest ${child} unknown`);
      r.manifests.set(manifest.digest, manifest);
      if (!tag.startsWith('sha256:')) r.tags.set(tag, manifest.digest);
      log.push(`put ${image}:${tag.slice(0, 14)}`);
      return Promise.resolve(manifest.digest);
    },
    blobExists: (image, digest) => Promise.resolve(repo(image).blobs.has(digest)),
    mountBlob: (image, digest, from) => {
      const sameHost = image.split('/')[0] === from.split('/')[0];
      if (!sameHost) return Promise.resolve(false);
      log.push(`mount ${image} ${digest.slice(0, 14)}`);
      repo(image).blobs.set(digest, repo(from).blobs.get(digest)!);
      return Promise.resolve(true);
    },
    copyBlob: (from, to, digest) => {
      log.push(`upload ${to} ${digest.slice(0, 14)}`);
      const content = repo(from).blobs.get(digest)!;
      repo(to).blobs.set(digest, content);
      return Promise.resolve(content.length);
    },
  };
  return { registry, repo, log };
}

/** A two-platform index in `image`, with its blobs; returns the index. */
function seedIndex(repo: ReturnType<typeof memoryRegistry>['repo'], image: string): Manifest {
  const r = repo(image);
  const children = ['amd64', 'arm64'].map((arch) => {
    const config = Buffer.from(`{"architecture":"${arch}"}`);
    const layer = Buffer.from(`layer ${arch}`);
    r.blobs.set(digestOf(config), config);
    r.blobs.set(digestOf(layer), layer);
    const child = manifestOf(
      {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { digest: digestOf(config), size: config.length },
        layers: [
          { digest: digestOf(layer), size: layer.length },
          { digest: 'sha256:foreign', size: 1, urls: ['https://example.com/l'] },
        ],
      },
      'application/vnd.oci.image.manifest.v1+json',
    );
    r.manifests.set(child.digest, child);
    return { child, arch };
  });
  const index = manifestOf(
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: children.map(({ child, arch }) => ({
        digest: child.digest,
        platform: { os: 'linux', architecture: arch },
      })),
    },
    'application/vnd.oci.image.index.v1+json',
  );
  r.manifests.set(index.digest, index);
  r.tags.set('fp-0123456789abcdef', index.digest);
  return index;
}

test('manifestReferences: config and layers, child manifests, foreign layers left out', () => {
  const manifest = manifestOf(
    {
      config: { digest: 'sha256:c' },
      layers: [{ digest: 'sha256:l' }, { digest: 'sha256:f', urls: ['https://x'] }],
    },
    'application/vnd.oci.image.manifest.v1+json',
  );
  expect(manifestReferences(manifest)).toEqual({ blobs: ['sha256:c', 'sha256:l'], children: [] });
  const index = manifestOf({ manifests: [{ digest: 'sha256:a' }, { digest: 'sha256:b' }] }, 'x');
  expect(manifestReferences(index)).toEqual({ blobs: [], children: ['sha256:a', 'sha256:b'] });
});

test('copy to another registry: child manifests after their blobs, blobs uploaded, same digest', async () => {
  const { registry, repo, log } = memoryRegistry();
  const index = seedIndex(repo, 'a.io/acme/app');
  const copied = await copyImage(registry, 'a.io/acme/app', 'b.io/acme/app', index.digest);
  expect(copied.digest).toBe(index.digest);
  expect(log.filter((l) => l.startsWith('upload'))).toHaveLength(4);
  expect(log.filter((l) => l.startsWith('mount'))).toHaveLength(0);
  // The index itself is stored by the tag PUTs that follow, not here.
  expect(repo('b.io/acme/app').manifests.has(index.digest)).toBe(false);
  expect(repo('b.io/acme/app').manifests.size).toBe(2);
  await registry.putManifest('b.io/acme/app', '1.0.0', copied);
  expect(repo('b.io/acme/app').tags.get('1.0.0')).toBe(index.digest);
});

test('copy within one registry mounts the blobs; a repository that has them gets nothing', async () => {
  const { registry, repo, log } = memoryRegistry();
  const index = seedIndex(repo, 'a.io/acme/app');
  await copyImage(registry, 'a.io/acme/app', 'a.io/acme/mirror', index.digest);
  expect(log.filter((l) => l.startsWith('mount'))).toHaveLength(4);
  expect(log.filter((l) => l.startsWith('upload') || l.startsWith('get'))).toEqual([]);
  log.length = 0;
  await copyImage(registry, 'a.io/acme/app', 'a.io/acme/mirror', index.digest);
  expect(log).toEqual([]);
  await copyImage(registry, 'a.io/acme/app', 'a.io/acme/app', index.digest);
  expect(log).toEqual([]);
});

test('promoteStep tags each reference with the found manifest, copying once per repository', async () => {
  const { registry, repo } = memoryRegistry();
  const index = seedIndex(repo, 'a.io/acme/app');
  const step = promoteStep(registry, 'a.io/acme/app', index.digest);
  expect(
    await step(['a.io/acme/app:1.4.0', 'b.io/acme/app:1.4.0', 'b.io/acme/app:sha-1234567']),
  ).toBe(index.digest);
  expect(repo('a.io/acme/app').tags.get('1.4.0')).toBe(index.digest);
  expect(repo('b.io/acme/app').tags.get('sha-1234567')).toBe(index.digest);
  expect(splitTagRef('127.0.0.1:5000/acme/app:fp-1')).toEqual(['127.0.0.1:5000/acme/app', 'fp-1']);
  expect(() => splitTagRef('127.0.0.1:5000/acme/app')).toThrow('has no tag');
});

describe('RegistryClient blob calls', () => {
  function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
    const requests: { method: string; url: string }[] = [];
    const fn = ((input: string | URL | Request, init: RequestInit = {}) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      requests.push({ method: init.method ?? 'GET', url });
      return Promise.resolve(answer(url, init));
    }) as typeof fetch;
    return { fetch: fn, requests };
  }

  test('mountBlob: 201 mounted, 202 declined', async () => {
    for (const [status, mounted] of [
      [201, true],
      [202, false],
    ] as const) {
      const { fetch, requests } = fakeFetch(() => new Response(null, { status }));
      const client = new RegistryClient({ fetch });
      expect(await client.mountBlob('localhost:5000/b', 'sha256:ab', 'localhost:5000/a/x')).toBe(
        mounted,
      );
      expect(requests).toEqual([
        {
          method: 'POST',
          url: 'http://localhost:5000/v2/b/blobs/uploads/?mount=sha256%3Aab&from=a%2Fx',
        },
      ]);
    }
  });

  test('putBlob: opens an upload, PUTs to its Location with the digest', async () => {
    const { fetch, requests } = fakeFetch((_url, init) =>
      init.method === 'POST'
        ? new Response(null, {
            status: 202,
            headers: { Location: '/v2/b/blobs/uploads/u1?_state=s' },
          })
        : new Response(null, { status: 201 }),
    );
    await new RegistryClient({ fetch }).putBlob('localhost:5000/b', 'sha256:ab', Buffer.from('x'));
    expect(requests).toEqual([
      { method: 'POST', url: 'http://localhost:5000/v2/b/blobs/uploads/' },
      {
        method: 'PUT',
        url: 'http://localhost:5000/v2/b/blobs/uploads/u1?_state=s&digest=sha256%3Aab',
      },
    ]);
  });

  test('blobExists and getBlob; a blob whose bytes do not match its digest is refused', async () => {
    const body = Buffer.from('layer');
    const { fetch } = fakeFetch((url, init) =>
      init.method === 'HEAD'
        ? new Response(null, { status: url.endsWith(digestOf(body)) ? 200 : 404 })
        : new Response(body, { status: 200 }),
    );
    const client = new RegistryClient({ fetch });
    expect(await client.blobExists('localhost:5000/b', digestOf(body))).toBe(true);
    expect(await client.blobExists('localhost:5000/b', 'sha256:00')).toBe(false);
    expect(await client.getBlob('localhost:5000/b', digestOf(body))).toEqual(body);
    await expect(client.getBlob('localhost:5000/b', digestOf('other'))).rejects.toThrow(
      'answered with content whose digest is',
    );
  });
});
