import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { testContainerName, testRunArgs, type TestEnvVar } from '../gate/spec.js';
import { dockerEnv } from './config.js';

export interface TestContainerOptions {
  image: string;
  /** The `test` command; absent runs the image's own entrypoint and CMD. */
  command?: string;
  env: TestEnvVar[];
  timeoutMs: number;
  dockerConfig: string;
  /** Called with the container name before the container starts (saved for the post step). */
  onName?: (name: string) => void;
  /** `--platform`: a platform that is not the engine's (run under emulation). */
  platform?: string;
}

export interface TestContainerResult {
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  /** Set when the container could not be removed after the timeout. */
  leftOver?: string;
}

// How long `docker rm -f` may take to stop the container and the CLI to notice, per attempt.
const KILL_WAIT_MS = 10_000;
const KILL_ATTEMPTS = 3;

/**
 * Runs the test container (see testRunArgs), its output streamed to the log. The `test-env`
 * values go through the docker CLI's environment, never its arguments. At the timeout the
 * container is killed and removed with `docker rm -f` by its name.
 */
export async function runTestContainer(
  options: TestContainerOptions,
): Promise<TestContainerResult> {
  const name = testContainerName(randomBytes(6).toString('hex'));
  options.onName?.(name);
  const args = testRunArgs({
    name,
    image: options.image,
    command: options.command,
    envNames: options.env.map((v) => v.name),
    platform: options.platform,
  });
  const env = dockerEnv(options.dockerConfig);
  for (const { name: key, value } of options.env) env[key] = value;
  // The image's output is not the action's: workflow commands in it (::set-output, ::add-mask,
  // ::error) are not run. Masks already registered still apply. The command line is echoed
  // after, too: a multi-line `test` may hold a line that looks like a workflow command.
  const token = randomBytes(16).toString('hex');
  process.stdout.write(`::stop-commands::${token}\n`);
  core.info(`[command]docker ${args.map(quote).join(' ')}`);
  const start = Date.now();
  const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let lineOpen = false;
  const write = (chunk: Buffer): void => {
    lineOpen = chunk.length > 0 ? chunk[chunk.length - 1] !== 0x0a : lineOpen;
    process.stdout.write(chunk);
  };
  child.stdout.on('data', write);
  child.stderr.on('data', write);
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (error) => {
      process.stdout.write(`could not start docker: ${error.message}\n`);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const first = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  let result: TestContainerResult;
  if (first !== 'timeout') {
    result = { exitCode: first, durationMs: Date.now() - start, timedOut: false };
  } else {
    const durationMs = Date.now() - start;
    const leftOver = await stopContainer(name, options.dockerConfig, exited);
    if (child.exitCode === null) child.kill('SIGKILL');
    result = { exitCode: null, durationMs, timedOut: true, leftOver };
  }
  // The resume command must start a line, or the runner would run no command after it.
  process.stdout.write(`${lineOpen ? '\n' : ''}::${token}::\n`);
  return result;
}

/**
 * Kills and removes the container until the docker CLI that ran it has exited (a `docker rm -f`
 * sent before the container was created misses it). Returns a problem, or undefined.
 */
async function stopContainer(
  name: string,
  dockerConfig: string,
  exited: Promise<number | null>,
): Promise<string | undefined> {
  for (let attempt = 1; attempt <= KILL_ATTEMPTS; attempt++) {
    await removeContainer(name, dockerConfig);
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), KILL_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (done) break;
  }
  await removeContainer(name, dockerConfig);
  const left = await exec.getExecOutput(
    'docker',
    ['ps', '--all', '--quiet', '--filter', `name=^/${name}$`],
    { env: dockerEnv(dockerConfig), silent: true, ignoreReturnCode: true },
  );
  return left.stdout.trim() ? `the test container ${name} could not be removed` : undefined;
}

/** `docker rm -f NAME`; a container that is already gone is not an error. Never throws. */
export async function removeContainer(name: string, dockerConfig: string): Promise<void> {
  try {
    const result = await exec.getExecOutput('docker', ['rm', '--force', name], {
      env: dockerEnv(dockerConfig),
      silent: true,
      ignoreReturnCode: true,
    });
    core.debug(
      `docker rm --force ${name}: exit code ${result.exitCode} ${result.stderr.trim()}`.trim(),
    );
  } catch (error) {
    core.debug(`docker rm --force ${name}: ${String(error)}`);
  }
}

/** The engine's platform (`linux/amd64`): the one the test runs on. */
export async function enginePlatform(dockerConfig: string): Promise<string> {
  const result = await exec.getExecOutput(
    'docker',
    ['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'],
    { env: dockerEnv(dockerConfig), silent: true, ignoreReturnCode: true },
  );
  const platform = result.stdout.trim();
  if (result.exitCode !== 0 || !/^[a-z0-9]+\/[a-z0-9]+$/.test(platform)) {
    throw new Error(
      `test: the Docker engine that runs the test does not answer (docker version: ${result.stderr.trim() || `exit code ${result.exitCode}`})`,
    );
  }
  return platform;
}

/**
 * The engine's image store: `containerd` when it keeps images in containerd's store (Docker 29's
 * default), where an image ID is the digest of the image's manifest or index; else `classic`,
 * where it is the config digest.
 */
export function engineImageStore(dockerConfig: string): Promise<'containerd' | 'classic'> {
  // Asked once per step: the platform check and the test gate both need it.
  let store = imageStores.get(dockerConfig);
  if (!store) {
    store = readImageStore(dockerConfig);
    imageStores.set(dockerConfig, store);
  }
  return store;
}

const imageStores = new Map<string, Promise<'containerd' | 'classic'>>();

async function readImageStore(dockerConfig: string): Promise<'containerd' | 'classic'> {
  const result = await exec.getExecOutput(
    'docker',
    ['info', '--format', '{{json .DriverStatus}}'],
    {
      env: dockerEnv(dockerConfig),
      silent: true,
      ignoreReturnCode: true,
    },
  );
  if (result.exitCode !== 0) {
    throw new Error(
      `the Docker engine does not answer (docker info: ${result.stderr.trim() || `exit code ${result.exitCode}`})`,
    );
  }
  return result.stdout.includes('io.containerd.snapshotter') ? 'containerd' : 'classic';
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
