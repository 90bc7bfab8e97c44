// build-push-action's inputs pasted into the bundled action, built for real on the engine of
// this project (classic or containerd image store): each scenario's Dockerfile checks inside
// the build that the input reached it (the agent socket, the secret, the host's network, the
// hosts entry, the /dev/shm size), or the exported file is there. What an engine cannot do
// fails the step with an error that names the input.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNoSecrets,
  busyboxDockerfile,
  containerdStore,
  makeContext,
  makeTempDir,
  removeTempDirs,
  runAction,
  runPost,
  type ActionRun,
  type RunOptions,
} from './harness/index.js';

const runs: ActionRun[] = [];
let agent: ChildProcess | undefined;
let agentSocket = '';

beforeAll(async () => {
  // A real SSH agent holding a real key, as webfactory/ssh-agent leaves one for later steps.
  const dir = await makeTempDir('ssh-agent');
  agentSocket = join(dir, 'agent.sock');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
  agent = spawn('ssh-agent', ['-D', '-a', agentSocket], { stdio: 'ignore' });
  agent.unref();
  for (let i = 0; i < 100 && !existsSync(agentSocket); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  execFileSync('ssh-add', ['-q', join(dir, 'id')], {
    env: { ...process.env, SSH_AUTH_SOCK: agentSocket },
  });
});

afterAll(async () => {
  if (agent && agent.exitCode === null) {
    const exited = new Promise((resolve) => agent?.once('exit', resolve));
    agent.kill();
    await exited;
  }
  await removeTempDirs();
});

/** One step with `push: false` (no registry is needed to see what buildx got) and its post step. */
async function step(
  dockerfile: string,
  inputs: RunOptions['inputs'],
  env: RunOptions['env'] = {},
): Promise<ActionRun> {
  const context = (await makeContext({ Dockerfile: dockerfile })).dir;
  const main = await runAction({
    inputs: {
      images: 'localhost/acme/paste',
      push: 'false',
      'artifact-name': '',
      // Each RUN check runs: a cached layer would pass without looking.
      'no-cache': 'true',
      context,
      ...inputs,
    },
    env,
  });
  runs.push(main, await runPost(main));
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

function expectBuilt(run: ActionRun): void {
  expect(errors(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.pushed).toBe('false');
}

test("ssh: default, the runner's agent (SSH_AUTH_SOCK) reaches RUN --mount=type=ssh", async () => {
  const run = await step(
    busyboxDockerfile('RUN --mount=type=ssh test -n "$SSH_AUTH_SOCK" && test -S "$SSH_AUTH_SOCK"'),
    { ssh: 'default' },
    { SSH_AUTH_SOCK: agentSocket },
  );
  expectBuilt(run);
});

test('ssh: default without an agent fails before the build, naming ssh and what to do', async () => {
  const run = await step(
    busyboxDockerfile('RUN true'),
    { ssh: 'default' },
    { SSH_AUTH_SOCK: undefined },
  );
  expect(run.exitCode).toBe(1);
  expect(errors(run)).toEqual([
    'ssh: "default" uses the runner\'s SSH agent, but SSH_AUTH_SOCK is not set; start an agent with the key in an earlier step (for example webfactory/ssh-agent), or give the key file: default=/path/to/key',
  ]);
  expect(run.stdout).not.toContain('buildx build');
});

test("secret-envs: the value reaches the build from the step's environment, never a log or command line", async () => {
  const value = 'secret-env-e2e-Vq73-never-logged';
  const hash = createHash('sha256').update(value).digest('hex');
  const run = await step(
    busyboxDockerfile(
      `RUN --mount=type=secret,id=API_TOKEN,required=true sha256sum /run/secrets/API_TOKEN | grep -q ^${hash}`,
    ),
    { 'secret-envs': 'API_TOKEN=MY_API_TOKEN' },
    { MY_API_TOKEN: value },
  );
  expectBuilt(run);
  expect(run.masks).toContain(value);
  assertNoSecrets([run], { value });
});

test("network: host, the RUN instructions see the host's network (its docker0 bridge)", async () => {
  expect(existsSync('/sys/class/net/docker0')).toBe(true);
  const dockerfile = busyboxDockerfile('RUN test -e /sys/class/net/docker0');
  expectBuilt(await step(dockerfile, { network: 'host' }));
  // The same check in the build's own network namespace fails: it is the input that did it.
  const sandboxed = await step(dockerfile, {});
  expect(sandboxed.exitCode).toBe(1);
  expect(errors(sandboxed)[0]).toContain('docker buildx build failed');
});

test('add-hosts: the entries are in /etc/hosts of the build', async () => {
  const run = await step(
    busyboxDockerfile(
      'RUN grep -E "^10\\.1\\.2\\.3\\s+myhost" /etc/hosts && grep -E "^10\\.1\\.2\\.4\\s+other" /etc/hosts',
    ),
    { 'add-hosts': 'myhost:10.1.2.3,other:10.1.2.4' },
  );
  expectBuilt(run);
});

test("shm-size: 256m, the size of /dev/shm in RUN (the classic engine's BuildKit ignores it)", async () => {
  // Docker 20.10's built-in BuildKit takes the flag and keeps its 64 MB default.
  const kb = containerdStore() ? 262144 : 65536;
  const run = await step(
    busyboxDockerfile(`RUN test "$(df -k /dev/shm | tail -1 | awk '{print $2}')" = "${kb}"`),
    { 'shm-size': '256m' },
  );
  expectBuilt(run);
});

test('call: check evaluates the Dockerfile, builds no image and pushes nothing', async () => {
  const run = await step(busyboxDockerfile('CMD ["sh"]'), { call: 'check', push: 'auto' });
  if (!containerdStore()) {
    // buildx 0.13 (the classic engine's here) has no --call.
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      'call (buildx 0.15 or later): the buildx of this runner does not know --call; expected a newer buildx: set buildx-version: latest, or leave call out',
    ]);
    return;
  }
  expectBuilt(run);
  expect(run.stdout).toContain('Check complete');
  expect(run.stdout).toContain(
    'push: no (call is check: buildx evaluates the build and makes no image)',
  );
  expect(run.outputs.digest).toBe('');
});

test('outputs: type=oci,dest=FILE writes an OCI image layout tarball', async () => {
  const dir = await makeTempDir('oci');
  const dest = join(dir, 'image.tar');
  const run = await step(busyboxDockerfile('CMD ["sh"]'), { outputs: `type=oci,dest=${dest}` });
  if (!containerdStore()) {
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      'outputs: the docker driver of this engine (the classic image store) cannot export type=oci; expected the containerd image store, a docker-container builder (docker/setup-buildx-action), or type=docker,dest=FILE (a docker save tarball)',
    ]);
    return;
  }
  expectBuilt(run);
  const entries = execFileSync('tar', ['-tf', dest]).toString().split('\n');
  expect(entries).toEqual(expect.arrayContaining(['oci-layout', 'index.json']));
});

test("metadata-action's DOCKER_METADATA_OUTPUT_* variables reach later steps", async () => {
  const run = await step(busyboxDockerfile('CMD ["sh"]'), { tags: 'type=sha' });
  expectBuilt(run);
  expect(run.exportedEnv.DOCKER_METADATA_OUTPUT_TAGS).toBe(run.outputs.tags);
  expect(run.exportedEnv.DOCKER_METADATA_OUTPUT_VERSION).toBe(run.outputs.version);
  expect(existsSync(run.exportedEnv.DOCKER_METADATA_OUTPUT_BAKE_FILE_TAGS)).toBe(true);
});
