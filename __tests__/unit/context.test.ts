import { contextFrom } from '../../src/context/context.js';

const now = new Date('2024-05-01T12:00:00Z');

test('push of a tag: ref, sha, repository from the payload, commit date from head_commit', () => {
  const context = contextFrom(
    {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/tags/v1.2.3',
      GITHUB_SHA: 'abc123',
      GITHUB_RUN_NUMBER: '7',
      GITHUB_ACTOR: 'octocat',
      GITHUB_REPOSITORY: 'acme/app',
    },
    {
      head_commit: { timestamp: '2024-04-30T10:00:00+02:00' },
      repository: {
        name: 'app',
        full_name: 'acme/app',
        description: 'The app',
        html_url: 'https://github.com/acme/app',
        default_branch: 'main',
        license: { spdx_id: 'Apache-2.0' },
      },
    },
    now,
  );
  expect(context).toMatchObject({
    eventName: 'push',
    ref: 'refs/tags/v1.2.3',
    sha: 'abc123',
    runNumber: '7',
    actor: 'octocat',
    repository: {
      name: 'app',
      fullName: 'acme/app',
      description: 'The app',
      htmlUrl: 'https://github.com/acme/app',
      license: 'Apache-2.0',
      defaultBranch: 'main',
    },
  });
  expect(context.commitDate.toISOString()).toBe('2024-04-30T08:00:00.000Z');
  expect(context.pullRequest).toBeUndefined();
});

test('no payload: repository from GITHUB_REPOSITORY, commit date is now', () => {
  const context = contextFrom({ GITHUB_REPOSITORY: 'acme/app' }, {}, now);
  expect(context.repository).toMatchObject({ name: 'app', htmlUrl: 'https://github.com/acme/app' });
  expect(context.commitDate).toBe(now);
});

const prPayload = (headRepo: string) => ({
  number: 42,
  pull_request: {
    number: 42,
    head: { sha: 'head-sha', ref: 'feature', repo: { full_name: headRepo } },
    base: { ref: 'main', repo: { full_name: 'acme/app' } },
  },
});

test.each([
  ['acme/app', false],
  ['someone/app', true],
])('pull request from %s: fork=%s', (headRepo, fork) => {
  const context = contextFrom(
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REF: 'refs/pull/42/merge',
      GITHUB_SHA: 'merge-sha',
    },
    prPayload(headRepo),
    now,
  );
  expect(context.pullRequest).toEqual({
    number: 42,
    headSha: 'head-sha',
    headRef: 'feature',
    baseRef: 'main',
    fromFork: fork,
  });
  expect(context.sha).toBe('merge-sha');
});

test('pull_request_target gets the PR merge ref; DOCKER_METADATA_PR_HEAD_SHA selects the head sha', () => {
  const context = contextFrom(
    {
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'base-sha',
      DOCKER_METADATA_PR_HEAD_SHA: 'true',
    },
    prPayload('acme/app'),
    now,
  );
  expect(context.ref).toBe('refs/pull/42/merge');
  expect(context.sha).toBe('head-sha');
});

test('pull_request_target names the image after the PR head, never the base branch head', () => {
  const context = contextFrom(
    {
      GITHUB_EVENT_NAME: 'pull_request_target',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: 'base-sha',
    },
    prPayload('acme/app'),
    now,
  );
  expect(context.sha).toBe('head-sha');
});

test('a pull request from a deleted fork (head.repo null) is a fork', () => {
  const payload = prPayload('acme/app');
  const pr = payload.pull_request as { head: Record<string, unknown> };
  pr.head.repo = null;
  const context = contextFrom(
    { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main' },
    payload,
    now,
  );
  expect(context.pullRequest?.fromFork).toBe(true);
});
