// pushByDigest: the push of a builder that cannot run its images (docker-container, remote,
// kubernetes). No tag may be set before the registry holds the tested config digest.
import { jest } from '@jest/globals';
import type { BuildResult } from '../../src/docker/build.js';
import { pushByDigest, type BuildOverrides, type Tested } from '../../src/gate/run.js';
import { sha256, type Manifest, type RegistryClient } from '../../src/registry/client.js';

const testedConfig = `sha256:${'c'.repeat(64)}`;
const otherConfig = `sha256:${'e'.repeat(64)}`;

function manifest(body: object): Manifest {
  const bytes = Buffer.from(JSON.stringify(body));
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    body: bytes,
    digest: sha256(bytes),
  };
}

function tested(): Tested {
  return {
    result: { digest: '', imageId: testedConfig, metadata: '{}', durationMs: 1 },
    configDigest: testedConfig,
    platform: 'linux/amd64',
    report: { result: 'passed', runs: [], configDigest: testedConfig, failure: '' },
  };
}

/** A registry holding `top` (and the manifests it lists); records every call in order. */
function fakeRegistry(top: Manifest, more: Manifest[] = []) {
  const calls: string[] = [];
  const all = new Map([top, ...more].map((m) => [m.digest, m]));
  const registry = {
    getManifest: (image: string, digest: string): Promise<Manifest> => {
      calls.push(`get ${image}@${digest === top.digest ? 'top' : digest}`);
      const found = all.get(digest);
      return found ? Promise.resolve(found) : Promise.reject(new Error(`no ${digest}`));
    },
    putManifest: (image: string, tag: string, m: Manifest): Promise<string> => {
      calls.push(`put ${image}:${tag}`);
      return Promise.resolve(m.digest);
    },
  };
  return { calls, registry: registry as unknown as RegistryClient };
}

function fakeBuild(digest: string) {
  const seen: BuildOverrides[] = [];
  const build = (overrides: BuildOverrides): Promise<BuildResult> => {
    seen.push(overrides);
    return Promise.resolve({ digest, imageId: digest, metadata: '{}', durationMs: 1 });
  };
  return { seen, build };
}

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

const refs = ['r.io/a/app:1.2.3', 'r.io/a/app:sha-1234567', 'localhost:5000/app:1.2.3'];

test('pushes by digest to every image, checks the config, then tags by manifest copy', async () => {
  const image = manifest({ config: { digest: testedConfig }, layers: [] });
  const { calls, registry } = fakeRegistry(image);
  const { seen, build } = fakeBuild(image.digest);
  const pushed = await pushByDigest(tested(), refs, build, registry);
  expect(pushed.digest).toBe(image.digest);
  expect(seen).toEqual([
    {
      tags: [],
      push: false,
      load: false,
      outputs: [
        'type=image,"name=r.io/a/app,localhost:5000/app",push-by-digest=true,name-canonical=true,push=true',
      ],
    },
  ]);
  // Every check comes before the first tag.
  const firstPut = calls.findIndex((c) => c.startsWith('put'));
  expect(calls.slice(firstPut)).toEqual([
    'put r.io/a/app:1.2.3',
    'put r.io/a/app:sha-1234567',
    'put localhost:5000/app:1.2.3',
  ]);
  expect(calls.slice(0, firstPut).every((c) => c.startsWith('get'))).toBe(true);
});

test('a rebuild with another config sets no tag and says why', async () => {
  const image = manifest({ config: { digest: otherConfig }, layers: [] });
  const { calls, registry } = fakeRegistry(image);
  await expect(
    pushByDigest(tested(), refs, fakeBuild(image.digest).build, registry),
  ).rejects.toThrow(
    `r.io/a/app@${image.digest} has the image config ${otherConfig}, not the tested ${testedConfig}: the pushed image is not the tested one`,
  );
  expect(calls.filter((c) => c.startsWith('put'))).toEqual([]);
});

test('a multi-platform index: the runner platform manifest is the one checked', async () => {
  const amd = manifest({ config: { digest: testedConfig }, layers: [] });
  const arm = manifest({ config: { digest: otherConfig }, layers: [] });
  const index = manifest({
    manifests: [
      { digest: arm.digest, platform: { os: 'linux', architecture: 'arm64' } },
      { digest: amd.digest, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  });
  const { calls, registry } = fakeRegistry(index, [amd, arm]);
  const pushed = await pushByDigest(
    tested(),
    refs.slice(0, 1),
    fakeBuild(index.digest).build,
    registry,
  );
  expect(pushed.digest).toBe(index.digest);
  expect(calls).toContain(`get r.io/a/app@${amd.digest}`);
  expect(calls).not.toContain(`get r.io/a/app@${arm.digest}`);
  expect(calls.at(-1)).toBe('put r.io/a/app:1.2.3');
});
