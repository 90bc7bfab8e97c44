import * as exec from '@actions/exec';
import { dockerEnv } from './config.js';

/** The `Driver:` of `docker buildx inspect` output. Pure. */
export function parseBuilderDriver(output: string): string | undefined {
  return /^Driver:\s*(\S+)/m.exec(output)?.[1];
}

/**
 * The driver of a builder (`docker`, `docker-container`, `remote`, `kubernetes`); an empty
 * name is the current builder. Fails naming the builder when buildx does not know it.
 * (The buildx version check and install are in buildx-install.ts: ensureBuildx.)
 */
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
