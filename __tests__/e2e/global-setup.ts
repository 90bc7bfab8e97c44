import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The e2e tests run the bundled action on a real Docker engine with buildx.
// On a Debian machine as root (CI, the team's machines) a missing engine is
// installed and started through scripts/engine.sh; elsewhere we say how.
//
// Jest loads this file with Node's own loader (which strips the types), not
// through the test transform: no relative imports here.

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function engineReady(): boolean {
  const works = (args: string[]): boolean =>
    spawnSync('docker', args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
  return works(['info', '--format', '{{.ServerVersion}}']) && works(['buildx', 'version']);
}

export default function globalSetup(): void {
  if (!existsSync(join(repoRoot, 'dist', 'index.js'))) {
    throw new Error('e2e: dist/index.js is missing: run `npm run build` first');
  }
  if (engineReady()) return;

  const engineScript = join(repoRoot, 'scripts', 'engine.sh');
  const canStart =
    process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync(engineScript);
  if (!canStart) {
    throw new Error(
      'e2e: no Docker engine with buildx answers; start one with `scripts/engine.sh install && scripts/engine.sh start` (Debian, root) or any dockerd with the buildx plugin',
    );
  }
  process.stderr.write(
    'e2e: no Docker engine with buildx; starting one through scripts/engine.sh (install, start)\n',
  );
  for (const command of ['install', 'start']) {
    const result = spawnSync('bash', [engineScript, command], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      throw new Error(
        `e2e: scripts/engine.sh ${command} failed (exit ${result.status}); see its output above`,
      );
    }
  }
  if (!engineReady()) {
    throw new Error(
      'e2e: scripts/engine.sh start finished but `docker info` / `docker buildx version` still fail',
    );
  }
}
