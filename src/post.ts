import * as core from '@actions/core';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { logout } from './docker/login.js';
import { removeContainer } from './docker/test-run.js';
import { MOVED_RECORD, State } from './names.js';
import { savedState } from './state.js';
import { errorText } from './error-text.js';

type ReadState = (name: (typeof State)[keyof typeof State]) => string;

/**
 * The post step: re-checks the moving tags a run that may have raced another moved, then logs
 * out and removes the action's credentials and temp files; warns, never fails. It finds work
 * only when the main step did not clean up itself: stopped (cancelled, timed out), or leaving
 * the moved tags to read once more.
 */
export async function post(): Promise<void> {
  const tempDir = core.getState(State.tempDir);
  // Before the logout: the re-check reads (and may write) the tags with the action's logins.
  if (tempDir && existsSync(join(tempDir, MOVED_RECORD))) {
    try {
      const { recheckMovingTags } = await import('./phases/recheck.js');
      const dockerConfig = core.getState(State.dockerConfig);
      for (const warning of await recheckMovingTags(tempDir, dockerConfig, MOVED_RECORD)) {
        core.warning(`moving tags: ${warning}`);
      }
    } catch (error) {
      core.warning(`moving tags: could not be checked again: ${errorText(error)}`);
    }
  }
  await cleanUp(core.getState);
}

/**
 * The end of the main step, whatever its outcome: the post step's cleanup done now, so that the
 * post step has nothing left to do; unless the post step is to read the moved tags once more,
 * which it does with the action's logins.
 */
export async function endOfMain(): Promise<void> {
  const tempDir = savedState(State.tempDir);
  if (tempDir && existsSync(join(tempDir, MOVED_RECORD))) return;
  await cleanUp(savedState);
}

/** The test container of a stopped step, the logins, the Docker config and the temp dir. */
async function cleanUp(read: ReadState): Promise<void> {
  const warnings: string[] = [];
  const dockerConfig = read(State.dockerConfig);
  // The test container of a cancelled job: the main step was stopped while it ran.
  const container = read(State.testContainer);
  if (container) await removeContainer(container, dockerConfig);
  if (dockerConfig && existsSync(dockerConfig)) {
    warnings.push(...(await logout(dockerConfig, registries(read))));
    core.info(`removed the action's Docker config ${dockerConfig}`);
  }
  const tempDir = read(State.tempDir);
  if (tempDir) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch (error) {
      warnings.push(`could not remove ${tempDir}: ${errorText(error)}`);
    }
  }
  for (const warning of warnings) core.warning(`cleanup: ${warning}`);
}

function registries(read: ReadState): string[] {
  try {
    const value: unknown = JSON.parse(read(State.registries) || '[]');
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
