// src/docker on the real engine: the action's own DOCKER_CONFIG, docker login, one buildx build
// pushing the immutable tags to two registries, verification, moving tags by manifest copy,
// build secrets through files only, buildx's error lines, logout.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { build, type BuildResult } from '../../src/docker/build.js';
import { builderDriver } from '../../src/docker/builder.js';
import { buildxArgs, type BuildxPlan } from '../../src/docker/buildx-args.js';
import { createDockerConfig, credentialsFromConfig } from '../../src/docker/config.js';
import { login, logout } from '../../src/docker/login.js';
import { PushError } from '../../src/release/stage.js';
import { releaseOrder, type ImageTags } from '../../src/release/order.js';
import { release, type ReleaseOptions } from '../../src/release/transaction.js';
import { RegistryClient } from '../../src/registry/client.js';
import { removeSecretFiles, writeSecretFiles } from '../../src/docker/secrets.js';
import {
  busyboxDockerfile,
  docker,
  makeContext,
  makeTempDir,
  processListWhile,
  removeTempDirs,
  startRegistry,
  type Registry,
} from './harness/index.js';
import { buildxPlan } from '../fixtures/buildx-plan.js';

function plan(dir: string, change: Partial<BuildxPlan>): BuildxPlan {
  return buildxPlan(dir, {
    metadataFile: join(dir, 'metadata.json'),
    iidFile: join(dir, 'iid'),
    driver,
    ...change,
  });
}

const A = { user: 'alice', password: 'e2e-A-Pa55word' };
const B = { user: 'bob', password: 'e2e-B-Pa55word' };
const SECRET = 'e2e-build-secret-value-4711';
const SYSTEM_BUILDX = '/usr/libexec/docker/cli-plugins/docker-buildx';

let registryA: Registry;
let registryB: Registry;
let temp: string;
let userConfig: string;
let dockerConfig: string;
let driver: string;

function runBuild(p: BuildxPlan): Promise<BuildResult> {
  return build(buildxArgs(p), { dockerConfig, metadataFile: p.metadataFile, iidFile: p.iidFile });
}

beforeAll(async () => {
  [registryA, registryB] = await Promise.all([startRegistry(A), startRegistry(B)]);
  temp = await makeTempDir('docker-engine');
  // A user config dir like a runner's after docker/login-action: it must stay as it is.
  userConfig = join(temp, 'user-docker');
  mkdirSync(userConfig);
  writeFileSync(
    join(userConfig, 'config.json'),
    JSON.stringify({ auths: { 'example.com': { auth: 'eDp5' } } }),
  );
  // A buildx plugin and builder state of the user's (as docker/setup-buildx-action leaves them).
  mkdirSync(join(userConfig, 'cli-plugins'));
  symlinkSync(SYSTEM_BUILDX, join(userConfig, 'cli-plugins', 'docker-buildx'));
  mkdirSync(join(userConfig, 'buildx', 'instances'), { recursive: true });
  dockerConfig = createDockerConfig({ tempRoot: temp, userConfigDir: userConfig });
  await login(
    [
      { registry: registryA.url, username: A.user, password: A.password },
      { registry: registryB.url, username: B.user, password: B.password },
    ],
    dockerConfig,
  );
  driver = await builderDriver(dockerConfig, '');
});

afterAll(async () => {
  await registryA?.stop();
  await registryB?.stop();
  await removeTempDirs();
});

test('docker buildx runs with the fresh DOCKER_CONFIG; the default builder is found', async () => {
  const result = await docker(['buildx', 'version'], { env: { DOCKER_CONFIG: dockerConfig } });
  expect(result.stdout).toMatch(/buildx/);
  expect(readlinkSync(join(dockerConfig, 'cli-plugins', 'docker-buildx'))).toBe(
    join(userConfig, 'cli-plugins', 'docker-buildx'),
  );
  expect(driver).toBe('docker');
});

test('a wrong password: login fails naming registry and user, never the password', async () => {
  const wrong = 'wrong-e2e-Pa55word';
  const error = (await login(
    [{ registry: registryA.url, username: A.user, password: wrong }],
    dockerConfig,
  ).catch((e: unknown) => e)) as Error;
  expect(error.message).toMatch(
    new RegExp(`^login to ${registryA.url} as alice failed: .*401|unauthorized`, 'i'),
  );
  expect(error.message).not.toContain(wrong);
});

/** The release options of a first release 2.1.1: every moving tag is new, so it moves. */
const forward: ReleaseOptions = {
  move: {
    ours: { version: '2.1.1', revision: 'abc1234abc1234abc1234abc1234abc1234abc12' },
    force: false,
    ancestry: () => Promise.resolve('unknown'),
  },
};

test('one build, immutable tags to both registries, verified, then moving tags copied with the same digest', async () => {
  const context = await makeContext({ 'version.txt': `${Date.now()}\n` });
  const images: ImageTags[] = [registryA, registryB].map((r) => ({
    image: `${r.url}/acme/app`,
    tags: [
      { name: '2.1.1', moving: false },
      { name: '2.1', moving: true },
      { name: '2', moving: true },
      { name: 'latest', moving: true },
      { name: 'sha-abc1234', moving: false },
    ],
  }));
  const order = releaseOrder(images, 'build-tag-push-1-1');
  const client = new RegistryClient({ credentials: credentialsFromConfig(dockerConfig) });
  let built: BuildResult | undefined;
  const report = await release(
    order,
    {
      build: async (refs) => {
        // Before the build pushes, no tag exists anywhere.
        expect(await registryA.tags('acme/app')).toEqual([]);
        built = await runBuild(
          plan(context.dir, {
            tags: refs,
            push: true,
            labels: ['org.opencontainers.image.version=2.1.1'],
            annotations: ['manifest:org.opencontainers.image.version=2.1.1'],
          }),
        );
        // The build pushed only the immutable tags.
        expect(await registryA.tags('acme/app')).toEqual(['2.1.1', 'sha-abc1234']);
        expect(await registryB.tags('acme/app')).toEqual(['2.1.1', 'sha-abc1234']);
        return built.digest;
      },
      registry: client,
    },
    forward,
  );

  expect(built?.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(built?.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(JSON.parse(built?.metadata ?? '{}')).toMatchObject({
    'containerimage.digest': built?.digest,
  });
  expect(report.digest).toBe(built?.digest);
  for (const r of [registryA, registryB]) {
    expect(await r.tags('acme/app')).toEqual(['2', '2.1', '2.1.1', 'latest', 'sha-abc1234']);
    for (const tag of ['2', '2.1', '2.1.1', 'latest', 'sha-abc1234']) {
      expect(await r.manifestDigest('acme/app', tag)).toBe(built?.digest);
    }
    expect((await r.imageConfig('acme/app', 'latest'))?.config).toMatchObject({
      Labels: { 'org.opencontainers.image.version': '2.1.1' },
    });
  }
  expect(report.images.map((i) => i.pushed)).toEqual([
    ['2.1.1', 'sha-abc1234', '2.1', '2', 'latest'],
    ['2.1.1', 'sha-abc1234', '2.1', '2', 'latest'],
  ]);
});

test('a registry that refuses the push: the build fails, no moving tag is touched anywhere', async () => {
  const context = await makeContext({ 'version.txt': `refused ${Date.now()}\n` });
  // Registry B is reached under a name the action has no login for, through the same port.
  const unknown = `localhost:${registryB.port}/acme/other`;
  const order = releaseOrder(
    [
      {
        image: `${registryA.url}/acme/other`,
        tags: [
          { name: '1.0.0', moving: false },
          { name: 'latest', moving: true },
        ],
      },
      {
        image: unknown,
        tags: [
          { name: '1.0.0', moving: false },
          { name: 'latest', moving: true },
        ],
      },
    ],
    'build-tag-push-1-1',
  );
  const client = new RegistryClient({ credentials: credentialsFromConfig(dockerConfig) });
  const error = (await release(
    order,
    {
      build: async (refs) => (await runBuild(plan(context.dir, { tags: refs, push: true }))).digest,
      registry: client,
    },
    forward,
  ).catch((e: unknown) => e)) as PushError;
  expect(error).toBeInstanceOf(PushError);
  expect(error.message).toMatch(
    /docker buildx build failed \(exit code 1\):\n[\s\S]*(401|unauthorized|authorization|credentials)/i,
  );
  // Its tag cannot be read without a login: unknown, never "pushed".
  expect(error.message).toContain(
    `${unknown}: pushed nothing; unknown (the registry could not be read) 1.0.0; not pushed latest`,
  );
  // The build pushed to A before B refused: reported, unverified; no moving tag anywhere.
  expect(error.message).toContain(
    `${registryA.url}/acme/other: pushed nothing; in the registry, not verified 1.0.0; not pushed latest`,
  );
  expect(await registryA.tags('acme/other')).toEqual(['1.0.0']);
  expect(await registryB.tags('acme/other')).not.toContain('latest');
});

test('build secrets reach RUN --mount only through 0600 files, never a command line', async () => {
  const context = await makeContext({
    Dockerfile: busyboxDockerfile(
      'RUN --mount=type=secret,id=token wc -c < /run/secrets/token > /token-length',
    ),
  });
  const secretsDir = join(temp, 'secrets');
  const secrets = writeSecretFiles([{ id: 'token', value: SECRET }], [], secretsDir);
  const p = plan(context.dir, {
    tags: [`${registryA.url}/acme/secret:1`],
    push: true,
    secrets,
    noCache: true,
  });
  const { result, commandLines, samples } = await processListWhile(() => runBuild(p));
  expect(samples).toBeGreaterThan(1);
  expect(
    commandLines.some((line) => line.includes('buildx build') && line.includes('id=token,src=')),
  ).toBe(true);
  expect(commandLines.filter((line) => line.includes(SECRET))).toEqual([]);
  expect(removeSecretFiles(secretsDir)).toEqual([]);
  expect(existsSync(secretsDir)).toBe(false);

  // The secret was there at build time: the image holds its length, not its value.
  const run = await docker(['run', '--rm', result.imageId, 'cat', '/token-length'], {
    env: { DOCKER_CONFIG: dockerConfig },
  });
  expect(run.stdout.trim()).toBe(String(SECRET.length));
});

test('a failing RUN step: the error carries buildx own error lines, not only the last one', async () => {
  const context = await makeContext({
    Dockerfile: busyboxDockerfile('RUN echo "step output before failing" && exit 3'),
  });
  const error = (await runBuild(plan(context.dir, { noCache: true })).catch(
    (e: unknown) => e,
  )) as Error;
  expect(error.message).toMatch(/^docker buildx build failed \(exit code 1\):\n/);
  expect(error.message).toContain('step output before failing');
  expect(error.message).toMatch(/ERROR: .*exit code: 3/);
  // The failing step's own header line, from before the ERROR lines.
  expect(error.message).toContain('[3/3] RUN echo "step output before failing" && exit 3\n');
});

test('an unknown builder is named in the error', async () => {
  await expect(builderDriver(dockerConfig, 'no-such-builder')).rejects.toThrow(
    'builder: "no-such-builder" cannot be used (no builder "no-such-builder" found)',
  );
});

test('logout removes the action directory; the user config is untouched', async () => {
  const before = readFileSync(join(userConfig, 'config.json'), 'utf8');
  const dir = createDockerConfig({ tempRoot: temp, userConfigDir: userConfig });
  await login([{ registry: registryA.url, username: A.user, password: A.password }], dir);
  expect(readFileSync(join(dir, 'config.json'), 'utf8')).toContain(registryA.url);
  expect(await logout(dir, [registryA.url])).toEqual([]);
  expect(existsSync(dir)).toBe(false);
  expect(readFileSync(join(userConfig, 'config.json'), 'utf8')).toBe(before);
  expect(readdirSync(userConfig).sort()).toEqual(['buildx', 'cli-plugins', 'config.json']);
  expect(readdirSync(join(userConfig, 'cli-plugins'))).toEqual(['docker-buildx']);
  expect(existsSync(join(userConfig, 'buildx', 'instances'))).toBe(true);
  // A second post step run (or a directory already gone) only warns.
  expect(await logout(dir, [])).toEqual([]);
});
