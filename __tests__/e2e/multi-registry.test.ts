// Several registries in one step, on the real engine: logins from registry-auth, one build
// whose digest every registry gets under every tag, a registry that dies before the push, a
// proxy that answers 502/503/429 until the action has retried, and no password anywhere.
// Every registry is checked through its own API.
import { jest } from '@jest/globals';
import {
  releasedTags,
  assertNoCredentialsLeft,
  assertNoSecrets,
  busyboxDockerfile,
  commandLines,
  containerdStore,
  fromEngine,
  makeContext,
  processListWhile,
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

const A = { user: 'alice', password: 'e2e-multi-A-pw-Jq4v' };
const B = { user: 'bob', password: 'e2e-multi-B-pw-Xw9k' };
const WRONG = 'e2e-multi-wrong-pw-Lp2z';
const token = 'ghs_e2eMultiRegistryTokenNotPrinted';
const repo = 'acme/app';
const sha = 'fedcba9876543210fedcba9876543210fedcba98';

// Jest does not apply a project's testTimeout: the steps here wait for retries.
jest.setTimeout(240_000);

let registryA: Registry;
let registryB: Registry;
let registryC: Registry;
let proxy: FaultyProxy | undefined;
const runs: ActionRun[] = [];
const commandLinesSeen: string[] = [];

beforeAll(async () => {
  [registryA, registryB, registryC] = await Promise.all([
    startRegistry(A),
    startRegistry(B),
    startRegistry(),
  ]);
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([registryA, registryB, registryC].map((r) => r?.stop()));
  await removeTempDirs();
});

/** registry-auth as a user writes it: one block-style entry per login. */
function registryAuth(...entries: { registry: string; user: string; password: string }[]): string {
  return entries
    .map((e) => `- registry: ${e.registry}\n  username: ${e.user}\n  password: ${e.password}\n`)
    .join('');
}

async function step(options: RunOptions): Promise<{ main: ActionRun; post: ActionRun }> {
  const main = await runAction({
    token,
    ...options,
    inputs: { 'artifact-name': '', ...options.inputs },
  });
  const post = await runPost(main);
  runs.push(main, post);
  // A bad input fails before the action's Docker config exists.
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  return { main, post };
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

/** The log without the `::add-mask::` lines (which carry the secrets on purpose). */
function log(run: ActionRun): string {
  return run.stdout.replace(/^::add-mask::.*$/gm, '');
}

async function digests(registry: Registry, name: string, tags: string[]) {
  const found: Record<string, string | undefined> = {};
  for (const tag of tags) found[tag] = await registry.manifestDigest(name, tag);
  return found;
}

const releaseTags = ['1.2.3', '1.2', '1', 'latest', 'sha-fedcba9'];
let releaseDigest = '';

test('one step, three registries: two logins from registry-auth, one anonymous; one digest under every tag on each', async () => {
  const context = await makeContext({ 'id.txt': `release ${Date.now()}\n` });
  const images = [registryA, registryB, registryC].map((r) => `${r.url}/${repo}`);
  const { result, commandLines: seen } = await processListWhile(() =>
    step({
      event: pushEvent('refs/tags/v1.2.3', { sha }),
      inputs: {
        images: images.join('\n'),
        'registry-auth': registryAuth(
          { registry: registryA.url, ...A },
          { registry: `http://${registryB.url}/`, ...B },
        ),
        context: context.dir,
      },
    }),
  );
  commandLinesSeen.push(...seen);
  const { main, post } = result;
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);

  const digest = main.outputs.digest;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  releaseDigest = digest;
  for (const registry of [registryA, registryB, registryC]) {
    expect(await releasedTags(registry, repo)).toEqual([...releaseTags].sort());
    expect(await digests(registry, repo, releaseTags)).toEqual(
      Object.fromEntries(releaseTags.map((t) => [t, digest])),
    );
  }
  expect(main.outputs.refs.split('\n')).toEqual(images.map((i) => `${i}@${digest}`));
  expect(main.outputs.pushed).toBe('true');

  // Both passwords masked before anything else was printed.
  expect(main.masks).toEqual(expect.arrayContaining([A.password, B.password]));
  const firstNonMask = main.stdout.split('\n').findIndex((l) => !l.startsWith('::add-mask::'));
  const lastMask = main.stdout.split('\n').findLastIndex((l) => l.startsWith('::add-mask::'));
  expect(lastMask).toBeLessThan(firstNonMask);
  expect(log(main)).toContain(`logged in to ${registryA.url} as alice`);
  expect(log(main)).toContain(`logged in to ${registryB.url} as bob`);
  expect(log(main)).toContain(
    `no credentials were given for ${registryC.url}; pushing to it anonymously`,
  );
  for (const image of images) {
    for (const tag of releaseTags)
      expect(log(main)).toContain(`verified ${image}:${tag}@${digest}`);
  }
  expect(post.exitCode).toBe(0);
  expect(errors(post)).toEqual([]);
});

test('the second registry is killed before the push: the step fails, the summary says what each registry got, no moving tag moves', async () => {
  expect(releaseDigest).not.toBe('');
  // The build takes a few seconds: the registry dies after the logins, before the push.
  const context = await makeContext({
    Dockerfile: busyboxDockerfile('COPY id.txt /id.txt', 'RUN sleep 3'),
    'id.txt': `partial ${Date.now()}\n`,
  });
  const imageA = `${registryA.url}/${repo}`;
  const imageB = `${registryB.url}/${repo}`;
  let killed = false;
  const running = step({
    event: pushEvent('refs/tags/v2.0.0', { sha: '2'.repeat(40) }),
    inputs: {
      images: `${imageA}\n${imageB}`,
      'registry-auth': registryAuth(
        { registry: registryA.url, ...A },
        { registry: registryB.url, ...B },
      ),
      context: context.dir,
    },
  });
  const watcher = (async () => {
    const deadline = Date.now() + 120_000;
    while (!killed && Date.now() < deadline) {
      const lines = await commandLines();
      if (lines.some((l) => l.includes('buildx build') && l.includes(imageB))) {
        await registryB.kill();
        killed = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  const { main } = await running;
  await watcher;
  expect(killed).toBe(true);

  expect(main.exitCode).toBe(1);
  const [message, ...more] = errors(main);
  expect(more).toEqual([]);
  // The push was retried (a connection refused is transient), then given up.
  expect(log(main)).toMatch(/the push of the build: .*connection refused; retry 1\/3 in 1 s/);
  expect(message).toMatch(/^docker buildx build failed \(exit code 1; gave up after 3 retries\):/);
  expect(message).toContain(
    `${imageA}: pushed nothing; in the registry, not verified 2.0.0, sha-2222222; not pushed 2.0, 2, latest`,
  );
  expect(message).toContain(
    `${imageB}: pushed nothing; unknown (the registry could not be read) 2.0.0, sha-2222222; not pushed 2.0, 2, latest`,
  );
  expect(main.summary).toContain('## Image push failed');
  expect(main.summary).toContain(
    `| \`${registryA.url}\` | \`${imageA}\` | \`2.0.0\` (not verified) \`sha-2222222\` (not verified) | \`2.0\` \`2\` \`latest\` |`,
  );
  expect(main.summary).toContain(
    `| \`${registryB.url}\` | \`${imageB}\` | nothing | \`2.0.0\` (unknown: registry not readable) \`sha-2222222\` (unknown: registry not readable) \`2.0\` \`2\` \`latest\` |`,
  );
  expect(main.summary).toMatch(/connection refused/);
  expect(main.outputs.pushed).toBeUndefined();

  // A got the immutable tags of the new image; no moving tag moved on A.
  const newDigest = await registryA.manifestDigest(repo, '2.0.0');
  expect(newDigest).toMatch(/^sha256:/);
  expect(newDigest).not.toBe(releaseDigest);
  expect(await digests(registryA, repo, ['sha-2222222', 'latest', '2', '2.0'])).toEqual({
    'sha-2222222': newDigest,
    latest: releaseDigest,
    '2': undefined,
    '2.0': undefined,
  });
  // B, started again on its storage: nothing of the new image, latest where it was.
  registryB = await startRegistry({ ...B, port: registryB.port, dir: registryB.dir });
  expect(await digests(registryB, repo, ['2.0.0', 'sha-2222222', 'latest', '2', '2.0'])).toEqual({
    '2.0.0': undefined,
    'sha-2222222': undefined,
    latest: releaseDigest,
    '2': undefined,
    '2.0': undefined,
  });
});

test('a proxy in front of a registry answers 503, 502 and 429: login, push and registry checks are retried, and the log says so', async () => {
  proxy = await startFaultyProxy(registryA.port, [
    // The engine's first requests, which are the login's (the action's own reads of the
    // release's tags go beside it).
    { status: 503, times: 2, match: (r) => fromEngine(r.userAgent) },
    // The manifest of the push (dockerd): the build is run again, from the cache.
    {
      status: 503,
      match: (r) => fromEngine(r.userAgent) && r.method === 'PUT' && r.path.includes('/manifests/'),
    },
    // The action's own registry checks: the first digest read, then the first tag copy.
    {
      status: 502,
      match: (r) =>
        !fromEngine(r.userAgent) && r.method === 'HEAD' && r.path.includes('/manifests/'),
    },
    {
      status: 429,
      headers: { 'Retry-After': '1' },
      match: (r) =>
        !fromEngine(r.userAgent) && r.method === 'PUT' && r.path.includes('/manifests/'),
    },
  ]);
  const context = await makeContext({ 'id.txt': `proxied ${Date.now()}\n` });
  const name = 'acme/proxied';
  const image = `${proxy.url}/${name}`;
  const { result, commandLines: seen } = await processListWhile(() =>
    step({
      event: pushEvent('refs/tags/v3.1.4', { sha: '3'.repeat(40) }),
      inputs: {
        images: image,
        'registry-auth': registryAuth({ registry: proxy?.url ?? '', ...A }),
        context: context.dir,
      },
    }),
  );
  commandLinesSeen.push(...seen);
  const { main } = result;
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);

  const text = log(main);
  expect(text).toMatch(
    new RegExp(
      `login to ${proxy.url} as alice: Error response from daemon: login attempt to http://${proxy.url}/v2/ failed with status: 503 Service Unavailable; retry 1/3 in 1 s`,
    ),
  );
  // The classic store's dockerd gives the 503 to buildx, and the action runs the push again; on
  // the containerd store BuildKit's pusher retries the manifest itself.
  if (!containerdStore()) {
    expect(text).toMatch(/the push of the build: .*503 Service Unavailable; retry 1\/3 in 1 s/);
  }
  expect(text).toMatch(
    new RegExp(
      `reading the digest of ${image}:[\\w.-]+: ${proxy.url} answered HTTP 502 Bad Gateway; retry 1/3 in 1 s`,
    ),
  );
  expect(text).toMatch(
    new RegExp(
      `tagging ${image}:[\\w.-]+: ${proxy.url} answered HTTP 429 Too Many Requests, Retry-After 1; retry 1/3 in 1 s`,
    ),
  );
  // Every fault was served, and the registry behind the proxy has everything.
  // (The 502 may come before the push's 503: the immutable tags are read before the build.)
  expect(
    proxy.requests
      .filter((r) => r.answer !== 'forwarded')
      .map((r) => r.answer)
      .sort(),
  ).toEqual([429, 502, 503, 503, 503]);
  const tags = ['3.1.4', '3.1', '3', 'latest', 'sha-3333333'];
  const digest = main.outputs.digest;
  expect(digest).toMatch(/^sha256:/);
  expect(await digests(registryA, name, tags)).toEqual(
    Object.fromEntries(tags.map((t) => [t, digest])),
  );
});

test('a registry in images with no credentials refuses the push: the error says to add it to registry-auth', async () => {
  const context = await makeContext({ 'id.txt': `no-creds ${Date.now()}\n` });
  const name = 'acme/no-creds';
  const { main } = await step({
    event: pushEvent('refs/tags/v4.0.0', { sha: '4'.repeat(40) }),
    inputs: {
      images: `${registryA.url}/${name}\n${registryB.url}/${name}`,
      'registry-auth': registryAuth({ registry: registryA.url, ...A }),
      context: context.dir,
    },
  });
  expect(main.exitCode).toBe(1);
  const [message] = errors(main);
  expect(message.split('\n')[0]).toBe(
    `no credentials were given for ${registryB.url}; add it to registry-auth`,
  );
  expect(log(main)).toContain(
    `no credentials were given for ${registryB.url}; pushing to it anonymously`,
  );
  // An auth failure is not retried.
  expect(log(main)).not.toMatch(/the push of the build: .*retry/);
  expect(main.summary.split('\n')[2]).toBe(
    `no credentials were given for ${registryB.url}; add it to registry-auth`,
  );
  expect(await registryA.tags(name)).not.toContain('latest');
});

test('input errors: mixed logins, malformed registry-auth, a refused password; each says what is wrong, none shows a password', async () => {
  const image = `${registryA.url}/${repo}`;
  const mixed = await step({
    event: pushEvent('refs/tags/v5.0.0'),
    inputs: {
      images: image,
      'registry-auth': registryAuth({ registry: registryA.url, ...A }),
      username: 'alice',
      password: A.password,
    },
  });
  expect(mixed.main.exitCode).toBe(1);
  expect(errors(mixed.main)).toEqual([
    'registry-auth: cannot be combined with username, password; move that login into registry-auth as one more entry, or use registry, username and password alone',
  ]);

  const malformed = await step({
    event: pushEvent('refs/tags/v5.0.0'),
    inputs: {
      images: image,
      'registry-auth': `- registry: ${registryA.url}\n  username: alice\n  password: ${B.password}\n- registry: ${registryB.url}\n  user: bob`,
    },
  });
  expect(malformed.main.exitCode).toBe(1);
  expect(errors(malformed.main)).toEqual([
    'registry-auth: entry 2 has an unknown key "user"; expected registry, username and password',
  ]);
  expect(malformed.main.masks).toContain(B.password);

  const refused = await step({
    event: pushEvent('refs/tags/v5.0.0'),
    inputs: {
      context: (await makeContext()).dir,
      images: `${image}\n${registryB.url}/${repo}`,
      'registry-auth': registryAuth(
        { registry: registryA.url, user: 'alice', password: WRONG },
        { registry: registryB.url, ...B },
      ),
    },
  });
  expect(refused.main.exitCode).toBe(1);
  const [message] = errors(refused.main);
  expect(message).toMatch(
    new RegExp(
      `^login to ${registryA.url} as alice failed: ${registryA.url} refused the credentials; .*401 Unauthorized`,
    ),
  );
  // Refused: not retried. The other login went through (and was logged out by the post step).
  expect(log(refused.main)).not.toMatch(/retry 1\/3/);
  expect(log(refused.main)).toContain(`logged in to ${registryB.url} as bob`);
});

test('no registry-auth password or token appears in any log, output, summary, state, env file, file left or command line', () => {
  expect(runs.length).toBeGreaterThanOrEqual(14);
  expect(commandLinesSeen.some((l) => l.includes('docker login'))).toBe(true);
  assertNoSecrets(
    runs,
    { 'password of A': A.password, 'password of B': B.password, 'wrong password': WRONG, token },
    { commandLines: commandLinesSeen },
  );
});
