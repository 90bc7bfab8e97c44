import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { dockerEnv } from './config.js';

export const BUILDX_MISSING =
  "docker buildx is not available; set `buildx-version` to install one, use docker/setup-buildx-action, or install your distribution's docker-buildx package";

/** The version in `docker buildx version` output (`github.com/docker/buildx v0.19.3 48d6a39`, `... 0.13.1+ds1 ...`). Pure. */
export function parseBuildxVersion(output: string): string | undefined {
  return /\bv?(\d+\.\d+\.\d+)/.exec(output.replace(/github\.com\/docker\/buildx/, ''))?.[1];
}

/** The `Driver:` of `docker buildx inspect` output. Pure. */
export function parseBuilderDriver(output: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(output)?.[1];
}

const probed = new Map<string, Promise<string | undefined>>();

/**
 * The version of the buildx that `docker buildx` runs with this Docker config directory, or
 * undefined when there is none (or no docker at all). Probed once per directory.
 */
export function buildxVersion(dockerConfig: string): Promise<string | undefined> {
  let version = probed.get(dockerConfig);
  if (!version) {
    version = probe(dockerConfig);
    probed.set(dockerConfig, version);
  }
  return version;
}

async function probe(dockerConfig: string): Promise<string | undefined> {
  try {
    const result = await exec.getExecOutput('docker', ['buildx', 'version'], {
      env: dockerEnv(dockerConfig),
      silent: true,
      ignoreReturnCode: true,
    });
    const version = result.exitCode === 0 ? parseBuildxVersion(result.stdout) : undefined;
    core.debug(
      `docker buildx version: exit ${result.exitCode}, ${(result.stdout || result.stderr).trim()}`,
    );
    return version;
  } catch (error) {
    // @actions/exec throws when there is no docker executable on PATH.
    core.debug(`docker buildx version: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** The buildx version; throws the message users act on when buildx is missing. */
export async function requireBuildx(dockerConfig: string): Promise<string> {
  const version = await buildxVersion(dockerConfig);
  if (!version) throw new Error(BUILDX_MISSING);
  return version;
}

/** The driver of a builder (`docker`, `docker-container`, `remote`, `kubernetes`); empty builder is the current one. */
export async function builderDriver(dockerConfig: string, builder: string): Promise<string> {
  const result = await exec.getExecOutput(
    'docker',
    ['buildx', 'inspect', ...(builder ? [builder] : [])],
    {
      env: dockerEnv(dockerConfig),
      silent: true,
      ignoreReturnCode: true,
    },
  );
  const driver = result.exitCode === 0 ? parseBuilderDriver(result.stdout) : undefined;
  if (!driver) {
    const reason = result.stderr.trim().replace(/^ERROR:\s*/, '') || `exit code ${result.exitCode}`;
    throw new Error(
      builder
        ? `builder: "${builder}" cannot be used (${reason}); expected the name of a builder listed by docker buildx ls`
        : `docker buildx inspect failed (${reason})`,
    );
  }
  return driver;
}
