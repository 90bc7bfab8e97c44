import * as core from '@actions/core';
import { post } from './post.js';
import { errorText } from './error-text.js';

// The entry of the post step's own bundle, dist/post/index.js (action.yml `runs.post`): the
// cleanup loads none of the main step's code. Like the main entry, it never fails the job.
try {
  await post();
} catch (error) {
  core.warning(`cleanup: ${errorText(error)}`);
}
