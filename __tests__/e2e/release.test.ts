// The release transaction on the real engine and two real registries: moving tags move only
// forward (a backport, a re-run of an older release, two runs of one branch racing, an older
// release writing before and after the read-back), and a failure injected at each step of the
// transaction, in each registry, leaves every moving tag of every registry where it was. Every
// tag is checked through the registries' own API. A stand-in of the GitHub API says whether
// another run of the workflow is in progress.
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  containerdStore,
  fromEngine,
  manifestAccept,
  makeContext,
  makeTempDir,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startFaultyProxy,
  startGitHubApi,
  startRegistry,
  type ActionRun,
  type GitHubApi,
  type Fault,
  type FaultyProxy,
  type Registry,
} from './harness/index.js';

jest.setTimeout(600_000);

const run = promisify(execFile);
const repo = 'acme/app';
let A: Registry;
let B: Registry;
let api: GitHubApi;
/** The harness's GITHUB_RUN_ID: this run, listed in progress by the API stand-in. */
const ourRun = 4242424242;
const noOtherRun = { status: 200, inProgress: [ourRun] };
let workspace = '';
/** Commits of the workspace's history: main c1 -> c2 -> c3, and a release branch c1 -> cb. */
const commit: Record<'c1' | 'c2' | 'c3' | 'cb', string> = { c1: '', c2: '', c3: '', cb: '' };
const proxies: FaultyProxy[] = [];

async function git(...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', workspace, ...args], {
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Mona',
      GIT_AUTHOR_EMAIL: 'mona@example.com',
      GIT_COMMITTER_NAME: 'Mona',
      GIT_COMMITTER_EMAIL: 'mona@example.com',
    },
  });
  return stdout.trim();
}

async function commitFile(name: string): Promise<string> {
  await writeFile(join(workspace, 'change.txt'), `${name}\n`);
  await git('add', 'change.txt');
  await git('commit', '-q', '-m', name);
  return git('rev-parse', 'HEAD');
}

beforeAll(async () => {
  [A, B, api] = await Promise.all([startRegistry(), startRegistry(), startGitHubApi(noOtherRun)]);
  workspace = await makeTempDir('workspace');
  await git('init', '-q', '-b', 'main');
  commit.c1 = await commitFile('one');
  commit.c2 = await commitFile('two');
  commit.c3 = await commitFile('three');
  await git('checkout', '-q', '-b', 'release-1.1', commit.c1);
  commit.cb = await commitFile('backport');
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all([A, B].map((r) => r?.stop()));
  await api?.stop();
  await removeTempDirs();
});

interface Release {
  main: ActionRun;
  digest: string;
}

/** One run of the action for `ref` at `sha`, to both registries (or the hosts given). */
async function release(
  ref: string,
  sha: string,
  options: { hosts?: string[]; tags?: string; inputs?: Record<string, string> } = {},
): Promise<Release> {
  // The content differs per commit, so each release has its own digest.
  const context = await makeContext({ 'release.txt': `${ref} ${sha}\n` });
  const hosts = options.hosts ?? [A.url, B.url];
  const main = await runAction({
    event: pushEvent(ref, { sha }),
    workspace,
    inputs: {
      images: hosts.map((h) => `${h}/${repo}`).join('\n'),
      context: context.dir,
      'artifact-name': '',
      retries: '0',
      ...(options.tags ? { tags: options.tags } : {}),
      ...options.inputs,
    },
    env: {
      GITHUB_API_URL: api.url,
      GITHUB_WORKFLOW_REF: `${repo}/.github/workflows/release.yml@${ref}`,
    },
  });
  return { main, digest: main.outputs.digest ?? '' };
}

/** Every tag's digest in both registries, `A latest` -> digest. */
async function snapshot(tags: string[]): Promise<Record<string, string | undefined>> {
  const found: Record<string, string | undefined> = {};
  for (const [name, registry] of [
    ['A', A],
    ['B', B],
  ] as const) {
    for (const tag of tags) found[`${name} ${tag}`] = await registry.manifestDigest(repo, tag);
  }
  return found;
}

function expectAll(found: Record<string, string | undefined>, tags: string[], digest: string) {
  const expected: Record<string, string> = {};
  for (const name of ['A', 'B']) for (const tag of tags) expected[`${name} ${tag}`] = digest;
  expect(
    Object.fromEntries(Object.entries(found).filter(([k]) => tags.includes(k.split(' ')[1]))),
  ).toEqual(expected);
}

function errors(main: ActionRun): string[] {
  return main.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

const versions = ['latest', '1', '1.1', '1.2', '1.3'];
const digests: Record<string, string> = {};

test('a backport release moves only the tags it is newest for; latest and 1 stay on the newer release', async () => {
  for (const [tag, sha] of [
    ['v1.1.4', commit.c1],
    ['v1.2.0', commit.c2],
    ['v1.1.5', commit.cb],
  ] as const) {
    const { main, digest } = await release(tag, sha);
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    digests[tag] = digest;
  }
  const found = await snapshot(['latest', '1', '1.1', '1.2', '1.1.5', '1.2.0', '1.1.4']);
  expectAll(found, ['latest', '1', '1.2', '1.2.0'], digests['v1.2.0']);
  expectAll(found, ['1.1', '1.1.5'], digests['v1.1.5']);
  expectAll(found, ['1.1.4'], digests['v1.1.4']);
});

test('the backport run says what it held back: log, summary, output', async () => {
  // Run again: the same release moves nothing more, and says again what it holds back.
  const { main } = await release('v1.1.5', commit.cb);
  expect(main.exitCode).toBe(0);
  expect(main.outputs['held-back']?.split('\n').sort()).toEqual(
    [A, B].flatMap((r) => [`${r.url}/${repo}:1`, `${r.url}/${repo}:latest`]).sort(),
  );
  const warnings = main.commands.filter((c) => c.command === 'warning').map((c) => c.message);
  expect(warnings).toEqual(
    expect.arrayContaining([
      expect.stringMatching(
        new RegExp(`held back ${A.url}/${repo}:latest: it holds 1\\.2\\.0, newer than 1\\.1\\.5`),
      ),
    ]),
  );
  expect(main.summary).toContain('held back');
  expectAll(await snapshot(['latest', '1']), ['latest', '1'], digests['v1.2.0']);
});

test('a re-run of an older release job moves no moving tag back', async () => {
  const before = await snapshot(versions);
  const { main } = await release('v1.1.4', commit.c1);
  expect(main.exitCode).toBe(0);
  expect(await snapshot(versions)).toEqual(before);
  expect(main.outputs['held-back']).toContain(`${A.url}/${repo}:1.1`);
});

test('two runs of one branch racing: the newer commit wins whatever the finishing order', async () => {
  const tags = 'type=ref,event=branch';
  // Both at once, each listed in progress to the other; then the older one again (a slow run
  // that finishes last).
  api.answer = { status: 200, inProgress: [ourRun, 7] };
  const [newer, older] = await Promise.all([
    release('refs/heads/main', commit.c3, { tags }),
    release('refs/heads/main', commit.c2, { tags }),
  ]).finally(() => (api.answer = noOtherRun));
  for (const run of [newer, older]) expect([errors(run.main), run.main.exitCode]).toEqual([[], 0]);
  expectAll(await snapshot(['main']), ['main'], newer.digest);
  const late = await release('refs/heads/main', commit.c2, { tags });
  expect(late.main.exitCode).toBe(0);
  expect(late.main.outputs['held-back']).toContain(`${A.url}/${repo}:main`);
  expectAll(await snapshot(['main']), ['main'], newer.digest);
  // Branch-only rules: the build pushed no moving tag itself; the image was staged first.
  expect(late.main.stdout).toMatch(/build-tag-push-/);
});

test('force-moving-tags moves a tag backwards', async () => {
  const { main, digest } = await release('refs/heads/main', commit.c1, {
    tags: 'type=ref,event=branch',
    inputs: { 'force-moving-tags': 'true' },
  });
  expect(main.exitCode).toBe(0);
  expectAll(await snapshot(['main']), ['main'], digest);
});

/** Points `tag` of `registry` to `digest`, as another run's write would: straight to the registry. */
async function retag(registry: Registry, digest: string, tag: string): Promise<void> {
  const base = `http://${registry.url}/v2/${repo}/manifests`;
  const got = await fetch(`${base}/${digest}`, { headers: { accept: manifestAccept } });
  const body = Buffer.from(await got.arrayBuffer());
  const put = await fetch(`${base}/${tag}`, {
    method: 'PUT',
    headers: { 'content-type': got.headers.get('content-type') ?? '' },
    body,
  });
  if (!put.ok) throw new Error(`retag ${registry.url} ${tag}: HTTP ${put.status}`);
}

const branchTags = 'type=ref,event=branch';
const warnings = (run: ActionRun): string[] =>
  run.commands.filter((c) => c.command === 'warning').map((c) => c.message);

describe('concurrent releases', () => {
  afterEach(() => {
    api.answer = noOtherRun;
    api.onRuns = undefined;
  });

  test('no other run of the workflow in progress: read back at once, nothing left for the post step', async () => {
    const before = api.requests.length;
    const { main, digest } = await release('refs/heads/quiet', commit.c2, { tags: branchTags });
    expect([errors(main), main.exitCode]).toEqual([[], 0]);
    expect(main.stdout).toContain(
      'reading the moving tags back: no other run of this workflow is in progress',
    );
    expect(main.stdout).not.toMatch(/reading the moving tags back in \d+ ms/);
    expect(api.requests.slice(before)).toEqual([
      {
        method: 'GET',
        url: `/repos/${repo}/actions/workflows/release.yml/runs?status=in_progress&exclude_pull_requests=true&per_page=2`,
        authorization: `Bearer ${main.env['INPUT_GITHUB-TOKEN']}`,
      },
    ]);
    // Nothing left for the post step: the main step removed its logins and temp files itself.
    expect(main.stdout).toContain(`removed the action's Docker config ${main.state.dockerConfig}`);
    expect([existsSync(main.state.dockerConfig), existsSync(main.state.tempDir)]).toEqual([
      false,
      false,
    ]);
    const post = await runPost(main);
    expect([post.exitCode, warnings(post), post.stdout.trim()]).toEqual([0, [], '']);
    expectAll(await snapshot(['quiet']), ['quiet'], digest);
  });

  test('another run in progress writes an older release before the read-back: this run writes its own again', async () => {
    const older = await release('refs/heads/race', commit.c1, { tags: branchTags });
    expect(older.main.exitCode).toBe(0);
    api.answer = { status: 200, inProgress: [ourRun, 7] };
    // The older run's write lands while this run waits to read back (after its own write).
    let landed: Promise<void> | undefined;
    const proxy = await startFaultyProxy(A.port, [], {
      onRequest: (r) => {
        if (
          !landed &&
          r.method === 'PUT' &&
          r.path.endsWith('/manifests/race') &&
          !fromEngine(r.userAgent)
        ) {
          landed = new Promise((resolve) => setTimeout(resolve, 400)).then(() =>
            retag(A, older.digest, 'race'),
          );
        }
      },
    });
    proxies.push(proxy);
    const newer = await release('refs/heads/race', commit.c2, {
      tags: branchTags,
      hosts: [proxy.url],
    });
    await landed;
    expect([errors(newer.main), newer.main.exitCode]).toEqual([[], 0]);
    expect(newer.main.stdout).toMatch(/reading the moving tags back in 1500 ms: 1 other run/);
    expect(newer.main.stdout).toMatch(
      /was moved to sha256:\w+ by another run, an older release; writing it again/,
    );
    expect(await A.manifestDigest(repo, 'race')).toBe(newer.digest);
  });

  test('an older release written after the read-back: the post step moves the tag forward again', async () => {
    const older = await release('refs/heads/late', commit.c1, { tags: branchTags });
    // A token that may not read the runs: read back at once, and again in the post step.
    api.answer = { status: 403, inProgress: [] };
    const newer = await release('refs/heads/late', commit.c2, { tags: branchTags });
    expect([errors(newer.main), newer.main.exitCode]).toEqual([[], 0]);
    expect(newer.main.stdout).toMatch(
      /could not be read \(HTTP 403 from http:\/\/127\.0\.0\.1:\d+ \(the token needs the `actions: read` permission\)\)/,
    );
    expectAll(await snapshot(['late']), ['late'], newer.digest);
    // The older run's write lands after this run's read-back, before its post step.
    await retag(A, older.digest, 'late');
    await retag(B, older.digest, 'late');
    const post = await runPost(newer.main);
    expect(post.exitCode).toBe(0);
    expect(
      warnings(post)
        .map((w) => w.replace(/ \(.*\)$/, ''))
        .sort(),
    ).toEqual(
      [A, B]
        .map(
          (r) =>
            `moving tags: ${r.url}/${repo}:late was moved back to ${older.digest}, an older release, after this run read it back; moved it forward again`,
        )
        .sort(),
    );
    expectAll(await snapshot(['late']), ['late'], newer.digest);
  });

  test('the older run, checked again in its post step, leaves the newer release on the tag', async () => {
    api.answer = { status: 403, inProgress: [] };
    const older = await release('refs/heads/kept', commit.c1, { tags: branchTags });
    const newer = await release('refs/heads/kept', commit.c2, { tags: branchTags });
    // The main step left its logins and the moved tags' record to the post step, which reads them.
    expect(existsSync(older.main.state.dockerConfig)).toBe(true);
    const post = await runPost(older.main);
    expect([post.exitCode, warnings(post)]).toEqual([0, []]);
    expect(post.stdout).toMatch(/kept was moved on by a newer release/);
    expectAll(await snapshot(['kept']), ['kept'], newer.digest);
  });
});

describe('a failure at each step of the transaction leaves every moving tag of every registry where it was', () => {
  // The action's own requests say so; the engine's (docker, containerd, buildkit) do not.
  const fromDocker = (ua: string): boolean => ua !== 'build-tag-push';
  const path = (r: { path: string }, tag: string) => r.path.endsWith(`/manifests/${tag}`);
  const steps: [string, Fault][] = [
    [
      'the push of the immutable tag',
      {
        status: 500,
        times: Infinity,
        match: (r) => fromDocker(r.userAgent) && r.method === 'PUT' && path(r, '1.3.0'),
      },
    ],
    [
      'the verification of the immutable tag',
      {
        status: 500,
        times: Infinity,
        match: (r) => !fromDocker(r.userAgent) && r.method === 'HEAD' && path(r, '1.3.0'),
      },
    ],
    ...['latest', '1', '1.3'].map((tag): [string, Fault] => [
      `the move of ${tag}`,
      { status: 500, times: Infinity, match: (r) => r.method === 'PUT' && path(r, tag) },
    ]),
  ];
  const cases = ['A', 'B'].flatMap((registry) =>
    steps.map(([step, fault]) => [registry, step, fault] as const),
  );

  test.each(cases)('registry %s fails %s', async (registry, _step, fault) => {
    const before = await snapshot(versions);
    expect(before['A latest']).toBe(digests['v1.2.0']);
    const [pa, pb] = await Promise.all([
      startFaultyProxy(A.port, registry === 'A' ? [fault] : []),
      startFaultyProxy(B.port, registry === 'B' ? [fault] : []),
    ]);
    proxies.push(pa, pb);
    // Each case runs the v1.3.0 job again from the same source: without force it would release
    // what an earlier case left in a registry instead of building, and miss the fault.
    const { main } = await release('v1.3.0', commit.c3, {
      hosts: [pa.url, pb.url],
      inputs: { force: 'true' },
    });
    expect(main.exitCode).toBe(1);
    // 1.3 did not exist: a registry that cannot remove tags keeps it when it was written.
    const after = await snapshot(versions);
    for (const key of Object.keys(before)) {
      if (key.endsWith(' 1.3') && before[key] === undefined && after[key] !== undefined) {
        expect(main.summary).toMatch(/`1\.3` \(moved, NOT put back\)/);
        continue;
      }
      expect([key, after[key]]).toEqual([key, before[key]]);
    }
    await pa.stop();
    await pb.stop();
  });

  test.each(['A', 'B'])(
    'registry %s applies the move of latest and never answers: latest is put back too',
    async (registry) => {
      const before = await snapshot(versions);
      const lost: Fault = {
        status: 0,
        swallow: true,
        match: (r) => r.method === 'PUT' && path(r, 'latest') && !fromDocker(r.userAgent),
      };
      const [pa, pb] = await Promise.all([
        startFaultyProxy(A.port, registry === 'A' ? [lost] : []),
        startFaultyProxy(B.port, registry === 'B' ? [lost] : []),
      ]);
      proxies.push(pa, pb);
      const { main } = await release('v1.3.0', commit.c3, {
        hosts: [pa.url, pb.url],
        inputs: { 'network-timeout': containerdStore() ? '8s' : '5s' },
      });
      expect(main.exitCode).toBe(1);
      const proxy = registry === 'A' ? pa : pb;
      expect(proxy.requests.filter((r) => r.answer === 'swallowed')).toHaveLength(1);
      expect(errors(main).join('\n')).toMatch(/every moving tag is where it was before this run/);
      const after = await snapshot(versions);
      for (const key of Object.keys(before)) expect([key, after[key]]).toEqual([key, before[key]]);
      await pa.stop();
      await pb.stop();
    },
  );
});
