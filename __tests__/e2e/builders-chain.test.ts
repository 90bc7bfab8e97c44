// A chain of bake targets on a real BuildKit builder (`builder:`, the remote driver): on the
// classic engine, whose own BuildKit 0.8 cannot build chains, the named builder builds them and
// the chain is released with every tag at each target's digest. And `test` where no engine is
// on the runner (a cloud builder, docker CLI only): the step fails naming test and what to use.
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import {
  assertNoSecrets,
  builderConfig,
  docker,
  engineName,
  makeContext,
  pushEvent,
  realBuildkit,
  removeTempDirs,
  runAction,
  runPost,
  startRegistry,
  type ActionRun,
  type Registry,
  type RunOptions,
} from './harness/index.js';
import { chainWorkspace } from './harness/chain.js';

jest.setTimeout(300_000);

const A = { user: 'chainer', password: 'e2e-builders-chain-pw-Hq7v' };
const { built, skipReason, unixAddress } = realBuildkit('builders-chain.test.ts');
const builder = `btp-e2e-chain-${engineName()}-${randomBytes(3).toString('hex')}`;
let registry: Registry;
let workspace: string;
let userConfig = '';
const runs: ActionRun[] = [];

beforeAll(async () => {
  if (!built) return;
  userConfig = await builderConfig('builders-chain');
  registry = await startRegistry(A);
  workspace = await chainWorkspace(registry.url, 'bk-chain');
  await docker(['buildx', 'create', '--name', builder, '--driver', 'remote', unixAddress], {
    env: { DOCKER_CONFIG: userConfig },
  });
});

afterAll(async () => {
  if (userConfig) {
    await docker(['buildx', 'rm', '--force', builder], {
      env: { DOCKER_CONFIG: userConfig },
      check: false,
    });
  }
  assertNoSecrets(runs, { password: A.password });
  await registry?.stop();
  await removeTempDirs();
});

async function step(options: RunOptions): Promise<ActionRun> {
  const main = await runAction({
    workspace,
    ...options,
    env: { DOCKER_CONFIG: userConfig, ...options.env },
    inputs: {
      'artifact-name': '',
      builder,
      registry: registry.url,
      username: A.user,
      password: A.password,
      ...options.inputs,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

async function layers(name: string, digest: string): Promise<string[]> {
  let manifest = await registry.manifest(name, digest);
  const index = manifest?.body.manifests as
    { digest: string; platform?: { os: string } }[] | undefined;
  if (index) {
    const image = index.find((m) => m.platform?.os !== 'unknown');
    manifest = await registry.manifest(name, image!.digest);
  }
  return ((manifest?.body.layers ?? []) as { digest: string }[]).map((l) => l.digest);
}

const testIf = built ? test : test.skip;

testIf(
  'a three-level chain built on the remote builder, tested, released under every tag of each target',
  async () => {
    const main = await step({
      event: pushEvent('refs/tags/v1.0.0', { sha: '7'.repeat(40) }),
      inputs: { targets: 'default', test: 'test -f /base.txt' },
    });
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    expect(main.stdout).toMatch(new RegExp(`buildx bake .*--builder ${builder}`));
    const released = JSON.parse(main.outputs.targets) as Record<string, { digest: string }>;
    expect(Object.keys(released).sort()).toEqual(['app', 'base', 'mid']);
    for (const name of ['base', 'mid', 'app']) {
      const { digest } = released[name];
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      for (const tag of ['1.0.0', '1.0', '1', 'latest', 'sha-7777777']) {
        expect(await registry.manifestDigest(`bk-chain/${name}`, tag)).toBe(digest);
      }
    }
    // Each child FROM its parent of the same run.
    const [base, mid, app] = await Promise.all(
      ['base', 'mid', 'app'].map((n) => layers(`bk-chain/${n}`, released[n].digest)),
    );
    expect(mid.slice(0, base.length)).toEqual(base);
    expect(app.slice(0, mid.length)).toEqual(mid);
    expect(app.length).toBe(base.length + 2);
  },
);

testIf(
  'test with no engine on the runner (a remote builder, DOCKER_HOST at nothing): fails naming test and what to use, nothing pushed',
  async () => {
    const context = (
      await makeContext({ Dockerfile: 'FROM scratch\nCOPY id.txt /id.txt\n', 'id.txt': 'x\n' })
    ).dir;
    const main = await step({
      event: pushEvent('refs/tags/v1.0.0'),
      env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      inputs: { context, images: `${registry.url}/bk-noengine`, test: 'true' },
    });
    expect(main.exitCode).toBe(1);
    const message = errors(main).join('\n');
    expect(message).toMatch(/^test: no Docker engine answers on this runner/m);
    expect(message).toContain('remote driver');
    expect(message).toMatch(
      /use a runner with a Docker engine, or remove them and run the tests in RUN steps/,
    );
    expect(await registry.tags('bk-noengine')).toEqual([]);
  },
);

if (!built) test.skip(`builders-chain: ${skipReason}`, () => undefined);
