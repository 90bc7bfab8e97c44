import * as core from '@actions/core';
import { rmSync } from 'node:fs';
import { State } from './names.js';

/** The post step: removes the action's credentials and temp files; warns, never fails. */
export async function post(): Promise<void> {
  const dockerConfig = core.getState(State.dockerConfig);
  const tempDir = core.getState(State.tempDir);
  for (const dir of [dockerConfig, tempDir]) {
    if (!dir) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      core.info(`removed ${dir}`);
    } catch (error) {
      core.warning(`cleanup: could not remove ${dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  await Promise.resolve();
}
