import * as core from '@actions/core';
import { State } from './names.js';
import { errorText } from './error-text.js';

// The main step. Started again with the state the main step saved, it is the post step;
// action.yml runs dist/post/index.js for that instead (src/post-entry.ts, a bundle without the
// main step's code). The post step never fails the job.
async function entry(): Promise<void> {
  if (core.getState(State.isPost) === 'true') {
    try {
      const { post } = await import('./post.js');
      await post();
    } catch (error) {
      core.warning(`cleanup: ${errorText(error)}`);
    }
    return;
  }
  core.saveState(State.isPost, 'true');
  try {
    const { run } = await import('./main.js');
    await run();
  } catch (error) {
    core.setFailed(errorText(error));
  }
  // The post step's cleanup, done now: the post step then finds nothing left (src/post-entry.ts).
  try {
    const { endOfMain } = await import('./post.js');
    await endOfMain();
  } catch (error) {
    core.warning(`cleanup: ${errorText(error)}`);
  }
  // The step ends here: a request given up on (an artifact service that never answered) must
  // not keep the process, and so the job, waiting. stdout and files are written synchronously.
  process.exit();
}

await entry();
