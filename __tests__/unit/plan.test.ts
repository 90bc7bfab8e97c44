import { contextFrom, type Context } from '../../src/context.js';
import type { PushMode } from '../../src/inputs.js';
import { pushDecision } from '../../src/plan.js';

const now = new Date('2024-05-01T12:00:00Z');

function context(eventName: string, fork = false): Context {
  const payload = eventName.startsWith('pull_request')
    ? {
        number: 5,
        pull_request: {
          number: 5,
          head: { sha: 'h', ref: 'f', repo: { full_name: fork ? 'fork/app' : 'acme/app' } },
          base: { ref: 'main', repo: { full_name: 'acme/app' } },
        },
      }
    : {};
  return contextFrom({ GITHUB_EVENT_NAME: eventName }, payload, now);
}

test.each<[PushMode, string, boolean, boolean]>([
  ['auto', 'push', false, true],
  ['auto', 'schedule', false, true],
  ['auto', 'release', false, true],
  ['auto', 'workflow_dispatch', false, true],
  ['auto', 'pull_request', false, false],
  ['auto', 'pull_request_target', false, false],
  ['auto', 'merge_group', false, false],
  ['true', 'pull_request', false, true],
  ['true', 'pull_request', true, false],
  ['true', 'pull_request_target', true, false],
  ['false', 'push', false, false],
  ['true', 'push', false, true],
])('push: %s on %s (fork %s) pushes: %s', (mode, event, fork, expected) => {
  expect(pushDecision(mode, context(event, fork)).push).toBe(expected);
});

test('the reason says why a fork pull request is not pushed', () => {
  expect(pushDecision('true', context('pull_request', true)).reason).toBe(
    'pull request #5 comes from a fork; images from forks are never pushed',
  );
});

test('the reason for auto on a pull request says how to push', () => {
  expect(pushDecision('auto', context('pull_request')).reason).toMatch(/set push: true to push/);
});
