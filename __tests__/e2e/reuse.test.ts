// Rebuild only when something changed (reuse: true), on the real engine: an image built on
// main is promoted to a release tag without a build (same digest), a change in the context
// rebuilds, a change in a .dockerignore'd file does not, a base image rebuilt in its registry
// rebuilds, promotion to a second registry copies the image there with the same digest, and a
// failed lookup warns and builds. Every registry is checked through its own API.
import { jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  containerdStore,
  docker,
  makeContext,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startFaultyProxy,
  startRegistry,
  type ActionRun,
  type FaultyProxy,
  type Registry,
  type RunOptions,
} from './harness/index.js';

jest.setTimeout(240_000);

const A = { user: 'alice', password: 'e2e-reuse-A-pw-Rt5m' };
const B = { user: 'bob', password: 'e2e-reuse-B-pw-Kc8q' };
const repo = 'acme/app';
const shaMain = '1111111111111111111111111111111111111111';

let registryA: Registry;
let registryB: Registry;
/** Holds the base image, anonymous. */
let baseRegistry: Registry;
let proxy: FaultyProxy | undefined;
let context: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  [registryA, registryB, baseRegistry] = await Promise.all([
    startRegistry(A),
    startRegistry(B),
    startRegistry(),
  ]);
  await pushBase('1');
  context = (
    await makeContext({
      Dockerfile: `FROM ${baseRegistry.url}/base:1\nCOPY app.txt /app.txt\nCMD ["sh"]\n`,
      'app.txt': 'app 1\n',
      'notes.md': 'notes 1\n',
      '.dockerignore': '*.md\nbusybox\n',
    })
  ).dir;
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([registryA, registryB, baseRegistry].map((r) => r?.stop()));
  await removeTempDirs();
});

/** Builds the busybox base image (with a version file) and pushes it as base:1. */
async function pushBase(version: string): Promise<void> {
  const base = await makeContext({
    Dockerfile: `FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nCOPY version /base-version\n`,
    version: `${version}\n`,
  });
  await docker(['buildx', 'build', '--push', '--tag', `${baseRegistry.url}/base:1`, base.dir]);
}

function registryAuth(...entries: { registry: string; user: string; password: string }[]): string {
  return entries
    .map((e) => `- registry: ${e.registry}\n  username: ${e.user}\n  password: ${e.password}\n`)
    .join('');
}

async function step(options: RunOptions): Promise<ActionRun> {
  const main = await runAction({
    ...options,
    inputs: {
      'artifact-name': '',
      images: `${registryA.url}/${repo}`,
      'registry-auth': registryAuth({ registry: registryA.url, ...A }),
      context,
      reuse: true,
      test: 'test -f /app.txt && test -f /base-version',
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

function warnings(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'warning').map((c) => c.message);
}

function groups(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'group').map((c) => c.message);
}

async function digests(registry: Registry, name: string, tags: string[]) {
  const found: Record<string, string | undefined> = {};
  for (const tag of tags) found[tag] = await registry.manifestDigest(name, tag);
  return found;
}

function same(tags: string[], digest: string): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t, digest]));
}

let builtDigest = '';
let fingerprint = '';
let buildMs = 0;

test('main with reuse: true builds, tags the image fp-<16 hex> and outputs the fingerprint', async () => {
  const main = await step({ event: pushEvent('refs/heads/main', { sha: shaMain }) });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('false');
  fingerprint = main.outputs.fingerprint;
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  builtDigest = main.outputs.digest;
  buildMs = main.durationMs;
  expect(groups(main)).toContain('Build');
  expect(main.stdout).toContain(
    `reuse: no ${registryA.url}/${repo}:fp-${fingerprint.slice(0, 16)} yet; building`,
  );
  const tags = ['main', 'sha-1111111', `fp-${fingerprint.slice(0, 16)}`];
  expect(await digests(registryA, repo, tags)).toEqual(same(tags, builtDigest));
  expect(main.summary).toContain(`- fingerprint: \`${fingerprint}\``);
});

test('the same source as tag v1.4.0: promoted without a build, 1.4.0/1.4/1/latest have the digest built on main', async () => {
  const main = await step({ event: pushEvent('refs/tags/v1.4.0', { sha: shaMain }) });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('true');
  expect(main.outputs.fingerprint).toBe(fingerprint);
  expect(main.outputs.digest).toBe(builtDigest);
  expect(main.outputs.pushed).toBe('true');
  // No buildx build: no Build group, no buildx command line; a promotion line instead.
  expect(groups(main)).not.toContain('Build');
  expect(main.stdout).not.toMatch(/\[command\]\S*docker buildx build/);
  expect(main.stdout).toContain(
    `promoted ${registryA.url}/${repo}@${builtDigest} (fingerprint tag fp-${fingerprint.slice(0, 16)}) without a build`,
  );
  // The reused image was pulled and tested (test-on-reuse defaults to true).
  expect(main.outputs['test-result']).toBe('passed');
  const tags = ['1.4.0', '1.4', '1', 'latest', 'sha-1111111', 'main'];
  expect(await digests(registryA, repo, tags)).toEqual(same(tags, builtDigest));
  expect(main.summary).toContain('## Image promoted');
  expect(main.summary).toContain(
    `promoted from \`${registryA.url}/${repo}:fp-${fingerprint.slice(0, 16)}\``,
  );
  process.stdout.write(
    `reuse: build and push on main ${buildMs} ms; promotion of the same source to v1.4.0 (with its test) ${main.durationMs} ms\n`,
  );
});

test('test-on-reuse: false promotes without pulling or testing', async () => {
  const main = await step({
    event: pushEvent('refs/tags/v1.4.1', { sha: shaMain }),
    inputs: { 'test-on-reuse': false },
  });
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('true');
  expect(main.outputs['test-result']).toBe('skipped');
  expect(groups(main).filter((g) => g.startsWith('Pull'))).toEqual([]);
  expect(await registryA.manifestDigest(repo, '1.4.1')).toBe(builtDigest);
  process.stdout.write(`reuse: promotion without a test ${main.durationMs} ms\n`);
});

test('a pull request with reuse: true builds (nothing is pushed, so nothing is reused) and outputs the same fingerprint', async () => {
  const before = await registryA.tags(repo);
  const main = await step({ event: pullRequestEvent(7, { headSha: shaMain }) });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.pushed).toBe('false');
  expect(main.outputs.reused).toBe('false');
  expect(main.outputs.fingerprint).toBe(fingerprint);
  // Computed beside the build, reported after it.
  expect(groups(main).indexOf('Fingerprint')).toBeGreaterThan(groups(main).indexOf('Build'));
  expect(await registryA.tags(repo)).toEqual(before);
});

test('a change in a file .dockerignore excludes: reused', async () => {
  await writeFile(join(context, 'notes.md'), 'notes 2\n');
  const main = await step({ event: pushEvent('refs/heads/main', { sha: '2'.repeat(40) }) });
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('true');
  expect(main.outputs.fingerprint).toBe(fingerprint);
  expect(await registryA.manifestDigest(repo, 'sha-2222222')).toBe(builtDigest);
});

let changedDigest = '';
let changedFingerprint = '';

test('a change in a file of the context: rebuilt', async () => {
  await writeFile(join(context, 'app.txt'), 'app 2\n');
  const main = await step({ event: pushEvent('refs/heads/main', { sha: '3'.repeat(40) }) });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('false');
  expect(groups(main)).toContain('Build');
  changedFingerprint = main.outputs.fingerprint;
  changedDigest = main.outputs.digest;
  expect(changedFingerprint).not.toBe(fingerprint);
  expect(changedDigest).not.toBe(builtDigest);
  expect(await registryA.manifestDigest(repo, `fp-${changedFingerprint.slice(0, 16)}`)).toBe(
    changedDigest,
  );
});

let rebasedDigest = '';

test('the base image rebuilt in its registry (new digest): rebuilt', async () => {
  const before = await baseRegistry.manifestDigest('base', '1');
  await pushBase('2');
  expect(await baseRegistry.manifestDigest('base', '1')).not.toBe(before);
  // The same commit with a new base: sha-3333333 holds the image of another source, so the
  // rebuild re-points it only with force (an immutable tag is never re-pointed otherwise).
  const main = await step({
    event: pushEvent('refs/heads/main', { sha: '3'.repeat(40) }),
    inputs: { force: 'true' },
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('false');
  expect(main.outputs.fingerprint).not.toBe(changedFingerprint);
  expect(main.stdout).toContain(
    `base image ${baseRegistry.url}/base:1: ${await baseRegistry.manifestDigest('base', '1')}`,
  );
  rebasedDigest = main.outputs.digest;
  expect(rebasedDigest).not.toBe(changedDigest);
});

test('promotion to a second registry and a second repository: blobs copied or mounted, the same digest everywhere', async () => {
  const images = [
    `${registryA.url}/${repo}`,
    `${registryB.url}/${repo}`,
    `${registryA.url}/acme/mirror`,
  ];
  const main = await step({
    event: pushEvent('refs/tags/v2.0.0', { sha: '3'.repeat(40) }),
    inputs: {
      images: images.join('\n'),
      'registry-auth': registryAuth(
        { registry: registryA.url, ...A },
        { registry: registryB.url, ...B },
      ),
      'test-on-reuse': false,
    },
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.reused).toBe('true');
  expect(main.outputs.digest).toBe(rebasedDigest);
  expect(main.outputs.refs.split('\n')).toEqual(images.map((i) => `${i}@${rebasedDigest}`));
  const tags = ['2.0.0', '2.0', '2', 'latest', 'sha-3333333'];
  expect(await digests(registryA, repo, tags)).toEqual(same(tags, rebasedDigest));
  expect(await digests(registryB, repo, tags)).toEqual(same(tags, rebasedDigest));
  expect(await digests(registryA, 'acme/mirror', tags)).toEqual(same(tags, rebasedDigest));
  // Registry B holds every manifest and blob of the image: it is complete there, not only its
  // top manifest (on the containerd store: the index, its image manifest and its provenance
  // attestation manifest, with their blobs).
  const tree = await registryB.imageTree(repo, '2.0.0');
  expect(tree?.missing).toEqual([]);
  expect(tree?.platforms).toEqual(['linux/amd64']);
  if (containerdStore()) expect(tree?.predicateTypes).toContain('https://slsa.dev/provenance/v0.2');
  expect(await registryB.imageConfig(repo, '2.0.0')).toMatchObject({
    config: { Labels: expect.any(Object) as unknown },
  });
  expect(main.stdout).toMatch(
    new RegExp(
      `${registryB.url}/${repo}: blobs of \\S+: 0 present, 0 mounted from \\S+, [1-9]\\d* copied`,
    ),
  );
  expect(main.stdout).toMatch(
    new RegExp(
      `${registryA.url}/acme/mirror: blobs of \\S+: 0 present, [1-9]\\d* mounted from \\S+, 0 copied`,
    ),
  );
});

test('a reuse lookup that fails (not a "not found"): a warning, then a normal build', async () => {
  proxy = await startFaultyProxy(registryA.port, [
    {
      status: 403,
      code: 'DENIED',
      match: (r) => r.method === 'HEAD' && r.path.includes('/manifests/fp-'),
    },
  ]);
  const main = await step({
    event: pushEvent('refs/heads/main', { sha: '4'.repeat(40) }),
    inputs: {
      images: `${proxy.url}/${repo}`,
      'registry-auth': registryAuth({ registry: proxy.url, ...A }),
    },
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(warnings(main)).toEqual([
    expect.stringMatching(
      /^reuse: could not look up .*:fp-[0-9a-f]{16} \(.*HTTP 403.*\); building as usual$/,
    ),
  ]);
  expect(main.outputs.reused).toBe('false');
  expect(groups(main)).toContain('Build');
});

test('no password appears in any log, output or summary', () => {
  for (const run of runs) {
    const text = [
      run.stdout.replace(/^::add-mask::.*$/gm, ''),
      run.stderr,
      JSON.stringify(run.outputs),
      run.summary,
    ].join('\n');
    for (const secret of [A.password, B.password]) expect(text.includes(secret)).toBe(false);
  }
});
