/** What the runner knows about the event that started the workflow. */
export interface GitHubEvent {
  /** GITHUB_EVENT_NAME, e.g. `push`, `pull_request`. */
  name: string;
  /** GITHUB_REF, e.g. `refs/tags/v1.2.3`. */
  ref: string;
  /** GITHUB_SHA. */
  sha: string;
  /** The webhook payload, written to GITHUB_EVENT_PATH. */
  payload: Record<string, unknown>;
}

/** Repository fields shared by the payload helpers. */
export interface RepositoryOptions {
  /** `owner/name`; default `acme/app`. */
  repository?: string;
  defaultBranch?: string;
  description?: string;
  /** SPDX id of the license, e.g. `MIT`. */
  license?: string;
}

/** The commit every helper uses unless told otherwise. */
export const defaultSha = '0123456789abcdef0123456789abcdef01234567';

/** A fixed commit date, so that tests that look at `created` labels are stable. */
export const defaultCommitDate = '2024-05-06T07:08:09Z';

/** The `repository` object of a webhook payload, as GitHub sends it. */
export function repositoryPayload(options: RepositoryOptions = {}): Record<string, unknown> {
  const fullName = options.repository ?? 'acme/app';
  const [owner = 'acme', name = 'app'] = fullName.split('/');
  return {
    id: 123456,
    name,
    full_name: fullName,
    private: false,
    owner: { login: owner, id: 654321, type: 'Organization' },
    html_url: `https://github.com/${fullName}`,
    clone_url: `https://github.com/${fullName}.git`,
    description: options.description ?? 'An example app',
    default_branch: options.defaultBranch ?? 'main',
    license:
      options.license === undefined
        ? { key: 'mit', name: 'MIT License', spdx_id: 'MIT' }
        : { key: options.license.toLowerCase(), name: options.license, spdx_id: options.license },
    topics: [],
  };
}

/** Options of a push event. */
export interface PushOptions extends RepositoryOptions {
  sha?: string;
  /** ISO date of the head commit; default {@link defaultCommitDate}. */
  commitDate?: string;
  message?: string;
}

/**
 * A push of `ref`: `refs/heads/main`, `refs/tags/v1.2.3`, or a short form
 * (`v1.2.3` is a tag when it starts with `v` and a digit, anything else a branch).
 */
export function pushEvent(ref: string, options: PushOptions = {}): GitHubEvent {
  const fullRef = ref.startsWith('refs/')
    ? ref
    : /^v\d/.test(ref)
      ? `refs/tags/${ref}`
      : `refs/heads/${ref}`;
  const sha = options.sha ?? defaultSha;
  const repository = repositoryPayload(options);
  const commit = {
    id: sha,
    tree_id: 'fedcba9876543210fedcba9876543210fedcba98',
    message: options.message ?? 'A change',
    timestamp: options.commitDate ?? defaultCommitDate,
    author: { name: 'Mona Lisa', email: 'mona@example.com', username: 'mona' },
  };
  return {
    name: 'push',
    ref: fullRef,
    sha,
    payload: {
      ref: fullRef,
      before: '0000000000000000000000000000000000000000',
      after: sha,
      created: fullRef.startsWith('refs/tags/'),
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${String(repository.html_url)}/compare`,
      commits: [commit],
      head_commit: commit,
      repository,
      pusher: { name: 'mona', email: 'mona@example.com' },
      sender: { login: 'mona', id: 1, type: 'User' },
    },
  };
}

/** Options of a pull request event. */
export interface PullRequestOptions extends RepositoryOptions {
  /** Head commit of the PR. */
  headSha?: string;
  headRef?: string;
  baseRef?: string;
  /** The head branch lives in another repository (a fork). */
  fromFork?: boolean;
  /** `pull_request` (default) or `pull_request_target`. */
  eventName?: string;
  action?: string;
}

/** A `pull_request` event: GITHUB_REF is the merge ref and GITHUB_SHA its merge commit. */
export function pullRequestEvent(number: number, options: PullRequestOptions = {}): GitHubEvent {
  const repository = repositoryPayload(options);
  const fullName = String(repository.full_name);
  const headRepo = options.fromFork
    ? {
        ...repositoryPayload({ ...options, repository: `fork-owner/${String(repository.name)}` }),
        fork: true,
      }
    : repository;
  const baseRef = options.baseRef ?? 'main';
  const mergeSha = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
  const headSha = options.headSha ?? defaultSha;
  const eventName = options.eventName ?? 'pull_request';
  return {
    name: eventName,
    ref:
      eventName === 'pull_request_target' ? `refs/heads/${baseRef}` : `refs/pull/${number}/merge`,
    sha: mergeSha,
    payload: {
      action: options.action ?? 'synchronize',
      number,
      pull_request: {
        number,
        state: 'open',
        title: 'A change',
        html_url: `https://github.com/${fullName}/pull/${number}`,
        merge_commit_sha: mergeSha,
        head: {
          label: `${options.fromFork ? 'fork-owner' : fullName.split('/')[0]}:${options.headRef ?? 'feature'}`,
          ref: options.headRef ?? 'feature',
          sha: headSha,
          repo: headRepo,
        },
        base: {
          label: `${fullName.split('/')[0]}:${baseRef}`,
          ref: baseRef,
          sha: defaultSha,
          repo: repository,
        },
        updated_at: defaultCommitDate,
      },
      repository,
      sender: { login: 'mona', id: 1, type: 'User' },
    },
  };
}
