import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The e2e tests run the bundled action on a real Docker engine with buildx: the
// `e2e` project on the classic image store, `e2e-containerd` on the containerd
// image store (see harness/engine.ts). On a Debian machine as root (CI, the
// team's machines) a missing engine is installed and started through
// scripts/engine.sh; elsewhere we say how.
//
// Jest loads this file with Node's own loader (which strips the types), not
// through the test transform: no relative imports here.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const engineScript = join(repoRoot, 'scripts', 'engine.sh');

type Engine = 'classic' | 'containerd';

/** The environment of the docker CLI for `engine` (as scripts/engine.sh env prints it). */
function engineEnv(engine: Engine): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.DOCKER_HOST;
  delete env.DOCKER_CONFIG;
  if (engine === 'classic') return env;
  const state = process.env.ENGINE_STATE || '/tmp/btp-engine';
  const home = process.env.ENGINE_HOME || '/opt/btp-engine';
  return {
    ...env,
    DOCKER_HOST: `unix://${state}/containerd/docker.sock`,
    DOCKER_CONFIG: `${state}/containerd/config`,
    PATH: `${home}/containerd/root/usr/bin:${env.PATH ?? ''}`,
  };
}

function engineReady(engine: Engine): boolean {
  const env = engineEnv(engine);
  const run = (args: string[]) =>
    spawnSync('docker', args, { env, encoding: 'utf8', timeout: 30_000 });
  const info = run(['info', '--format', '{{json .DriverStatus}}']);
  if (info.status !== 0 || run(['buildx', 'version']).status !== 0) return false;
  // The containerd project must not pass on a classic store by mistake.
  return engine === 'classic' || info.stdout.includes('io.containerd.snapshotter');
}

function projectEngine(project: { displayName?: unknown } | undefined): Engine {
  const display = project?.displayName;
  const name =
    typeof display === 'string'
      ? display
      : typeof display === 'object' && display !== null && 'name' in display
        ? String(display.name)
        : '';
  return name.endsWith('-containerd') ? 'containerd' : 'classic';
}

export default function globalSetup(_global: unknown, project?: { displayName?: unknown }): void {
  if (!existsSync(join(repoRoot, 'dist', 'index.js'))) {
    throw new Error('e2e: dist/index.js is missing: run `npm run build` first');
  }
  const engine = projectEngine(project);
  if (engineReady(engine)) return;

  const canStart =
    process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync(engineScript);
  if (!canStart) {
    throw new Error(
      `e2e: the ${engine} engine does not answer; start both with \`scripts/engine.sh install && scripts/engine.sh start\` (Debian, root)`,
    );
  }
  process.stderr.write(
    `e2e: the ${engine} engine does not answer; starting it through scripts/engine.sh (install, start)\n`,
  );
  for (const args of [['install'], ['start', engine]]) {
    const result = spawnSync('bash', [engineScript, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      throw new Error(
        `e2e: scripts/engine.sh ${args.join(' ')} failed (exit ${result.status}); see its output above`,
      );
    }
  }
  if (!engineReady(engine)) {
    throw new Error(
      `e2e: scripts/engine.sh start ${engine} finished but the engine or its buildx still does not answer`,
    );
  }
}
