import { existsSync } from 'node:fs';
import { State } from './names.js';

// The entry of the post step's own bundle, dist/post/index.js (action.yml `runs.post`). The main
// step cleans up after itself, so the post step mostly finds nothing left and ends here, having
// loaded none of its code; it works after a main step that was stopped (cancelled, timed out),
// or that left the moved tags to read once more. Like the main entry, it never fails the job.
const state = (name: string): string => process.env[`STATE_${name}`] ?? '';
const left = (path: string): boolean => path !== '' && existsSync(path);

if (state(State.testContainer) || left(state(State.dockerConfig)) || left(state(State.tempDir))) {
  try {
    const { post } = await import('./post.js');
    await post();
  } catch (error) {
    const [core, { errorText }] = await Promise.all([
      import('@actions/core'),
      import('./error-text.js'),
    ]);
    core.warning(`cleanup: ${errorText(error)}`);
  }
}
