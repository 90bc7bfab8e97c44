// Immutable tags on a re-run, on the real engine and two real registries: a re-run of the
// v1.2.3 job never re-points 1.2.3 or sha-...; the same source is released again without a
// build, a changed source fails before anything is pushed, and `force: true` re-points.
import { jest } from '@jest/globals';
import {
  startFaultyProxy,
  makeContext,
  pushEvent,
  removeTempDirs,
  runAction,
  startRegistry,
  type ActionRun,
  type Registry,
} from './harness/index.js';

jest.setTimeout(600_000);

const repo = 'acme/immutable';
const sha = 'a1b2c3d'.padEnd(40, '0');
const immutable = ['1.2.3', 'sha-a1b2c3d'];
const moving = ['1.2', '1', 'latest'];
let A: Registry;
let B: Registry;

beforeAll(async () => {
  [A, B] = await Promise.all([startRegistry(), startRegistry()]);
});

afterAll(async () => {
  await Promise.all([A, B].map((r) => r?.stop()));
  await removeTempDirs();
});

/** The v1.2.3 job (or `job.ref` at `job.sha`), built from a context whose one file says `source`. */
async function releaseJob(
  source: string,
  inputs: Record<string, string> = {},
  job: { ref?: string; sha?: string; hosts?: string[] } = {},
): Promise<ActionRun> {
  const context = await makeContext({ 'source.txt': `${source}\n` });
  return runAction({
    event: pushEvent(job.ref ?? 'v1.2.3', { sha: job.sha ?? sha }),
    inputs: {
      images: (job.hosts ?? [A.url, B.url]).map((h) => `${h}/${repo}`).join('\n'),
      context: context.dir,
      'artifact-name': '',
      retries: '0',
      ...inputs,
    },
  });
}

/** Every tag's digest in both registries, `A 1.2.3` -> digest. */
async function snapshot(tags = [...immutable, ...moving]): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const [name, registry] of [['A', A] as const, ['B', B] as const]) {
    for (const tag of tags)
      found[`${name} ${tag}`] = (await registry.manifestDigest(repo, tag)) ?? '';
  }
  return found;
}

function everywhere(digest: string, tags = [...immutable, ...moving]): Record<string, string> {
  return Object.fromEntries(['A', 'B'].flatMap((r) => tags.map((t) => [`${r} ${t}`, digest])));
}

const byCommand = (run: ActionRun, command: string): string[] =>
  run.commands.filter((c) => c.command === command).map((c) => c.message);

let first = '';

test('the first run of v1.2.3 builds and pushes every tag', async () => {
  const run = await releaseJob('one');
  expect(byCommand(run, 'error')).toEqual([]);
  expect(run.exitCode).toBe(0);
  first = run.outputs.digest;
  expect(await snapshot()).toEqual(everywhere(first));
});

test('a re-run with a changed source fails before anything is pushed: 1.2.3 and sha- keep the first digest', async () => {
  const tagsBefore = await Promise.all([A.tags(repo), B.tags(repo)]);
  const run = await releaseJob('two');
  expect(run.exitCode).toBe(1);
  const [error] = byCommand(run, 'error');
  // Names the registry, the tag, the digest it holds, and what to do.
  expect(error).toContain(`${A.url}/${repo}:1.2.3 holds ${first}`);
  expect(error).toContain(`${B.url}/${repo}:sha-a1b2c3d holds ${first}`);
  expect(error).toContain('set force: true');
  expect(error).toContain('release a new version');
  // Decided before the build: no image was built, no tag written.
  expect(byCommand(run, 'group')).not.toContain('Build');
  expect(await snapshot()).toEqual(everywhere(first));
  expect(await Promise.all([A.tags(repo), B.tags(repo)])).toEqual(tagsBefore);
});

test('a re-run with the same source and no cache (a new created time) releases what the registries hold', async () => {
  const run = await releaseJob('one', { 'no-cache': 'true' });
  expect(byCommand(run, 'error')).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.digest).toBe(first);
  expect(run.outputs.reused).toBe('true');
  expect(byCommand(run, 'group')).not.toContain('Build');
  expect(run.stdout).toContain(`already hold ${first}, built from this source`);
  expect(await snapshot()).toEqual(everywhere(first));
});

test('force: true re-points the immutable tags to the new build, and says so', async () => {
  const run = await releaseJob('two', { force: 'true' });
  expect(byCommand(run, 'error')).toEqual([]);
  expect(run.exitCode).toBe(0);
  const second = run.outputs.digest;
  expect(second).not.toBe(first);
  expect(byCommand(run, 'warning')).toEqual(
    expect.arrayContaining([
      `force: ${A.url}/${repo}:1.2.3 held ${first}; it is re-pointed to this build`,
    ]),
  );
  expect(await snapshot()).toEqual(everywhere(second));
  // The new build recorded its source: a re-run of it is released again without a build.
  const again = await releaseJob('two');
  expect(byCommand(again, 'error')).toEqual([]);
  expect(again.outputs.digest).toBe(second);
  expect(byCommand(again, 'group')).not.toContain('Build');
});

test('a re-run after a push that failed in one registry releases what the first got, without a build', async () => {
  const job = { ref: 'v2.0.0', sha: 'b2c3d4e'.padEnd(40, '0') };
  const failing = await startFaultyProxy(B.port, [
    {
      status: 500,
      times: Infinity,
      // The engine's push of the immutable tag to B; the action's own requests pass.
      match: (r) =>
        r.userAgent !== 'build-tag-push' && r.method === 'PUT' && r.path.endsWith('/2.0.0'),
    },
  ]);
  try {
    const failed = await releaseJob('three', {}, { ...job, hosts: [A.url, failing.url] });
    expect(failed.exitCode).toBe(1);
  } finally {
    await failing.stop();
  }
  // buildx pushed to A first: A got the image, B did not.
  const partial = await A.manifestDigest(repo, '2.0.0');
  expect(partial).toMatch(/^sha256:/);
  expect(await B.manifestDigest(repo, '2.0.0')).toBeUndefined();

  const again = await releaseJob('three', {}, job);
  expect(byCommand(again, 'error')).toEqual([]);
  expect(again.exitCode).toBe(0);
  expect(again.outputs.digest).toBe(partial);
  expect(byCommand(again, 'group')).not.toContain('Build');
  for (const registry of [A, B]) {
    expect(await registry.manifestDigest(repo, '2.0.0')).toBe(partial);
    expect(await registry.manifestDigest(repo, 'sha-b2c3d4e')).toBe(partial);
  }
});
