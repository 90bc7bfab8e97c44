// The scan gate (scan), on the real engine and registry, with a local script as the scanner: a
// passing scan sees IMAGE equal to the released digest (each platform of a two-platform index
// on the containerd store) and none of the step's secrets; a failing scan releases nothing,
// leaves every tag where it was, removes its staging tag and shows its last lines, escaped, in
// the summary.
import { jest } from '@jest/globals';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  containerdStore,
  makeContext,
  makeTempDir,
  platformContext,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startRegistry,
  type ActionRun,
  type Registry,
} from './harness/index.js';

jest.setTimeout(600_000);

const user = 'scanner';
const password = 'e2e-scan-pw-Zr84-never-shown';
const token = 'ghs_e2eScanTokenNeverPrinted0001';
const oidcToken = 'e2e-oidc-request-token-Yk22';
let registry: Registry;
const runs: ActionRun[] = [];

beforeAll(async () => {
  registry = await startRegistry({ user, password });
});

afterAll(async () => {
  await registry?.stop();
  assertNoSecrets(runs, { password, token, oidcToken });
  await removeTempDirs();
});

/** What the scanner script records, one line per run: IMAGE PLATFORM PLATFORM_IMAGE and the secrets it could see. */
const recorder = [
  'echo "$IMAGE|$PLATFORM|$PLATFORM_IMAGE|$(env | grep -cE "^(INPUT_|ACTIONS_)" || true)" >> "$SCAN_LOG"',
];

async function release(
  repo: string,
  version: string,
  scan: string,
  extra: Record<string, string> = {},
): Promise<{ run: ActionRun; seen: string[] }> {
  const log = join(await makeTempDir('scan-log'), 'seen');
  const context = extra.context ?? (await makeContext({ 'id.txt': `${randomUUID()}\n` })).dir;
  const main = await runAction({
    token,
    // Each version its own commit: an immutable sha- tag is never re-pointed to another build.
    event: pushEvent(`refs/tags/v${version}`, { sha: commitOf(version) }),
    inputs: {
      images: `${registry.url}/${repo}`,
      registry: registry.url,
      username: user,
      password,
      'artifact-name': '',
      // The OIDC request variables below are there to be hidden from the scan, not to sign.
      sign: 'false',
      scan,
      ...extra,
      context,
    },
    env: {
      SCAN_LOG: log,
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidcToken,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  expect(post.exitCode).toBe(0);
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  const seen = await readFile(log, 'utf8').then(
    (text) => text.trim().split('\n'),
    () => [],
  );
  return { run: main, seen };
}

function commitOf(version: string): string {
  return createHash('sha1').update(version).digest('hex');
}

/** The tags of a repository but the scan's staging tags (a registry that removes no tag keeps them). */
function withoutStaging(tags: string[]): string[] {
  return tags.filter((t) => !/^build-tag-push-[\w-]+-scan$/.test(t));
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

test('a passing scan sees IMAGE equal to the released digest, and no INPUT_, ACTIONS_ or OIDC variable; a failing scan then releases nothing', async () => {
  const repo = 'acme/scanned';
  const first = await release(repo, '1.0.0', recorder.join('\n'));
  expect(errors(first.run)).toEqual([]);
  expect(first.run.exitCode).toBe(0);
  const digest = first.run.outputs.digest;
  expect(first.seen).toHaveLength(1);
  const [image, , platformImage, secrets] = first.seen[0].split('|');
  expect(image).toBe(`${registry.url}/${repo}@${digest}`);
  expect(platformImage).toBe(`${registry.url}/${repo}@${digest}`);
  expect(secrets).toBe('0');
  const tags = ['1.0.0', '1.0', '1', 'latest'];
  for (const tag of tags) expect(await registry.manifestDigest(repo, tag)).toBe(digest);
  // Scanned under a staging tag only; this registry (distribution 2.8) does not remove tags, so
  // the staging tag stays beside the release's tags, and the log says so.
  const released = withoutStaging(await registry.tags(repo));
  // Beside the release's tags, the record of its source (fp-...), written after the scan passed.
  expect(released.filter((t) => !t.startsWith('fp-')).sort()).toEqual(
    [...tags, `sha-${commitOf('1.0.0').slice(0, 7)}`].sort(),
  );
  expect(released.filter((t) => t.startsWith('fp-'))).toHaveLength(1);
  expect(first.run.stdout).toMatch(
    /build-tag-push-[\w-]+-scan is kept: the registry does not remove tags/,
  );

  const failing = await release(
    repo,
    '2.0.0',
    [...recorder, 'echo "CVE-2026-0001 <critical> in `libfoo`"', 'exit 3'].join('\n'),
  );
  expect(failing.run.exitCode).toBe(1);
  expect(failing.seen).toHaveLength(1);
  const message = errors(failing.run).join('\n');
  expect(message).toContain('scan: the scan of');
  expect(message).toContain('exited with code 3; nothing was released');
  // Every tag is where it was; no 2.0.0 tag, no staging tag left.
  for (const tag of tags) expect(await registry.manifestDigest(repo, tag)).toBe(digest);
  expect(withoutStaging(await registry.tags(repo))).toEqual(released);
  // The scan's last lines in the summary, escaped.
  expect(failing.run.summary).toContain('CVE-2026-0001 <critical> in');
  expect(failing.run.summary).not.toContain('exit 3\n```');
});

test('a scan that outlives scan-timeout is stopped and releases nothing', async () => {
  const repo = 'acme/scan-slow';
  const { run } = await release(repo, '1.0.0', 'sleep 30', { 'scan-timeout': '2s' });
  expect(run.exitCode).toBe(1);
  expect(errors(run).join('\n')).toContain('did not finish within scan-timeout 2s');
  expect(withoutStaging(await registry.tags(repo))).toEqual([]);
});

(containerdStore() ? test : test.skip)(
  'two platforms: each platform is scanned, with IMAGE the released index and PLATFORM its platform',
  async () => {
    const repo = 'acme/scan-multi';
    const { run, seen } = await release(repo, '1.0.0', recorder.join('\n'), {
      context: await platformContext(),
      platforms: 'linux/amd64,linux/arm64',
    });
    expect(errors(run)).toEqual([]);
    const digest = run.outputs.digest;
    const rows = seen.map((line) => line.split('|'));
    expect(rows.map((r) => r[1]).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    for (const [image, , platformImage] of rows) {
      expect(image).toBe(`${registry.url}/${repo}@${digest}`);
      expect(platformImage).not.toBe(image);
      expect(await registry.manifestDigest(repo, platformImage.split('@')[1])).toBe(
        platformImage.split('@')[1],
      );
    }
    expect(await registry.manifestDigest(repo, 'latest')).toBe(digest);
  },
);
