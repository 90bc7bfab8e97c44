// The trust holes an outside review found, closed, on the real engine and registry: a pull
// request from a deleted fork is a fork; pull_request_target names the image after the PR head;
// a test command that looks like a workflow command is not run as one.
import { jest } from '@jest/globals';
import {
  makeContext,
  pullRequestEvent,
  removeTempDirs,
  runAction,
  startRegistry,
  type Registry,
} from './harness/index.js';

jest.setTimeout(300_000);

const user = 'releaser';
const password = 'e2e-trust-pw-Hk3w';
const repo = 'acme/app';
const head = 'feed'.repeat(10);
let registry: Registry;

beforeAll(async () => {
  registry = await startRegistry({ user, password });
});

afterAll(async () => {
  await registry?.stop();
  await removeTempDirs();
});

test('pull_request_target from a deleted fork (head.repo null) with push: true: no login, nothing pushed', async () => {
  const event = pullRequestEvent(7, { eventName: 'pull_request_target', headSha: head });
  const pr = (event.payload as { pull_request: { head: { repo: unknown } } }).pull_request;
  pr.head.repo = null;
  const context = await makeContext({ 'fork.txt': 'deleted fork\n' });
  const main = await runAction({
    event,
    inputs: {
      images: `${registry.url}/${repo}`,
      registry: registry.url,
      username: user,
      password,
      push: 'true',
      context: context.dir,
      'artifact-name': '',
    },
  });
  expect(main.exitCode).toBe(0);
  expect(main.stdout).toContain('comes from a fork; images from forks are never pushed');
  expect(main.stdout).toMatch(/no registry login: .*a fork's code gets no credentials/);
  expect(main.stdout).not.toMatch(/logged in to/);
  expect(main.outputs.pushed).toBe('false');
  expect(await registry.tags(repo)).toEqual([]);
});

test('pull_request_target names the image after the PR head commit, not the base branch head', async () => {
  const event = pullRequestEvent(8, { eventName: 'pull_request_target', headSha: head });
  const main = await runAction({
    event,
    inputs: { images: `${registry.url}/${repo}`, 'dry-run': 'true' },
  });
  expect(main.exitCode).toBe(0);
  expect(main.outputs['tag-names'].split('\n')).toEqual(['pr-8', `sha-${head.slice(0, 7)}`]);
  expect(main.outputs.labels).toContain(`org.opencontainers.image.revision=${head}`);
});

test('a test command line that looks like a workflow command is echoed only while commands are stopped', async () => {
  const context = await makeContext({ 'echo.txt': `${Date.now()}\n` });
  const main = await runAction({
    inputs: {
      images: `${registry.url}/${repo}`,
      push: 'false',
      test: 'exit 0\n::error::from-the-test-command',
      context: context.dir,
      'artifact-name': '',
    },
  });
  expect(main.exitCode).toBe(0);
  const lines = main.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('::error::from-the-test-command'));
  const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
  expect(at).toBeGreaterThan(-1);
  expect(stop).toBeGreaterThan(-1);
  expect(stop).toBeLessThan(at);
  const token = lines[stop].slice('::stop-commands::'.length);
  const resume = lines.findIndex((l) => l === `::${token}::`);
  expect(resume).toBeGreaterThan(at);
});
