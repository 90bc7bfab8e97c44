import * as core from '@actions/core';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { logout } from './docker/login.js';
import { removeContainer } from './docker/test-run.js';
import { MOVED_RECORD, State } from './names.js';
import { errorText } from './error-text.js';

/**
 * The post step: re-checks the moving tags a run that may have raced another moved, then logs
 * out and removes the action's credentials and temp files; warns, never fails.
 */
export async function post(): Promise<void> {
  const warnings: string[] = [];
  const dockerConfig = core.getState(State.dockerConfig);
  // The test container of a cancelled job: the main step was stopped while it ran.
  const container = core.getState(State.testContainer);
  if (container) await removeContainer(container, dockerConfig);
  const tempDir = core.getState(State.tempDir);
  // Before the logout: the re-check reads (and may write) the tags with the action's logins.
  if (tempDir && existsSync(join(tempDir, MOVED_RECORD))) {
    try {
      const { recheckMovingTags } = await import('./phases/recheck.js');
      for (const warning of await recheckMovingTags(tempDir, dockerConfig, MOVED_RECORD)) {
        core.warning(`moving tags: ${warning}`);
      }
    } catch (error) {
      core.warning(`moving tags: could not be checked again: ${errorText(error)}`);
    }
  }
  if (dockerConfig) {
    warnings.push(...(await logout(dockerConfig, registries())));
    core.info(`removed the action's Docker config ${dockerConfig}`);
  }
  if (tempDir) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch (error) {
      warnings.push(`could not remove ${tempDir}: ${errorText(error)}`);
    }
  }
  for (const warning of warnings) core.warning(`cleanup: ${warning}`);
}

function registries(): string[] {
  try {
    const value: unknown = JSON.parse(core.getState(State.registries) || '[]');
    return Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string') : [];
  } catch {
    return [];
  }
}
