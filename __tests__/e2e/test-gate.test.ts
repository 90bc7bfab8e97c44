// The test gate of the bundled action on the real engine (docker driver) and a registry with
// htpasswd authentication: a passing test pushes the image it tested (same config digest, same
// files), a failing, broken or hanging test pushes nothing and leaves no container.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  releasedTags,
  assertNoCredentialsLeft,
  assertNoSecrets,
  busyboxBase,
  containerdStore,
  docker,
  fromEngine,
  makeContext,
  processListWhile,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startFaultyProxy,
  startRegistry,
  type ActionRun,
  type Manifest,
  type Registry,
  type RunOptions,
} from './harness/index.js';

const user = 'tester';
const password = 'pw-gate-Hq27-not-in-any-log';
const testSecret = 'tok-gate-Vb93-only-in-the-container';
const token = 'ghs_e2eTestGateTokenNotPrinted01';
const repo = 'acme/gated';

let registry: Registry;
const runs: ActionRun[] = [];
const commandLinesSeen: string[] = [];

const dockerfile = [
  ...busyboxBase.map((line, i) => (i === 0 ? `${line} AS base` : line)),
  '',
  'FROM base AS test',
  'CMD ["sh", "-c", "test -x /bin/busybox && echo stage-test-ok"]',
  '',
  'FROM base AS failing-test',
  'CMD ["sh", "-c", "echo stage-test-failing; exit 4"]',
  '',
  'FROM base AS broken-test',
  'RUN echo "the test stage does not build" && exit 9',
  '',
  'FROM base',
  'COPY hello.txt /hello.txt',
  // A value made at build time: the test prints it, and the pushed layer must hold the same.
  'RUN cat /proc/sys/kernel/random/uuid > /nonce',
  'CMD ["sh"]',
].join('\n');

/** A build context whose image is new (its own hello.txt), so no scenario reuses another's. */
async function context(): Promise<string> {
  return (await makeContext({ Dockerfile: dockerfile, 'hello.txt': `${randomUUID()}\n` })).dir;
}

beforeAll(async () => {
  registry = await startRegistry({ user, password });
});

afterAll(async () => {
  await registry?.stop();
  await removeTempDirs();
});

async function step(options: RunOptions & { context: string }): Promise<ActionRun> {
  const main = await runAction({
    token,
    ...options,
    inputs: {
      images: `${registry.url}/${repo}`,
      registry: registry.url,
      username: user,
      password,
      context: options.context,
      'artifact-name': '',
      ...options.inputs,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  expect(post.exitCode).toBe(0);
  // A bad input fails before the action's Docker config exists.
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

/**
 * The test containers of this run that still exist. Other test files share the engine and run
 * their own test containers at the same time, so only names this run logged count.
 */
async function testContainers(run: ActionRun): Promise<string[]> {
  // The run logs each container's name with its docker run command.
  expect(run.stdout).toMatch(/--name build-tag-push-test-[0-9a-f]{12}/);
  const { stdout } = await docker([
    'ps',
    '--all',
    '--filter',
    'name=build-tag-push-test-',
    '--format',
    '{{.Names}}',
  ]);
  return stdout.split('\n').filter((name) => name !== '' && run.stdout.includes(name));
}

/** The content of `path` in the image layers of `repo:tag`, read from the registry's blobs. */
/** The image manifest of `repo:tag` for linux/amd64 (the one of the index, if it is one). */
async function platformManifest(tag: string): Promise<Manifest | undefined> {
  const manifest = await registry.manifest(repo, tag);
  if (!manifest || !Array.isArray(manifest.body.manifests)) return manifest;
  const entries = manifest.body.manifests as {
    digest: string;
    platform?: { architecture?: string };
  }[];
  const amd64 = entries.find((m) => m.platform?.architecture === 'amd64');
  return amd64 ? registry.manifest(repo, amd64.digest) : undefined;
}

async function fileInImage(tag: string, path: string): Promise<string | undefined> {
  const manifest = await platformManifest(tag);
  const layers = (manifest?.body.layers ?? []) as { digest: string }[];
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let found: string | undefined;
  for (const layer of layers) {
    const response = await fetch(`http://${registry.url}/v2/${repo}/blobs/${layer.digest}`, {
      headers: { Authorization: auth },
    });
    const tar = gunzipSync(Buffer.from(await response.arrayBuffer()));
    for (let at = 0; at + 512 <= tar.length;) {
      const name = tar
        .subarray(at, at + 100)
        .toString('utf8')
        .replace(/\0.*$/s, '');
      if (!name) break;
      const size = parseInt(
        tar
          .subarray(at + 124, at + 136)
          .toString('utf8')
          .trim() || '0',
        8,
      );
      if (name.replace(/^\.?\//, '') === path) {
        found = tar.subarray(at + 512, at + 512 + size).toString('utf8');
      }
      at += 512 + Math.ceil(size / 512) * 512;
    }
  }
  return found;
}

const secretHash = createHash('sha256').update(testSecret).digest('hex');

test('a passing test-target and test: the tested image is pushed under every tag', async () => {
  const dir = await context();
  const { result: main, commandLines } = await processListWhile(() =>
    step({
      context: dir,
      event: pushEvent('refs/tags/v1.2.3', { sha: 'a1'.repeat(20) }),
      inputs: {
        'test-target': 'test',
        // The secret is checked by its hash: it reached the container, and is printed nowhere.
        test: [
          'echo "nonce=$(cat /nonce)"',
          `test "$(printf %s "$API_TOKEN" | sha256sum | cut -c1-64)" = "${secretHash}"`,
          'echo "token-ok mode=$MODE"',
        ].join('\n'),
        'test-env': `API_TOKEN=${testSecret}\nMODE=gate`,
      },
    }),
  );
  commandLinesSeen.push(...commandLines);
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);

  const digest = main.outputs.digest;
  const tags = ['1.2.3', '1.2', '1', 'latest', 'sha-a1a1a1a'];
  expect(await releasedTags(registry, repo)).toEqual([...tags].sort());
  for (const tag of tags) expect(await registry.manifestDigest(repo, tag)).toBe(digest);

  // The image config the registry holds is the one the test ran: the ID in the test's log line.
  const tested = /testing image (sha256:[0-9a-f]{64}) on linux\/amd64/g;
  const ids = [...main.stdout.matchAll(tested)].map((m) => m[1]);
  expect(ids).toHaveLength(2); // the test stage, then the image
  const config = await platformManifest('1.2.3').then(
    (m) => (m?.body.config as { digest: string }).digest,
  );
  if (containerdStore()) {
    // There the image ID is the digest of the image's index (with its provenance attestation):
    // the registry holds that very index.
    expect(ids[1]).toBe(digest);
    expect(main.outputs.imageid).toBe(digest);
    expect((await registry.imageTree(repo, '1.2.3'))?.missing).toEqual([]);
  } else {
    expect(config).toBe(ids[1]);
    expect(main.outputs.imageid).toBe(config);
  }
  // And its files: the nonce the test printed is the one in the pushed layer.
  const nonce = /nonce=([0-9a-f-]{36})/.exec(main.stdout)?.[1];
  expect(nonce).toBeDefined();
  expect((await fileInImage('1.2.3', 'nonce'))?.trim()).toBe(nonce);

  expect(main.stdout).toContain('stage-test-ok');
  expect(main.stdout).toContain('token-ok');
  expect(main.outputs['test-result']).toBe('passed');
  expect(main.outputs['test-exit-code']).toBe('0');
  expect(Number(main.outputs['test-duration'])).toBeGreaterThan(0);
  expect(main.summary).toContain('### Test passed');
  expect(main.summary).toContain('| stage `test` (its CMD) | 0 |');
  expect(main.summary).toContain(
    containerdStore() ? `- tested image: \`${digest}\`` : `- tested image config: \`${config}\``,
  );
  expect(main.masks).toContain(testSecret);
  expect(await testContainers(main)).toEqual([]);
});

test('a failing test (exit 3) fails the step with the exit code and pushes nothing', async () => {
  const before = await registry.tags(repo);
  const main = await step({
    context: await context(),
    event: pushEvent('refs/tags/v2.0.0'),
    inputs: { test: 'printf checking; exit 3' },
  });
  expect(main.exitCode).toBe(1);
  const [message, ...more] = errors(main);
  expect(more).toEqual([]);
  expect(message).toBe('test failed with exit code 3; nothing was pushed');
  // Output without a final newline: the command that resumes workflow commands starts a line.
  expect(main.stdout).toMatch(/\nchecking\n::[0-9a-f]{32}::\n/);
  expect(await registry.tags(repo)).toEqual(before);
  expect(main.outputs['test-result']).toBe('failed');
  expect(main.outputs['test-exit-code']).toBe('3');
  expect(main.summary).toContain('## Image test failed');
  expect(main.summary).toContain('| `printf checking; exit 3` | 3 |');
  expect(await testContainers(main)).toEqual([]);
});

test.each([
  ['failing-test', 'test-target: stage "failing-test" failed with exit code 4; nothing was pushed'],
  ['broken-test', 'test-target: building stage "broken-test" failed: docker buildx build failed'],
])('test-target %s pushes nothing', async (stage, expected) => {
  const before = await registry.tags(repo);
  const main = await step({
    context: await context(),
    event: pushEvent('refs/tags/v3.0.0'),
    inputs: { 'test-target': stage, test: 'echo "the image test must not run"' },
  });
  expect(main.exitCode).toBe(1);
  const [message] = errors(main);
  expect(message).toContain(expected);
  expect(main.stdout).not.toContain('the image test must not run\n');
  expect(await registry.tags(repo)).toEqual(before);
  expect(main.outputs['test-result']).toBe('failed');
});

test('a registry that holds another image than the tested one: the gate refuses, and no tag is written anywhere', async () => {
  // The image reaches the registry by digest, with no tag; the action then reads back what the
  // registry holds. Here it answers with another digest (as a registry that rewrote the image
  // would): nothing may be tagged, the immutable tags included.
  const other = `sha256:${'f'.repeat(64)}`;
  const proxy = await startFaultyProxy(registry.port, [
    {
      status: 200,
      times: Infinity,
      headers: { 'Docker-Content-Digest': other },
      match: (r) =>
        !fromEngine(r.userAgent) &&
        ['HEAD', 'GET'].includes(r.method) &&
        /\/manifests\/sha256:/.test(r.path),
    },
  ]);
  try {
    const name = 'acme/refused';
    const main = await step({
      context: await context(),
      event: pushEvent('refs/tags/v7.0.0', { sha: '70'.repeat(20) }),
      inputs: { images: `${proxy.url}/${name}`, registry: proxy.url, test: 'test -f /nonce' },
    });
    expect(main.exitCode).toBe(1);
    expect(main.outputs['test-result']).not.toBe('failed');
    const [message, ...more] = errors(main);
    expect(more).toEqual([]);
    expect(message).toMatch(/not the tested|whose digest is/);
    expect(main.stdout).not.toMatch(/^tagged /m);
    expect(await registry.tags(name)).toEqual([]);
  } finally {
    await proxy.stop();
  }
});

test('an upload of the tested image that the registry refuses: the saved image is gone when the main step ends, nothing is tagged', async () => {
  const proxy = await startFaultyProxy(registry.port, [
    {
      status: 400,
      code: 'BLOB_UPLOAD_INVALID',
      times: Infinity,
      match: (r) =>
        !fromEngine(r.userAgent) && r.method === 'POST' && /\/blobs\/uploads\/?$/.test(r.path),
    },
  ]);
  try {
    const name = 'acme/upload-refused';
    const main = await runAction({
      token,
      event: pushEvent('refs/tags/v7.1.0', { sha: '71'.repeat(20) }),
      inputs: {
        images: `${proxy.url}/${name}`,
        registry: proxy.url,
        username: user,
        password,
        context: await context(),
        test: 'test -f /hello.txt',
        'artifact-name': '',
      },
    });
    expect(main.exitCode).toBe(1);
    expect(main.stdout).toContain('Push the tested image by digest');
    // Removed by the main step itself, not left for the post step: a whole image, uncompressed.
    expect(main.state.tempDir).toBeTruthy();
    expect(existsSync(join(main.state.tempDir, 'image'))).toBe(false);
    expect(await registry.tags(name)).toEqual([]);
    const post = await runPost(main);
    runs.push(main, post);
  } finally {
    await proxy.stop();
  }
});

test('a test that hangs is stopped at test-timeout, its container removed, nothing pushed', async () => {
  const before = await registry.tags(repo);
  const started = Date.now();
  const main = await step({
    context: await context(),
    event: pushEvent('refs/tags/v4.0.0'),
    inputs: { test: 'echo started; sleep 600', 'test-timeout': '3s' },
  });
  expect(main.exitCode).toBe(1);
  expect(errors(main)).toEqual([
    'test did not finish within 3s (test-timeout); its container was killed and removed; nothing was pushed',
  ]);
  expect(Date.now() - started).toBeLessThan(60_000);
  expect(main.stdout).toContain('started');
  expect(await registry.tags(repo)).toEqual(before);
  expect(main.outputs['test-result']).toBe('failed');
  expect(main.outputs['test-exit-code']).toBe('');
  expect(main.summary).toContain('| timed out |');
  expect(await testContainers(main)).toEqual([]);
});

test('an image without sh: exit code 127 and the rule in the error', async () => {
  const dir = (
    await makeContext({ Dockerfile: 'FROM scratch\nCOPY hello.txt /hello.txt\n', 'hello.txt': 'x' })
  ).dir;
  const main = await step({
    context: dir,
    event: pushEvent('refs/tags/v5.0.0'),
    inputs: { test: 'true' },
  });
  expect(main.exitCode).toBe(1);
  expect(errors(main)[0]).toContain(
    'test failed with exit code 127 (the test runs `sh -c COMMAND` in the image: it needs a sh',
  );
  expect(await registry.tags(repo)).not.toContain('5.0.0');
});

test('pull request: the test runs, nothing is pushed', async () => {
  const before = await registry.tags(repo);
  const main = await step({
    context: await context(),
    event: pullRequestEvent(7),
    inputs: { test: 'echo pr-test-ran' },
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.stdout).toContain('pr-test-ran');
  expect(main.outputs['test-result']).toBe('passed');
  expect(main.outputs.pushed).toBe('false');
  expect(await registry.tags(repo)).toEqual(before);
});

test('a bad test-timeout is an input error naming the value; without a test the result is skipped', async () => {
  const dir = await context();
  const bad = await step({
    context: dir,
    event: pullRequestEvent(8),
    inputs: { test: 'true', 'test-timeout': '0s' },
  });
  expect(errors(bad)).toEqual([
    'test-timeout: "0s" is not a positive duration; expected a number of seconds or a duration such as 90s, 10m or 1h',
  ]);
  const none = await step({ context: dir, event: pullRequestEvent(8) });
  expect(none.exitCode).toBe(0);
  expect(none.outputs['test-result']).toBe('skipped');
});

test('no password, token or test-env value in any log, output, summary, state, file left or command line', () => {
  expect(runs.length).toBeGreaterThanOrEqual(16);
  expect(commandLinesSeen.some((line) => line.includes('--env API_TOKEN'))).toBe(true);
  assertNoSecrets(
    runs,
    { password, token, 'test-env value': testSecret },
    { commandLines: commandLinesSeen },
  );
});
