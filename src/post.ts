import * as core from '@actions/core';
import { rmSync } from 'node:fs';
import { logout } from './docker/login.js';
import { removeContainer } from './docker/test-run.js';
import { State } from './names.js';

/** The post step: logs out and removes the action's credentials and temp files; warns, never fails. */
export async function post(): Promise<void> {
  const warnings: string[] = [];
  const dockerConfig = core.getState(State.dockerConfig);
  // The test container of a cancelled job: the main step was stopped while it ran.
  const container = core.getState(State.testContainer);
  if (container) await removeContainer(container, dockerConfig);
  if (dockerConfig) {
    warnings.push(...(await logout(dockerConfig, registries())));
    core.info(`removed the action's Docker config ${dockerConfig}`);
  }
  const tempDir = core.getState(State.tempDir);
  if (tempDir) {
    try {
      rmSync(tempDir, { recursive: true, force: true });
    } catch (error) {
      warnings.push(
        `could not remove ${tempDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
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
