// The registry client against a real CNCF distribution registry with htpasswd auth: an image
// pushed by `docker buildx build --push`, its digest read back, a tag added by manifest copy.
import { build } from '../../src/docker/build.js';
import { buildxArgs } from '../../src/docker/buildx-args.js';
import { createDockerConfig, credentialsFromConfig } from '../../src/docker/config.js';
import { login, logout } from '../../src/docker/login.js';
import { sha256 } from '../../src/oci/manifest.js';
import { RegistryClient } from '../../src/registry/client.js';
import {
  containerdStore,
  freePort,
  makeContext,
  makeTempDir,
  removeTempDirs,
  startRegistry,
  type Registry,
} from './harness/index.js';
import { buildxPlan as plan } from '../fixtures/buildx-plan.js';

const USER = 'alice';
const PASSWORD = 'e2e-Pa55word-registry';

let registry: Registry;
let dockerConfig: string;
let image: string;
let digest: string;

beforeAll(async () => {
  registry = await startRegistry({ user: USER, password: PASSWORD });
  image = `${registry.url}/team/app`;
  const temp = await makeTempDir('docker-config');
  dockerConfig = createDockerConfig({ tempRoot: temp, userConfigDir: `${temp}/no-user-config` });
  await login([{ registry: registry.url, username: USER, password: PASSWORD }], dockerConfig);

  const context = await makeContext({ 'hello.txt': `registry test ${Date.now()}\n` });
  const p = plan(context.dir, { tags: [`${image}:1.0.0`], push: true, labels: ['test=registry'] });
  const result = await build(buildxArgs(p), {
    dockerConfig,
    metadataFile: p.metadataFile,
    iidFile: p.iidFile,
  });
  digest = result.digest;
});

afterAll(async () => {
  if (dockerConfig) await logout(dockerConfig, registry ? [registry.url] : []);
  await registry?.stop();
  await removeTempDirs();
});

function client(password = PASSWORD): RegistryClient {
  return new RegistryClient({
    credentials: (host) => (host === registry.url ? { username: USER, password } : undefined),
  });
}

test('the build reported the digest the registry serves', async () => {
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(await registry.manifestDigest('team/app', '1.0.0')).toBe(digest);
});

test('manifestDigest: the digest of a tag, undefined for a missing tag', async () => {
  const c = client();
  expect(await c.manifestDigest(image, '1.0.0')).toBe(digest);
  expect(await c.manifestDigest(image, 'no-such-tag')).toBeUndefined();
});

test('the credentials docker login stored in the action config are the ones the client uses', async () => {
  const c = new RegistryClient({ credentials: credentialsFromConfig(dockerConfig) });
  expect(await c.manifestDigest(image, '1.0.0')).toBe(digest);
});

test('getManifest + putManifest add a tag with the same digest and media type', async () => {
  const c = client();
  const manifest = await c.getManifest(image, digest);
  expect(sha256(manifest.body)).toBe(digest);
  // The classic store pushes a Docker manifest; the containerd store an OCI index with the
  // provenance attestation buildx adds there by default.
  expect(manifest.mediaType).toBe(
    containerdStore()
      ? 'application/vnd.oci.image.index.v1+json'
      : 'application/vnd.docker.distribution.manifest.v2+json',
  );

  expect(await c.putManifest(image, 'latest', manifest)).toBe(digest);
  expect(await c.manifestDigest(image, 'latest')).toBe(digest);
  const served = await registry.manifest('team/app', 'latest');
  expect(served?.digest).toBe(digest);
  expect(served?.mediaType).toBe(manifest.mediaType);
  expect(await registry.tags('team/app')).toEqual(['1.0.0', 'latest']);
});

test('a wrong password: a clear 401 error naming registry, tag and user, never the password', async () => {
  const wrong = 'wrong-Pa55word-xyz';
  const error = (await client(wrong)
    .manifestDigest(image, '1.0.0')
    .catch((e: unknown) => e)) as Error;
  expect(error).toBeInstanceOf(Error);
  expect(error.message).toBe(
    `reading the digest of ${image}:1.0.0: ${registry.url} refused the credentials for "${USER}" (HTTP 401)`,
  );
  expect(error.message).not.toContain(wrong);
  expect(error.message).not.toContain(PASSWORD);

  const put = (await client(wrong)
    .putManifest(image, 'nope', {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      body: Buffer.from('{}'),
      digest,
    })
    .catch((e: unknown) => e)) as Error;
  expect(put.message).toContain(
    `tagging ${image}:nope: ${registry.url} refused the credentials for "${USER}" (HTTP 401)`,
  );
  expect(await registry.tags('team/app')).not.toContain('nope');
});

test('no credentials: the registry requires a login', async () => {
  await expect(new RegistryClient().manifestDigest(image, '1.0.0')).rejects.toThrow(
    `no credentials were given for ${registry.url}; add it to registry-auth`,
  );
});

test('nothing listens: cannot reach, within the timeout', async () => {
  const closed = `127.0.0.1:${await freePort()}/app`;
  await expect(new RegistryClient({ timeoutMs: 5000 }).manifestDigest(closed, 'x')).rejects.toThrow(
    /cannot reach http:\/\/127\.0\.0\.1:\d+|did not answer/,
  );
});
