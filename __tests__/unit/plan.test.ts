import { contextFrom, type Context } from '../../src/context/context.js';
import type { Inputs, PushMode } from '../../src/inputs/inputs.js';
import { forkSecretsWarning, makePlan, pushDecision } from '../../src/plan.js';

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

describe('forkSecretsWarning', () => {
  const none = { secrets: [], secretFiles: [], testEnv: [] };
  const given = {
    secrets: [{ id: 'npm', value: 'tok' }],
    secretFiles: [{ id: 'pem', value: 'key.pem' }],
    testEnv: [{ name: 'API', value: 'k' }],
  };

  test('secret values given to a fork pull request: a warning naming the inputs', () => {
    expect(forkSecretsWarning(given, context('pull_request_target', true))).toBe(
      'secrets, secret-files, test-env: pull request #5 comes from a fork, and its Dockerfile and test can read these values; on pull_request_target events from forks, pass none',
    );
  });

  test.each([
    [
      'secret-envs whose variable is set',
      { ...none, secretEnvs: [{ id: 'npm', env: 'NPM' }] },
      'secret-envs',
    ],
    ['ssh', { ...none, ssh: ['default'] }, 'ssh'],
  ])('%s: counted', (_name, inputs, named) => {
    expect(
      forkSecretsWarning(inputs, context('pull_request_target', true), { NPM: 'tok' }),
    ).toMatch(new RegExp(`^${named}: pull request #5 comes from a fork`));
  });

  test('secret-envs whose variable is empty: not counted', () => {
    const inputs = { ...none, secretEnvs: [{ id: 'npm', env: 'NPM' }] };
    expect(forkSecretsWarning(inputs, context('pull_request', true), { NPM: '' })).toBeUndefined();
  });

  test.each([
    ['no secret given', none, context('pull_request_target', true)],
    // On pull_request, GitHub gives a fork's run empty secrets.
    [
      'empty values',
      { ...none, secrets: [{ id: 'npm', value: '' }], testEnv: [{ name: 'A', value: '' }] },
      context('pull_request', true),
    ],
    ['not a fork', given, context('pull_request', false)],
    ['not a pull request', given, context('push')],
  ])('no warning: %s', (_name, inputs, ctx) => {
    expect(forkSecretsWarning(inputs, ctx)).toBeUndefined();
  });
});

describe('makePlan: a ref no rule gives a tag for, and call', () => {
  const inputs = (over: Partial<Inputs>): Inputs =>
    ({
      images: ['ghcr.io/acme/app'],
      tags: ['type=ref,event=pr'],
      flavor: [],
      labels: [],
      annotations: [],
      tagPattern: '',
      push: 'auto',
      call: '',
      test: '',
      testTarget: '',
      ...over,
    }) as Inputs;
  const tagPush = contextFrom(
    { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_SHA: 'abc' },
    {},
    now,
  );

  test('push: auto builds without pushing, and a notice says why', () => {
    const plan = makePlan(inputs({ test: 'true' }), tagPush, now);
    expect(plan.push).toBe(false);
    expect(plan.meta.tagNames).toEqual([]);
    expect(plan.notice).toBe(
      'push is auto, but no tag rule gives a tag for refs/tags/v1.2.3 (event push): the image is built and tested, not pushed. Add a rule to tags that applies to this ref (for example type=sha) to push it',
    );
  });

  test('push: true is an error naming push and what to write', () => {
    expect(() => makePlan(inputs({ push: 'true' }), tagPush, now)).toThrow(
      'push: true, but no tag rule gives a tag for refs/tags/v1.2.3 (event push), so there is nothing to push; expected a rule in tags that applies here (for example type=sha), or push: auto, which then builds without pushing',
    );
  });

  test('call: check never pushes', () => {
    const plan = makePlan(
      inputs({ tags: ['type=sha'], call: 'check', push: 'true' }),
      tagPush,
      now,
    );
    expect(plan).toMatchObject({
      push: false,
      pushReason: 'call is check: buildx evaluates the build and makes no image',
    });
  });
});
