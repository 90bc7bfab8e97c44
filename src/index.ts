import * as core from '@actions/core';
import { State } from './names.js';

// The runner starts this file twice: as the main step, then as the post step
// with the state the main step saved. The post step never fails the job.
async function entry(): Promise<void> {
  if (core.getState(State.isPost) === 'true') {
    try {
      const { post } = await import('./post.js');
      await post();
    } catch (error) {
      core.warning(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
    return;
  }
  core.saveState(State.isPost, 'true');
  try {
    const { run } = await import('./main.js');
    await run();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

await entry();
