// Faults on the real engine: registries that are down, die, fail for a while, refuse the push or
// never answer; an engine that is away; a build that fails; a step killed during its push; a
// pull request from a fork. Every scenario checks the exit code, the one error, the registry's
// content through its own API (no moving tag moved) and that no credential is left after the
// post step. The scenarios are independent and run at once: each is started in beforeAll and
// awaited by its own test.
import { jest } from '@jest/globals';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  busyboxDockerfile,
  commandLines,
  containerdStore,
  fromEngine,
  makeContext,
  processListWhile,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startArtifactServer,
  startFaultyProxy,
  startRegistry,
  startSilentServer,
  type ActionRun,
  type FaultyProxy,
  type IncomingProxyRequest,
  type Registry,
  type RunningStep,
  type RunOptions,
  type SilentServer,
} from './harness/index.js';

jest.setTimeout(180_000);

const user = 'releaser';
const password = 'faults-pw-Rt62-never-printed';
const token = 'ghs_faultsTokenThatMustNotLeak0123';
const buildSecret = 'faults-build-secret-Mn47-hidden';
const repo = 'acme/app';
const moving = ['latest', '1', '1.0'];
// The network-timeout of the scenarios that wait on a silent peer. It bounds their logins to the
// registries that do answer too, which take a few seconds while the other scenarios build on the
// same engine (the containerd-store engine logs in through dockerd, slower still).
const netTimeout = containerdStore() ? 8 : 5;

let registry: Registry;
let seedDigest = '';
const proxies: FaultyProxy[] = [];
const silent: SilentServer[] = [];
const others: Registry[] = [];
const runs: ActionRun[] = [];
let seen: Promise<string[]>;
let finish: () => void = () => undefined;

interface Step {
  main: ActionRun;
  post: ActionRun;
}

/** A scenario's outcome, or what it threw: the test that awaits it fails with that. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }) as const,
    (error: unknown) => ({ ok: false, error }) as const,
  );
}

async function result<T>(settled: Promise<Settled<T>>): Promise<T> {
  const outcome = await settled;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** The main step and its post step, with valid inputs for `registry`, changed by `options`. */
async function step(options: RunOptions & { host?: string }): Promise<Step> {
  const host = options.host ?? registry.url;
  const main = await runAction({
    token,
    ...options,
    inputs: {
      images: `${host}/${repo}`,
      registry: host,
      username: user,
      password,
      'artifact-name': '',
      retries: 1,
      ...options.inputs,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  return { main, post };
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

function groups(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'group').map((c) => c.message);
}

/** The log without the `::add-mask::` lines. */
function log(run: ActionRun): string {
  return run.stdout.replace(/^::add-mask::.*$/gm, '');
}

/** A build context of its own, so that every scenario builds and pushes an image of its own. */
async function context(name: string, ...lines: string[]): Promise<string> {
  const files = { 'id.txt': `${name} ${Date.now()} ${Math.random()}\n` };
  return (
    await makeContext(
      lines.length > 0
        ? { ...files, Dockerfile: busyboxDockerfile('COPY id.txt /id.txt', ...lines) }
        : files,
    )
  ).dir;
}

/** The digests of `tags` in the seeded repository of `registry`. */
async function digests(tags: string[], on: Registry = registry, name = repo) {
  const found: Record<string, string | undefined> = {};
  for (const tag of tags) found[tag] = await on.manifestDigest(name, tag);
  return found;
}

/** The moving tags of the seeded release, where they were. */
function unmoved(): Record<string, string | undefined> {
  return { ...Object.fromEntries(moving.map((t) => [t, seedDigest])), '2': undefined };
}

/** A request of the push (docker's uploads and its manifest), not of the login or a check. */
const isPush = (r: IncomingProxyRequest): boolean =>
  fromEngine(r.userAgent) &&
  ['POST', 'PUT', 'PATCH'].includes(r.method) &&
  (r.path.includes('/blobs/uploads/') || r.path.includes('/manifests/'));

/**
 * The manifest of the push, its last request. dockerd retries a failed layer upload by itself
 * for most of a minute, the manifest not: a fault there reaches buildx, and the action, at once.
 */
const isManifestPush = (r: IncomingProxyRequest): boolean =>
  isPush(r) && r.method === 'PUT' && r.path.includes('/manifests/');

// The scenarios, started in beforeAll.
let registryDown: Promise<Settled<{ step: Step; after: string[] }>>;
let registryDies: Promise<Settled<{ step: Step; after: string[]; killed: boolean }>>;
let recovers: Promise<Settled<{ step: Step; proxy: FaultyProxy }>>;
let refused: Promise<Settled<{ step: Step; proxy: FaultyProxy }>>;
let engineAway: Promise<Settled<Step>>;
let buildFails: Promise<Settled<Step>>;
let terminated: Promise<Settled<{ step: Step; signalled: boolean }>>;
let hungRegistry: Promise<Settled<{ step: Step; server: SilentServer }>>;
let hungCheck: Promise<Settled<{ step: Step; proxy: FaultyProxy }>>;
let fork: Promise<Settled<{ step: Step; proxy: FaultyProxy }>>;
let hungArtifacts: Promise<Settled<{ step: Step; server: SilentServer }>>;

beforeAll(async () => {
  registry = await startRegistry({ user, password });
  const done = new Promise<void>((resolve) => (finish = resolve));
  seen = processListWhile(() => done).then((sample) => sample.commandLines);

  // The release every scenario must leave where it is: 1.0.0, 1.0, 1, latest.
  const seed = await step({
    event: pushEvent('refs/tags/v1.0.0', { sha: '1'.repeat(40) }),
    inputs: { context: await context('seed') },
  });
  if (seed.main.exitCode !== 0) throw new Error(`the seed release failed:\n${seed.main.stdout}`);
  seedDigest = seed.main.outputs.digest;

  registryDown = settle(
    (async () => {
      const down = await startRegistry({ user, password });
      others.push(down);
      await down.kill();
      const result = await step({
        host: down.url,
        event: pushEvent('refs/tags/v2.1.0', { sha: '21'.repeat(20) }),
        inputs: { context: await context('down') },
      });
      const back = await startRegistry({ user, password, port: down.port, dir: down.dir });
      others.push(back);
      return { step: result, after: await back.tags(repo) };
    })(),
  );

  registryDies = settle(
    (async () => {
      const dying = await startRegistry({ user, password });
      others.push(dying);
      let killed = false;
      const proxy = await startFaultyProxy(dying.port, [], {
        // The layers are in; the registry and everything in front of it die at the manifest.
        onRequest: async (r) => {
          if (killed || !isManifestPush(r)) return;
          killed = true;
          await dying.kill();
          await proxy.stop();
        },
      });
      const result = await step({
        host: proxy.url,
        event: pushEvent('refs/tags/v2.2.0', { sha: '22'.repeat(20) }),
        inputs: { context: await context('dies') },
      });
      const back = await startRegistry({ user, password, port: dying.port, dir: dying.dir });
      others.push(back);
      return { step: result, after: await back.tags(repo), killed };
    })(),
  );

  recovers = settle(
    (async () => {
      let start: number | undefined;
      const proxy = await startFaultyProxy(registry.port, [
        {
          status: 500,
          times: Infinity,
          // 500 to the manifest for 2 s from the first attempt, then the registry is back.
          match: (r) => {
            if (!isManifestPush(r)) return false;
            start ??= Date.now();
            return Date.now() - start < 2000;
          },
        },
      ]);
      proxies.push(proxy);
      const result = await step({
        host: proxy.url,
        event: pushEvent('refs/tags/v2.3.0', { sha: '23'.repeat(20) }),
        inputs: { images: `${proxy.url}/acme/recovers`, retries: 3, context: await context('500') },
      });
      return { step: result, proxy };
    })(),
  );

  refused = settle(
    (async () => {
      const proxy = await startFaultyProxy(registry.port, [
        {
          status: 401,
          times: Infinity,
          code: 'UNAUTHORIZED',
          headers: { 'WWW-Authenticate': 'Basic realm="e2e"' },
          match: isPush,
        },
      ]);
      proxies.push(proxy);
      const result = await step({
        host: proxy.url,
        event: pushEvent('refs/tags/v2.4.0', { sha: '24'.repeat(20) }),
        inputs: { retries: 3, context: await context('401') },
      });
      return { step: result, proxy };
    })(),
  );

  engineAway = settle(
    (async () =>
      step({
        event: pushEvent('refs/tags/v2.5.0', { sha: '25'.repeat(20) }),
        inputs: { context: await context('engine') },
        env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
      }))(),
  );

  buildFails = settle(
    (async () =>
      step({
        event: pushEvent('refs/tags/v2.6.0', { sha: '26'.repeat(20) }),
        inputs: {
          context: await context(
            'build',
            'RUN --mount=type=secret,id=token test -s /run/secrets/token && echo step-one-done',
            'RUN echo "compiling went wrong" >&2 && exit 3',
          ),
          secrets: `token=${buildSecret}`,
        },
      }))(),
  );

  terminated = settle(
    (async () => {
      let running: RunningStep | undefined;
      let signalled = false;
      const proxy = await startFaultyProxy(registry.port, [], {
        // The first upload of the push: the runner cancels the job, as a user would.
        onRequest: (r) => {
          if (signalled || !isPush(r) || !running) return;
          signalled = true;
          running.kill('SIGTERM');
        },
      });
      proxies.push(proxy);
      const result = await step({
        host: proxy.url,
        event: pushEvent('refs/tags/v2.7.0', { sha: '27'.repeat(20) }),
        inputs: { context: await context('sigterm', 'RUN sleep 1') },
        onSpawn: (handle) => (running = handle),
      });
      // The docker processes the step started outlive it: wait for them before reading the registry.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const left = (await commandLines()).filter((l) => l.includes(`${proxy.url}/${repo}`));
        if (left.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return { step: result, signalled };
    })(),
  );

  hungRegistry = settle(
    (async () => {
      const server = await startSilentServer();
      silent.push(server);
      const result = await step({
        host: server.url,
        event: pushEvent('refs/tags/v2.8.0', { sha: '28'.repeat(20) }),
        inputs: { 'network-timeout': `${netTimeout}s`, retries: 0, context: await context('hung') },
      });
      return { step: result, server };
    })(),
  );

  hungCheck = settle(
    (async () => {
      const proxy = await startFaultyProxy(registry.port, [
        {
          status: 0,
          hang: true,
          times: Infinity,
          // The action's own reads of the pushed tags (not docker's): they never get an answer.
          match: (r) =>
            !fromEngine(r.userAgent) && r.method === 'HEAD' && r.path.includes('/manifests/'),
        },
      ]);
      proxies.push(proxy);
      const result = await step({
        host: proxy.url,
        event: pushEvent('refs/tags/v2.9.0', { sha: '29'.repeat(20) }),
        inputs: {
          'network-timeout': `${netTimeout}s`,
          retries: 1,
          context: await context('check'),
        },
      });
      return { step: result, proxy };
    })(),
  );

  hungArtifacts = settle(
    (async () => {
      const server = await startSilentServer();
      silent.push(server);
      // A real token (the stand-in makes one), and a results service that never answers.
      const service = await startArtifactServer();
      await service.stop();
      const result = await step({
        event: pushEvent('refs/tags/v3.0.0', { sha: '30'.repeat(20) }),
        inputs: {
          images: `${registry.url}/acme/artifact`,
          'artifact-name': 'image-digest',
          'network-timeout': `${netTimeout}s`,
          context: await context('artifact'),
        },
        env: { ...service.env, ACTIONS_RESULTS_URL: `http://${server.url}/` },
      });
      return { step: result, server };
    })(),
  );

  fork = settle(
    (async () => {
      const proxy = await startFaultyProxy(registry.port, []);
      proxies.push(proxy);
      const result = await step({
        host: proxy.url,
        event: pullRequestEvent(9, { fromFork: true }),
        inputs: {
          push: true,
          context: await context('fork'),
          'build-args': 'API_TOKEN=not-a-real-token',
          'test-env': 'FORK_TEST_SETTING=given-to-the-fork',
        },
      });
      return { step: result, proxy };
    })(),
  );
});

afterAll(async () => {
  finish();
  await Promise.all([...proxies, ...silent, ...others, registry].map((s) => s?.stop()));
  await removeTempDirs();
});

test('registry down before login: the login is retried, then one error; nothing built or pushed', async () => {
  const { step: s, after } = await result(registryDown);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message).toMatch(
    /^login to 127\.0\.0\.1:\d+ as releaser failed: .*connection refused.*\(gave up after 1 retry\)$/,
  );
  expect(log(s.main)).toMatch(/login to 127\.0\.0\.1:\d+ as releaser: .*; retry 1\/1 in 1 s/);
  expect(groups(s.main)).not.toContain('Build');
  expect(after).toEqual([]);
  assertNoCredentialsLeft(s.main);
});

test('registry dies during the push: the push is retried, then one error; the registry got no tag', async () => {
  const { step: s, after, killed } = await result(registryDies);
  expect(killed).toBe(true);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message).toMatch(/^docker buildx build failed \(exit code 1; gave up after 1 retry\):/);
  expect(message).toMatch(
    /acme\/app: pushed nothing; unknown \(the registry could not be read\) 2\.2\.0, sha-2222222; not pushed 2\.2, 2, latest/,
  );
  expect(s.main.summary).toContain('## Image push failed');
  expect(after).toEqual([]);
  assertNoCredentialsLeft(s.main);
});

test('registry answers 500 for a while, then recovers: the push is retried and succeeds', async () => {
  const { step: s, proxy } = await result(recovers);
  expect(errors(s.main)).toEqual([]);
  expect(s.main.exitCode).toBe(0);
  // On the classic store dockerd gives the 500 to buildx at once, and the action runs the push
  // again; on the containerd store BuildKit's own pusher retries it first (and may outlast it).
  if (!containerdStore()) {
    expect(log(s.main)).toMatch(
      /the push of the build: .*500 Internal Server Error; retry 1\/3 in 1 s/,
    );
  }
  expect(proxy.requests.filter((r) => r.answer === 500).length).toBeGreaterThan(0);
  const digest = s.main.outputs.digest;
  const tags = ['2.3.0', '2.3', '2', 'latest', 'sha-2323232'];
  expect(await digests(tags, registry, 'acme/recovers')).toEqual(
    Object.fromEntries(tags.map((t) => [t, digest])),
  );
  assertNoCredentialsLeft(s.main);
});

test('registry refuses the push (401) after a good login: not retried, the error names the registry', async () => {
  const { step: s, proxy } = await result(refused);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message.split('\n')[0]).toBe(
    `${proxy.url} refused the push with the credentials of "releaser" (wrong password or token, or no push permission on the repository)`,
  );
  expect(log(s.main)).toContain(`logged in to ${proxy.url} as releaser`);
  expect(log(s.main)).not.toMatch(/retry 1\//);
  expect(await digests(['2.4.0', 'sha-2424242', ...moving, '2'])).toEqual({
    '2.4.0': undefined,
    'sha-2424242': undefined,
    ...unmoved(),
  });
  assertNoCredentialsLeft(s.main);
});

test('Docker engine unreachable: one error naming DOCKER_HOST, nothing pushed', async () => {
  const s = await result(engineAway);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message.split('\n')[0]).toBe(
    'the Docker engine does not answer at DOCKER_HOST=unix:///nonexistent.sock; start dockerd, or set DOCKER_HOST to the address of a running engine',
  );
  expect(log(s.main)).not.toMatch(/retry 1\//);
  expect(await digests(['2.5.0', 'sha-2525252', ...moving, '2'])).toEqual({
    '2.5.0': undefined,
    'sha-2525252': undefined,
    ...unmoved(),
  });
  assertNoCredentialsLeft(s.main);
});

test('a build that fails part way: buildx error in the one error, not retried, nothing pushed', async () => {
  const s = await result(buildFails);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message).toMatch(/^docker buildx build failed \(exit code 1\):/);
  expect(message).toContain('exit code: 3');
  expect(log(s.main)).toContain('step-one-done');
  expect(log(s.main)).not.toMatch(/retry 1\//);
  expect(await digests(['2.6.0', 'sha-2626262', ...moving, '2'])).toEqual({
    '2.6.0': undefined,
    'sha-2626262': undefined,
    ...unmoved(),
  });
  assertNoCredentialsLeft(s.main);
});

test('the step is killed (SIGTERM) during its push: the post step still removes the credentials; no moving tag moved', async () => {
  const { step: s, signalled } = await result(terminated);
  expect(signalled).toBe(true);
  expect(s.main.signal).toBe('SIGTERM');
  expect(s.main.exitCode).toBeNull();
  expect(s.main.state.dockerConfig).toBeTruthy();
  expect(s.post.exitCode).toBe(0);
  expect(errors(s.post)).toEqual([]);
  assertNoCredentialsLeft(s.main);
  // The immutable tags may or may not have made it; the moving ones were never written.
  expect(await digests([...moving, '2', '2.7'])).toEqual({ ...unmoved(), '2.7': undefined });
});

test('a registry that accepts connections and never answers: the login is killed at network-timeout', async () => {
  const { step: s, server } = await result(hungRegistry);
  expect(server.connections()).toBeGreaterThan(0);
  expect(s.main.exitCode).toBe(1);
  expect(errors(s.main)).toEqual([
    `login to ${server.url} as releaser failed: no answer within ${netTimeout} s (network-timeout)`,
  ]);
  // Killed at the timeout: docker's own wait for a silent registry is far longer.
  expect(s.main.durationMs).toBeLessThan(netTimeout * 1000 + 25_000);
  expect(groups(s.main)).not.toContain('Build');
  assertNoCredentialsLeft(s.main);
});

test("a registry that stops answering the action's own checks: they time out, and no moving tag is written", async () => {
  const { step: s, proxy } = await result(hungCheck);
  expect(proxy.requests.some((r) => r.answer === 'hung')).toBe(true);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message.split('\n')[0]).toMatch(
    new RegExp(
      `^reading the digest of ${proxy.url}/acme/app:[\\w.-]+: ${proxy.url} did not answer within ${netTimeout} s \\(network-timeout; gave up after 1 retry\\)$`,
    ),
  );
  // The build pushed the immutable tags; the moving ones wait for a verification that never came.
  const pushed = await registry.manifestDigest(repo, '2.9.0');
  expect(pushed).toMatch(/^sha256:/);
  expect(await digests(['sha-2929292', ...moving, '2', '2.9'])).toEqual({
    'sha-2929292': pushed,
    ...unmoved(),
    '2.9': undefined,
  });
  assertNoCredentialsLeft(s.main);
});

test('a pull request from a fork with push: true: built, no login, nothing pushed, and the log says why', async () => {
  const { step: s, proxy } = await result(fork);
  expect(errors(s.main)).toEqual([]);
  expect(s.main.exitCode).toBe(0);
  expect(s.main.outputs.pushed).toBe('false');
  expect(log(s.main)).toContain(
    'push: no (pull request #9 comes from a fork; images from forks are never pushed)',
  );
  expect(log(s.main)).toContain(
    "no registry login: pull request #9 comes from a fork; images from forks are never pushed, and a fork's code gets no credentials",
  );
  expect(groups(s.main)).not.toContain('Log in');
  expect(groups(s.main)).toContain('Build');
  expect(s.main.state.registries).toBeUndefined();
  expect(proxy.requests).toEqual([]);
  expect(s.main.summary).toContain('- pushed: no (pull request #9 comes from a fork');
  // A build argument named like a credential: a warning that points to secrets.
  const warnings = s.main.commands.filter((c) => c.command === 'warning').map((c) => c.message);
  expect(warnings).toContain(
    "build-args: API_TOKEN looks like a credential; build arguments are stored in the image's history and visible to anyone who pulls it. Pass it with secrets (API_TOKEN=...) and read it in the Dockerfile with RUN --mount=type=secret,id=API_TOKEN",
  );
  expect(warnings).toContain(
    'test-env: pull request #9 comes from a fork, and its Dockerfile and test can read these values; on pull_request events from forks, pass none',
  );
  assertNoCredentialsLeft(s.main);
});

test('an artifact service that never answers: the step fails within network-timeout, after the push, with the digest in the outputs', async () => {
  const { step: s, server } = await result(hungArtifacts);
  expect(server.connections()).toBeGreaterThan(0);
  expect(s.main.exitCode).toBe(1);
  const [message, ...more] = errors(s.main);
  expect(more).toEqual([]);
  expect(message).toMatch(
    new RegExp(
      `^artifact-name: could not upload "image-digest" \\(.*${server.url}.*no answer within ${netTimeout} s.*\\); the image is pushed and its digest is in the outputs`,
    ),
  );
  const digest = s.main.outputs.digest;
  expect(digest).toMatch(/^sha256:/);
  expect(await registry.manifestDigest('acme/artifact', 'latest')).toBe(digest);
  // The build on a busy engine takes most of it; an upload without a bound would hold the step
  // for as long as the job runs.
  expect(s.main.durationMs).toBeLessThan(90_000);
  assertNoCredentialsLeft(s.main);
});

test('no password, token or build secret in any log, file, artifact or command line of any scenario', async () => {
  await Promise.all([
    registryDown,
    registryDies,
    recovers,
    refused,
    engineAway,
    buildFails,
    terminated,
    hungRegistry,
    hungCheck,
    hungArtifacts,
    fork,
  ]);
  finish();
  const lines = await seen;
  expect(lines.some((l) => l.includes('buildx build'))).toBe(true);
  expect(lines.some((l) => l.includes('docker login'))).toBe(true);
  expect(runs.length).toBeGreaterThanOrEqual(22);
  assertNoSecrets(runs, { password, token, 'build secret': buildSecret }, { commandLines: lines });
});
