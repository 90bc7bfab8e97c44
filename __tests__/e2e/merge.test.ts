// A multi-platform release from native runners, as a workflow runs it: one platform job per
// platform (merge-group), each building and testing its platform on its runner (arm64 built and
// tested for real under QEMU here), pushing it by digest with no tag and uploading its digest to
// the run's artifacts; then the merge step (merge: true) downloads the digests through the real
// @actions/artifact client, writes one index in every registry and releases it. On both image
// stores: the classic store's docker driver builds one platform per job too.
import { jest } from '@jest/globals';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  containerdStore,
  COSIGN,
  docker,
  generateKeyPair,
  platformContext,
  makeTempDir,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startArtifactServer,
  startRegistry,
  verifyWithKey,
  type ActionRun,
  type ArtifactServer,
  type Registry,
  type RunOptions,
} from './harness/index.js';

// Jest does not apply a project's testTimeout: arm64 builds and tests run under QEMU.
jest.setTimeout(600_000);

const A = { user: 'merger-a', password: 'e2e-merge-A-pw-Vt3q' };
const B = { user: 'merger-b', password: 'e2e-merge-B-pw-Rk7m' };
const token = 'ghs_e2eMergeTokenNotPrintedAnywhere';
const repo = 'acme/multi-native';

const KEY_PASSWORD = 'e2e-merge-key-pw-Qz81n';

let registryA: Registry;
let registryB: Registry;
let context: string;
let keyDir = '';
let privateKey = '';
const runs: ActionRun[] = [];
const servers: ArtifactServer[] = [];

beforeAll(async () => {
  [registryA, registryB] = await Promise.all([startRegistry(A), startRegistry(B)]);
  context = await platformContext();
  const pair = await generateKeyPair(KEY_PASSWORD, 'merge-cosign-key');
  keyDir = pair.dir;
  privateKey = pair.privateKey;
});

afterAll(async () => {
  await Promise.all([registryA, registryB].map((r) => r?.stop()));
  for (const server of servers) await server.stop();
  assertNoSecrets(runs, {
    a: A.password,
    b: B.password,
    token,
    keyPassword: KEY_PASSWORD,
    key: privateKey.split('\n')[1] ?? '',
  });
  await removeTempDirs();
});

async function artifactServer(): Promise<ArtifactServer> {
  const server = await startArtifactServer();
  servers.push(server);
  return server;
}

function images(): string {
  return `${registryA.url}/${repo}\n${registryB.url}/${repo}`;
}

function registryAuth(): string {
  return [registryA, registryB]
    .map((r, i) => {
      const login = i === 0 ? A : B;
      return `- registry: ${r.url}\n  username: ${login.user}\n  password: ${login.password}\n`;
    })
    .join('');
}

interface Job {
  /** The job's ID in the workflow (GITHUB_JOB), and its runtime token's job. */
  job: string;
  server: ArtifactServer;
  attempt?: number;
  event: RunOptions['event'];
  inputs: Record<string, string | boolean | number>;
}

/** One job's step (main and post) of the run `server` stands for. */
async function jobStep({ job, server, attempt = 1, event, inputs }: Job): Promise<ActionRun> {
  const main = await runAction({
    token,
    event,
    runId: '4242',
    env: {
      ...server.jobEnv(`${job}-attempt-${attempt}`),
      GITHUB_JOB: job,
      GITHUB_RUN_ATTEMPT: String(attempt),
    },
    inputs: {
      images: images(),
      'registry-auth': registryAuth(),
      'merge-group': 'app',
      ...inputs,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  expect(post.exitCode).toBe(0);
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  return main;
}

function platformJob(
  platform: 'amd64' | 'arm64',
  server: ArtifactServer,
  event: RunOptions['event'],
  extra: Partial<Job> & { test?: string; reuse?: boolean } = {},
): Promise<ActionRun> {
  const marker = platform === 'amd64' ? 'marker x86_64 amd64' : 'marker aarch64 arm64';
  return jobStep({
    job: `build-${platform}`,
    server,
    event,
    attempt: extra.attempt,
    inputs: {
      context,
      platforms: `linux/${platform}`,
      test: extra.test ?? `cat /marker && grep -q "${marker}" /marker`,
      reuse: extra.reuse ?? false,
    },
  });
}

function mergeJob(server: ArtifactServer, event: RunOptions['event'], attempt = 1) {
  return jobStep({
    job: 'merge',
    server,
    event,
    attempt,
    inputs: { merge: true, platforms: 'linux/amd64,linux/arm64' },
  });
}

/** The record a platform job uploaded to `server`, as the merge step downloads it. */
function uploadedRecord(server: ArtifactServer, name: string): Record<string, unknown> {
  const upload = server.uploads.find((u) => u.name === name);
  expect(upload).toBeDefined();
  return JSON.parse(upload!.files['platform.json'].toString()) as Record<string, unknown>;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

async function tagDigests(registry: Registry, tags: string[]): Promise<(string | undefined)[]> {
  return Promise.all(tags.map((t) => registry.manifestDigest(repo, t)));
}

/** `docker run --platform` of a pushed reference, logged in through a config of the test's own. */
async function runPushed(ref: string, platform: string): Promise<string> {
  const config = await makeTempDir('merge-pull-config');
  const env = { DOCKER_CONFIG: config };
  await docker(['login', '--username', A.user, '--password-stdin', registryA.url], {
    env,
    input: A.password,
  });
  await docker(['pull', '--platform', platform, ref], { env });
  const { stdout } = await docker(['run', '--rm', '--platform', platform, ref], { env });
  await docker(['image', 'rm', ref], { env, check: false });
  return stdout.trim();
}

const releaseTags = (v: string, sha: string): string[] => {
  const [major, minor] = v.split('.');
  return [v, `${major}.${minor}`, major, 'latest', `sha-${sha.slice(0, 7)}`];
};

let released = '';
/** The arm64 image of the first release (commit 3030...): in both registries. */
let releasedArm64 = '';

test('amd64 and arm64 jobs, each tested on its platform, then the merge: one index under every tag in both registries', async () => {
  const sha = '30'.repeat(20);
  const event = pushEvent('refs/tags/v3.0.0', { sha });
  const server = await artifactServer();

  const amd64 = await platformJob('amd64', server, event);
  expect(errors(amd64)).toEqual([]);
  expect(amd64.exitCode).toBe(0);
  const arm64 = await platformJob('arm64', server, event);
  expect(errors(arm64)).toEqual([]);
  expect(arm64.exitCode).toBe(0);
  // The arm64 test ran in the arm64 image, under emulation.
  expect(arm64.stdout).toContain('marker aarch64 arm64');
  expect(arm64.stdout).toContain('--platform linux/arm64');
  expect(arm64.outputs['test-result']).toBe('passed');

  // A platform job writes no tag: each image is in both registries by digest only.
  for (const registry of [registryA, registryB]) expect(await registry.tags(repo)).toEqual([]);
  for (const job of [amd64, arm64]) {
    const digest = job.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const registry of [registryA, registryB]) {
      expect(await registry.manifestDigest(repo, digest)).toBe(digest);
    }
    expect(job.summary).toContain('No tag was written');
  }
  const names = server.uploads.map((u) => u.name).sort();
  expect(names).toEqual(['app-platform-linux-amd64', 'app-platform-linux-arm64']);
  const record = JSON.parse(
    server.uploads
      .find((u) => u.name === 'app-platform-linux-arm64')!
      .files['platform.json'].toString(),
  ) as Record<string, unknown>;
  expect(record).toMatchObject({
    group: 'app',
    platform: 'linux/arm64',
    digest: arm64.outputs.digest,
    status: 'pushed',
    reason: '',
    revision: sha,
    runId: '4242',
    runAttempt: 1,
    job: 'build-arm64',
    test: 'passed',
  });

  // A second job of the same attempt building a platform the group has: refused before a build.
  const twice = await platformJob('amd64', server, event);
  expect(twice.exitCode).toBe(1);
  expect(errors(twice).join('\n')).toContain(
    'merge-group: the job "build-amd64" of this run already built linux/amd64 for the group "app"',
  );

  const merge = await mergeJob(server, event);
  expect(errors(merge)).toEqual([]);
  expect(merge.exitCode).toBe(0);
  const digest = merge.outputs.digest;
  const tags = releaseTags('3.0.0', sha);
  for (const registry of [registryA, registryB]) {
    expect(await tagDigests(registry, tags)).toEqual(tags.map(() => digest));
    const tree = await registry.imageTree(repo, '3.0.0');
    expect(tree?.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(tree?.missing).toEqual([]);
    // An OCI index on both stores: it carries the description, source and version (GHCR shows them).
    expect(tree?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    // buildx's provenance of each platform stays attached to its image.
    if (containerdStore()) expect(tree?.predicateTypes).toHaveLength(2);
    const index = await registry.manifest(repo, '3.0.0');
    expect(index?.body.annotations).toMatchObject({
      'org.opencontainers.image.description': 'An example app',
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.version': '3.0.0',
    });
  }
  expect(merge.outputs.pushed).toBe('true');
  expect(merge.outputs.refs).toBe(
    `${registryA.url}/${repo}@${digest}\n${registryB.url}/${repo}@${digest}`,
  );
  // One summary row per platform: runner, test result, digest.
  for (const job of [amd64, arm64]) expect(merge.summary).toContain(job.outputs.digest);
  expect(merge.summary).toMatch(/\| `linux\/arm64` \| [^|]+ \| passed[^|]* \| `sha256:/);
  // The merge's own digest artifact names the index.
  const mergeArtifact = server.uploads.find((u) => u.name.startsWith('image-digest-'));
  expect(mergeArtifact?.files['digest.txt'].toString().trim()).toBe(digest);

  expect(await runPushed(`${registryA.url}/${repo}:3.0.0`, 'linux/arm64')).toBe(
    'marker aarch64 arm64',
  );
  expect(await runPushed(`${registryA.url}/${repo}:3.0.0`, 'linux/amd64')).toBe(
    'marker x86_64 amd64',
  );
  released = digest;
  releasedArm64 = arm64.outputs.digest;
});

test('a failing arm64 test: its job records the failure, the merge refuses with platforms or without (if: always()), every tag stays where it was; a rerun of that job alone then releases', async () => {
  expect(released).not.toBe('');
  const sha = '31'.repeat(20);
  const event = pushEvent('refs/tags/v3.1.0', { sha });
  const server = await artifactServer();
  const before = releaseTags('3.0.0', '30'.repeat(20));
  const held = await tagDigests(registryA, before);

  const amd64 = await platformJob('amd64', server, event, { reuse: true });
  expect(amd64.exitCode).toBe(0);
  const arm64 = await platformJob('arm64', server, event, {
    test: 'grep -q "marker x86_64" /marker',
    reuse: true,
  });
  expect(arm64.exitCode).toBe(1);
  expect(arm64.outputs['test-result']).toBe('failed');
  // A merge step run with `if: always()` and no platforms: refused while arm64 failed.
  const always = await jobStep({ job: 'merge', server, event, inputs: { merge: true } });
  expect(always.exitCode).toBe(1);
  const refusal = errors(always).join('\n');
  expect(refusal).toContain(
    'linux/arm64: its platform job "build-arm64" (attempt "1", artifact "app-platform-linux-arm64") failed: ',
  );
  expect(refusal).toMatch(/Nothing was pushed\.$/);
  // The failed job records its failure for the merge step.
  expect(server.uploads.map((u) => u.name).sort()).toEqual([
    'app-platform-linux-amd64',
    'app-platform-linux-arm64',
  ]);
  const failed = uploadedRecord(server, 'app-platform-linux-arm64');
  expect(failed).toMatchObject({ status: 'failed', platform: 'linux/arm64', digest: '' });
  expect(failed.reason).not.toBe('');

  const merge = await mergeJob(server, event);
  expect(merge.exitCode).toBe(1);
  expect(errors(merge).join('\n')).toContain('linux/arm64: its platform job "build-arm64"');
  for (const registry of [registryA, registryB]) {
    expect(await tagDigests(registry, before)).toEqual(held);
    expect(await registry.manifestDigest(repo, '3.1.0')).toBeUndefined();
  }

  // "Re-run failed jobs": attempt 2 of the arm64 job (fixed test) and of the merge.
  const arm64Again = await platformJob('arm64', server, event, { attempt: 2, reuse: true });
  expect(errors(arm64Again)).toEqual([]);
  expect(arm64Again.exitCode).toBe(0);
  // The amd64 job rerun too ("re-run all jobs"): the same source, so its image is promoted
  // from its fingerprint tag, tested again, and its record replaces attempt 1's.
  const amd64Again = await platformJob('amd64', server, event, { attempt: 2, reuse: true });
  expect(errors(amd64Again)).toEqual([]);
  expect(amd64Again.outputs.reused).toBe('true');
  expect(amd64Again.outputs.digest).toBe(amd64.outputs.digest);
  expect(amd64Again.stdout).toContain('removed "app-platform-linux-amd64" of run attempt 1');

  const mergeAgain = await mergeJob(server, event, 2);
  expect(errors(mergeAgain)).toEqual([]);
  expect(mergeAgain.exitCode).toBe(0);
  const digest = mergeAgain.outputs.digest;
  expect(digest).not.toBe(released);
  const tags = releaseTags('3.1.0', sha);
  for (const registry of [registryA, registryB]) {
    expect(await tagDigests(registry, tags)).toEqual(tags.map(() => digest));
    expect(await registry.manifestDigest(repo, '3.0.0')).toBe(released);
    // Platform jobs with reuse write their fingerprint tags; no other tag came from them.
    const extra = (await registry.tags(repo)).filter(
      (t) => ![...tags, ...releaseTags('3.0.0', '30'.repeat(20))].includes(t),
    );
    expect(extra.every((t) => /^fp-[0-9a-f]{16}$/.test(t))).toBe(true);
  }
  expect(mergeAgain.summary).toContain('reused');
  expect(await runPushed(`${registryA.url}/${repo}:3.1.0`, 'linux/arm64')).toBe(
    'marker aarch64 arm64',
  );
});

test('on a pull request a platform job builds and tests its platform and pushes nothing; the merge has nothing to do', async () => {
  const server = await artifactServer();
  const event = pullRequestEvent(9);
  const tagsBefore = await registryA.tags(repo);
  const arm64 = await platformJob('arm64', server, event);
  expect(errors(arm64)).toEqual([]);
  expect(arm64.exitCode).toBe(0);
  expect(arm64.outputs.pushed).toBe('false');
  expect(arm64.stdout).toContain('marker aarch64 arm64');
  const merge = await mergeJob(server, event);
  expect(merge.exitCode).toBe(0);
  expect(merge.outputs.pushed).toBe('false');
  expect(server.uploads).toEqual([]);
  expect(await registryA.tags(repo)).toEqual(tagsBefore);
});

test('a platform image a job did not push to a repository is copied there by the merge; the group of another name is not taken', async () => {
  const server = await artifactServer();
  const sha = '33'.repeat(20);
  const event = pushEvent('refs/heads/main', { sha });
  const web = 'acme/web-native';
  // The platform job pushes to registry A only.
  const amd64 = await jobStep({
    job: 'build-web',
    server,
    event,
    inputs: {
      images: `${registryA.url}/${web}`,
      'merge-group': 'web',
      context,
      platforms: 'linux/amd64',
    },
  });
  expect(errors(amd64)).toEqual([]);
  expect(await registryB.manifestDigest(web, amd64.outputs.digest)).toBeUndefined();
  // A job of another group in the same run: its artifact is not the web group's.
  const other = await platformJob('arm64', server, event, { test: 'true' });
  expect(other.exitCode).toBe(0);

  const merge = await jobStep({
    job: 'merge-web',
    server,
    event,
    inputs: {
      images: `${registryA.url}/${web}\n${registryB.url}/${web}`,
      'merge-group': 'web',
      merge: true,
    },
  });
  expect(errors(merge)).toEqual([]);
  expect(merge.exitCode).toBe(0);
  // No platforms given: every platform of the group is taken, and only the group's.
  expect(merge.stdout).toContain('web-platform-linux-amd64: "linux/amd64" "pushed"');
  expect(merge.stdout).not.toContain('app-platform-linux-arm64:');
  const digest = merge.outputs.digest;
  for (const registry of [registryA, registryB]) {
    expect(await registry.manifestDigest(web, 'main')).toBe(digest);
    const tree = await registry.imageTree(web, 'main');
    expect(tree?.platforms).toEqual(['linux/amd64']);
    expect(tree?.missing).toEqual([]);
  }
  expect(merge.stdout).toContain(`${registryB.url}/${web}: copied linux/amd64`);
});

test('the merge signs the index it releases in both registries; the platform jobs sign nothing', async () => {
  const server = await artifactServer();
  const sha = '34'.repeat(20);
  const event = pushEvent('refs/tags/v4.0.0', { sha });
  const signed = 'acme/signed-native';
  const bin = join(await makeTempDir('merge-cosign-bin'), 'bin');
  await mkdir(bin);
  await symlink(COSIGN, join(bin, 'cosign'));
  const both = `${registryA.url}/${signed}\n${registryB.url}/${signed}`;
  const signing = { 'sign-key': privateKey, 'sign-key-password': KEY_PASSWORD };
  const withCosign = { PATH: `${bin}:${process.env.PATH ?? ''}` };
  const job = async (name: string, inputs: Record<string, string | boolean>) => {
    const main = await runAction({
      token,
      event,
      runId: '4343',
      env: { ...server.jobEnv(name), GITHUB_JOB: name, GITHUB_RUN_ATTEMPT: '1', ...withCosign },
      inputs: {
        images: both,
        'registry-auth': registryAuth(),
        'merge-group': 'signed',
        ...signing,
        ...inputs,
      },
    });
    runs.push(main, await runPost(main));
    return main;
  };
  const amd64 = await job('build-signed', { context, platforms: 'linux/amd64', test: 'true' });
  expect(errors(amd64)).toEqual([]);
  expect(amd64.stdout).toContain('the merge step signs the index');
  const platformDigest = amd64.outputs.digest;
  const merge = await job('merge-signed', { merge: true, platforms: 'linux/amd64' });
  expect(errors(merge)).toEqual([]);
  expect(merge.exitCode).toBe(0);
  const digest = merge.outputs.digest;
  const signatures = JSON.parse(merge.outputs.signatures) as Record<string, string>;
  expect(Object.keys(signatures).sort()).toEqual(
    [`${registryA.url}/${signed}`, `${registryB.url}/${signed}`].sort(),
  );
  expect(Object.values(signatures).every((s) => !s.startsWith('not signed'))).toBe(true);

  // Each registry's copy of the index verifies with the public key, checked here with cosign.
  const config = await makeTempDir('merge-verify-config');
  const auth = (u: string, p: string) => Buffer.from(`${u}:${p}`).toString('base64');
  await writeFile(
    join(config, 'config.json'),
    JSON.stringify({
      auths: {
        [registryA.url]: { auth: auth(A.user, A.password) },
        [registryB.url]: { auth: auth(B.user, B.password) },
      },
    }),
  );
  for (const registry of [registryA, registryB]) {
    const verified = await verifyWithKey(
      `${registry.url}/${signed}@${digest}`,
      join(keyDir, 'cosign.pub'),
      config,
    );
    expect(verified.out).toContain('The signatures were verified against the specified public key');
    // The platform image itself carries no signature: only the released index is signed.
    expect(await registry.manifestDigest(signed, platformDigest.replace(':', '-'))).toBeUndefined();
  }
  expect(merge.outputs['verify-commands']).toContain(`${registryA.url}/${signed}@${digest}`);
});

test('two records of one platform: the merge refuses, naming both, and pushes nothing', async () => {
  const server = await artifactServer();
  const sha = '35'.repeat(20);
  const event = pushEvent('refs/tags/v3.5.0', { sha });
  const amd64 = await platformJob('amd64', server, event);
  expect(amd64.exitCode).toBe(0);
  // Another job of the run uploads a second amd64 record under a name of its own.
  const real = uploadedRecord(server, 'app-platform-linux-amd64');
  server.seed(
    'app-platform-linux-amd64-v2',
    { 'platform.json': JSON.stringify({ ...real, platform: 'linux/amd64/v2', job: 'other' }) },
    'other-attempt-1',
  );
  const merge = await jobStep({ job: 'merge', server, event, inputs: { merge: true } });
  expect(merge.exitCode).toBe(1);
  const refusal = errors(merge).join('\n');
  expect(refusal).toContain(
    'linux/amd64: 2 records of one platform (app-platform-linux-amd64, app-platform-linux-amd64-v2)',
  );
  expect(refusal).toMatch(/Nothing was pushed\.$/);
  for (const registry of [registryA, registryB]) {
    expect(await registry.manifestDigest(repo, '3.5.0')).toBeUndefined();
  }
});

test('a record of a digest no platform job of this run pushed: refused, whether the registries hold it or not', async () => {
  expect(releasedArm64).not.toBe('');
  const server = await artifactServer();
  const sha = '36'.repeat(20);
  const event = pushEvent('refs/tags/v3.6.0', { sha });
  const amd64 = await platformJob('amd64', server, event);
  expect(amd64.exitCode).toBe(0);
  // A record in the arm64 job's name, of this run and commit, uploaded by another job.
  const real = uploadedRecord(server, 'app-platform-linux-amd64');
  const forge = (digest: string): void =>
    server.seed(
      'app-platform-linux-arm64',
      { 'platform.json': JSON.stringify({ ...real, platform: 'linux/arm64', digest }) },
      'other-attempt-1',
    );
  const both = `${registryA.url}/${repo}, ${registryB.url}/${repo}`;

  // The arm64 image of an earlier release: in both registries, built from another commit.
  forge(releasedArm64);
  const earlier = await mergeJob(server, event);
  expect(earlier.exitCode).toBe(1);
  const refusal = errors(earlier).join('\n');
  expect(refusal).toContain(
    `was built from "${'30'.repeat(20)}", not this run's commit ${sha}: no platform job of this run built it`,
  );
  expect(refusal).toMatch(/Nothing was pushed\.$/);

  // A digest the registries do not hold at all.
  const absent = `sha256:${'e'.repeat(64)}`;
  forge(absent);
  const missing = await mergeJob(server, event);
  expect(missing.exitCode).toBe(1);
  expect(errors(missing).join('\n')).toContain(
    `linux/arm64: ${absent} is not in ${both}, where its record says its job pushed it: no platform job of this run pushed it`,
  );
  for (const registry of [registryA, registryB]) {
    expect(await registry.manifestDigest(repo, '3.6.0')).toBeUndefined();
  }
});
