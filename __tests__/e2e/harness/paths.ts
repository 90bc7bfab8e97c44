import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: action.yml, dist/ and scripts/ are here. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const created = new Set<string>();

/** Makes a fresh directory under the system temp dir, removed by {@link removeTempDirs}. */
export async function makeTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `btp-e2e-${prefix}-`));
  created.add(dir);
  return dir;
}

/** Removes one directory made by {@link makeTempDir}. */
export async function removeTempDir(dir: string): Promise<void> {
  created.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/**
 * Removes every directory the harness made in this test file (runner dirs, build
 * contexts, registry storage): call it from `afterAll`.
 */
export async function removeTempDirs(): Promise<void> {
  await Promise.all([...created].map((dir) => removeTempDir(dir)));
}
