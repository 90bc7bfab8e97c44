import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';

// The end-to-end suite runs once per engine, as GitHub's runners have them
// (scripts/engine.sh starts both; jest's projects `e2e` and `e2e-containerd`
// select one each, through E2E_ENGINE):
// - classic: dockerd with the classic image store (Docker 28 on ubuntu-24.04;
//   Debian 12's dockerd 20.10 and buildx 0.13 here), on the default socket;
// - containerd: Docker with the containerd image store (the default of Docker 29
//   on ubuntu-latest; Docker 28.5 and buildx 0.29 here), on its own socket, with
//   its buildx in ~/.docker/cli-plugins as docker/setup-buildx-action puts it.

/** The engines the suite runs on. */
export type EngineName = 'classic' | 'containerd';

const state = process.env.ENGINE_STATE || '/tmp/btp-engine';
const home = process.env.ENGINE_HOME || '/opt/btp-engine';

/** Where scripts/engine.sh puts the containerd-store engine. */
export const containerdEngine = {
  socket: join(state, 'containerd', 'docker.sock'),
  bin: join(home, 'containerd', 'root', 'usr', 'bin'),
  config: join(state, 'containerd', 'config'),
  buildx: join(
    home,
    'containerd',
    'root',
    'usr',
    'libexec',
    'docker',
    'cli-plugins',
    'docker-buildx',
  ),
};

/** The engine this test file runs on (E2E_ENGINE; classic when unset). */
export function engineName(env: NodeJS.ProcessEnv = process.env): EngineName {
  const name = env.E2E_ENGINE || 'classic';
  if (name !== 'classic' && name !== 'containerd') {
    throw new Error(`E2E_ENGINE: unknown engine "${name}"; expected classic or containerd`);
  }
  return name;
}

/** True on the engine whose image store is containerd's (image ID = manifest or index digest). */
export function containerdStore(): boolean {
  return engineName() === 'containerd';
}

/**
 * The variables that point the docker CLI at an engine: for the containerd one, its socket,
 * its CLI first on PATH and a Docker config directory with its buildx.
 */
export function engineEnv(
  name: EngineName,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string | undefined> {
  if (name === 'classic') return { DOCKER_HOST: undefined, DOCKER_CONFIG: undefined };
  const path = env.PATH ?? '';
  return {
    DOCKER_HOST: `unix://${containerdEngine.socket}`,
    PATH: path.split(':').includes(containerdEngine.bin)
      ? path
      : `${containerdEngine.bin}${path ? `:${path}` : ''}`,
    DOCKER_CONFIG: containerdEngine.config,
  };
}

/** Points this test file's process (and what it starts) at `name`'s engine. */
export function useEngine(name: EngineName): void {
  for (const [key, value] of Object.entries({ ...engineEnv(name), E2E_ENGINE: name })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/**
 * Gives a simulated runner's HOME the engine's buildx, where docker/setup-buildx-action puts
 * it (`~/.docker/cli-plugins`); the classic engine's buildx is the system one.
 */
export async function installEnginePlugins(home: string): Promise<void> {
  if (engineName() !== 'containerd') return;
  const plugins = join(home, '.docker', 'cli-plugins');
  await mkdir(plugins, { recursive: true });
  const link = join(plugins, 'docker-buildx');
  if (!existsSync(link)) await symlink(containerdEngine.buildx, link);
}
