// A real buildkitd for the builder tests (scripts/engine.sh buildkit): built once, started when
// it is not running, and a Docker config where `docker buildx create` records the builders.
import { spawnSync } from 'node:child_process';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { containerdEngine, engineName } from './engine.js';
import { makeTempDir, repoRoot } from './paths.js';

const engineScript = join(repoRoot, 'scripts', 'engine.sh');

/** Runs scripts/engine.sh buildkit ARGS; its stderr goes to the test's. */
export function buildkit(...args: string[]): { ok: boolean; stdout: string } {
  const result = spawnSync('bash', [engineScript, 'buildkit', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return { ok: result.status === 0, stdout: result.stdout ?? '' };
}

export interface RealBuildkit {
  /** Whether buildkitd is built and answers. */
  built: boolean;
  /** Why the tests that need it are skipped; '' when built. */
  skipReason: string;
  /** Its unix socket address (unix:///...), for `docker buildx create --driver remote`. */
  unixAddress: string;
}

/**
 * buildkitd built (scripts/engine.sh install does it; a few minutes) and started here when it
 * is not running, as the global setup starts the engines. `file` names the test file that skips.
 */
export function realBuildkit(file: string): RealBuildkit {
  const canRun = process.getuid?.() === 0 && process.platform === 'linux';
  // .ci/run says when its compile failed: each file does not try it again.
  const failed = process.env.BTP_BUILDKIT_FAILED;
  const built = canRun && !failed && (buildkit('status').ok || buildkit('build').ok);
  const skipReason = built
    ? ''
    : failed
      ? `scripts/engine.sh buildkit build failed in .ci/run (${failed})`
      : 'the buildkit binaries cannot be built here (scripts/engine.sh buildkit build failed, or not root on Linux)';
  if (!built) process.stderr.write(`\n*** ${file} SKIPPED: ${skipReason} ***\n\n`);
  const [unixAddress] = built && buildkit('start').ok ? buildkit('addr').stdout.split('\n') : [''];
  return { built, skipReason, unixAddress };
}

/**
 * The user's Docker config directory, where `docker buildx create` (as setup-buildx-action)
 * records the builders: the steps get it as DOCKER_CONFIG, as a job's later steps would. On the
 * containerd-store engine it holds that engine's buildx.
 */
export async function builderConfig(name: string): Promise<string> {
  const dir = await makeTempDir(name);
  if (engineName() === 'containerd') {
    await mkdir(join(dir, 'cli-plugins'));
    await symlink(containerdEngine.buildx, join(dir, 'cli-plugins', 'docker-buildx'));
  }
  return dir;
}
