import * as exec from '@actions/exec';
import { dockerEnv } from './config.js';

/** The `Driver:` of `docker buildx inspect` output; undefined when the line is empty. Pure. */
export function parseBuilderDriver(output: string): string | undefined {
  return /^Driver:[ \t]*(\S+)/m.exec(output)?.[1];
}

/**
 * When docker's output says that it cannot reach the Docker engine: the error, naming where it
 * looked (DOCKER_HOST, or the default socket when DOCKER_HOST is not set) and what to do.
 * Undefined otherwise. Pure.
 */
export function engineUnreachable(
  output: string,
  dockerHost: string | undefined,
): string | undefined {
  const match =
    /Cannot connect to the Docker daemon at ([^\s]+?)\.? Is the docker daemon running\?/.exec(
      output,
    );
  if (!match) return undefined;
  const where = dockerHost
    ? `DOCKER_HOST=${dockerHost}`
    : `${match[1]} (DOCKER_HOST is not set; that is the default)`;
  return `the Docker engine does not answer at ${where}; start dockerd, or set DOCKER_HOST to the address of a running engine`;
}

/**
 * The driver of a builder (`docker`, `docker-container`, `remote`, `kubernetes`); an empty
 * name is the current builder. Fails naming the builder when buildx does not know it, and
 * naming DOCKER_HOST when the engine does not answer.
 * (The buildx version check and install are in buildx-install.ts: ensureBuildx.)
 */
export async function builderDriver(dockerConfig: string, builder: string): Promise<string> {
  const env = dockerEnv(dockerConfig);
  const result = await exec.getExecOutput(
    'docker',
    ['buildx', 'inspect', ...(builder ? [builder] : [])],
    { env, silent: true, ignoreReturnCode: true },
  );
  // buildx 0.13 exits 0 with an empty Driver and an `Error:` line when the engine is away.
  const unreachable = engineUnreachable(`${result.stdout}\n${result.stderr}`, env.DOCKER_HOST);
  if (unreachable && !builder) throw new Error(unreachable);
  const driver = result.exitCode === 0 ? parseBuilderDriver(result.stdout) : undefined;
  if (!driver) {
    const reason =
      result.stderr.trim().replace(/^ERROR:\s*/, '') ||
      /^Error:[ \t]*(.+)$/m.exec(result.stdout)?.[1] ||
      `exit code ${result.exitCode}`;
    throw new Error(
      builder
        ? `builder: "${builder}" cannot be used (${reason}); expected the name of a builder listed by docker buildx ls`
        : `docker buildx inspect failed (${reason})`,
    );
  }
  return driver;
}

/**
 * Why the engine cannot be used, when it does not answer (naming DOCKER_HOST); undefined when
 * it answers. For a failure whose own error would hide that cause: the docker CLI of Docker 28.5
 * and later logs in without the engine, and its error then is about the registry.
 */
export async function engineAway(dockerConfig: string): Promise<string | undefined> {
  const env = dockerEnv(dockerConfig);
  const result = await exec.getExecOutput(
    'docker',
    ['version', '--format', '{{.Server.Version}}'],
    {
      env,
      silent: true,
      ignoreReturnCode: true,
    },
  );
  if (result.exitCode === 0) return undefined;
  return engineUnreachable(`${result.stdout}\n${result.stderr}`, env.DOCKER_HOST);
}

/**
 * Fails before anything is built when several platforms are asked of the `docker` driver of an
 * engine with the classic image store, which builds one platform at a time: the error says what
 * to change. `store` reads the engine's image store.
 */
export async function checkPlatforms(
  platforms: string[],
  driver: string,
  store: () => Promise<'containerd' | 'classic'>,
): Promise<void> {
  if (platforms.length < 2 || driver !== 'docker') return;
  if ((await store()) === 'containerd') return;
  throw new Error(
    `platforms: "${platforms.join(',')}" needs a builder that makes multi-platform images; the docker driver of this engine (classic image store) builds one platform at a time. Turn on the containerd image store (the default of Docker 29), or create a docker-container builder (docker/setup-buildx-action) and name it in builder, or build each platform in its own job with merge-group`,
  );
}
