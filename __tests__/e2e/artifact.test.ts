// The digest artifact outside GitHub: without ACTIONS_RUNTIME_TOKEN the step
// says so once (a notice) and goes on; the digest is still in the outputs and summary.
import {
  assertNoSecrets,
  makeContext,
  pullRequestEvent,
  removeTempDirs,
  runAction,
} from './harness/index.js';

afterAll(removeTempDirs);

test('no ACTIONS_RUNTIME_TOKEN: one notice, no warning, the step succeeds, the digest is in outputs and summary', async () => {
  const context = await makeContext({ 'note.txt': 'artifact test\n' });
  const token = 'ghs_e2eArtifactTokenNotPrinted01';
  const run = await runAction({
    token,
    event: pullRequestEvent(7),
    inputs: { images: '127.0.0.1:9/acme/app', context: context.dir },
    env: { ACTIONS_RUNTIME_TOKEN: undefined, ACTIONS_RESULTS_URL: undefined },
  });
  expect(run.commands.filter((c) => c.command === 'error')).toEqual([]);
  expect(run.exitCode).toBe(0);
  const of = (command: string): string[] =>
    run.commands.filter((c) => c.command === command).map((c) => c.message);
  expect(of('warning')).toEqual([]);
  expect(of('notice')).toEqual([
    'artifact-name: no artifact "image-digest-127.0.0.1-9-acme-app-image-18191647" uploaded: ACTIONS_RUNTIME_TOKEN is not set (not running on GitHub Actions); the digest is in the step outputs (digest, refs) and the job summary',
  ]);
  expect(run.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(run.outputs['artifact-id']).toBeUndefined();
  expect(run.summary).toContain(run.outputs.digest);
  assertNoSecrets([run], { token });
});
