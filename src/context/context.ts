import { readFileSync } from 'node:fs';
import { errorText } from '../error-text.js';

/** Repository data, read from the event payload's `repository` object (no API call). */
export interface Repository {
  name: string;
  fullName: string;
  description: string;
  htmlUrl: string;
  license: string;
  defaultBranch: string;
  /** Whether the repository is public (`visibility`, or `private: false`); undefined: unknown. */
  public?: boolean;
}

/** Everything the plan needs to know about the run that triggered the action. */
export interface Context {
  eventName: string;
  /** Full git ref, e.g. `refs/tags/v1.2.3`; for pull_request_target the PR merge ref. */
  ref: string;
  /**
   * The commit the image is built from: the PR head on pull_request_target (and on pull_request
   * when DOCKER_METADATA_PR_HEAD_SHA is true).
   */
  sha: string;
  payload: Payload;
  repository: Repository;
  /** Commit date of the commit built, or "now" when neither the payload nor git has it. */
  commitDate: Date;
  /** Whether commitDate is the commit's (from the payload, or git); false while it is "now". */
  commitDateKnown: boolean;
  /** Whether the repository data came from the payload's `repository` object. */
  repositoryKnown: boolean;
  runId: string;
  runNumber: string;
  /** GITHUB_RUN_ATTEMPT: 1, then 2... for each re-run. */
  runAttempt: string;
  actor: string;
  serverUrl: string;
  /** Pull request data when the event is a pull request. */
  pullRequest?: PullRequest;
  /** DOCKER_METADATA_SHORT_SHA_LENGTH: the length of `{{sha}}` and `type=sha` (default 7). */
  shortShaLength: number;
  /** DOCKER_METADATA_ANNOTATIONS_LEVELS: the levels annotations are given (none: unprefixed). */
  annotationLevels: string[];
  /** DOCKER_METADATA_SET_OUTPUT_ENV: export the DOCKER_METADATA_OUTPUT_* variables (default true). */
  setOutputEnv: boolean;
}

export interface PullRequest {
  number: number;
  headSha: string;
  headRef: string;
  baseRef: string;
  /** The head repository differs from the base repository: no secrets, no push. */
  fromFork: boolean;
}

// The event payload is a loosely typed JSON document; the fields we read are typed where read.
export type Payload = Record<string, unknown>;

type Env = Record<string, string | undefined>;

/** Reads the runner environment and the event payload into a Context. */
export function getContext(env: Env = process.env, now: Date = new Date()): Context {
  return contextFrom(env, readPayload(env.GITHUB_EVENT_PATH), now);
}

/** Builds a Context from an environment and an already parsed payload (pure). */
export function contextFrom(env: Env, payload: Payload, now: Date): Context {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const pullRequest = readPullRequest(payload);
  let ref = env.GITHUB_REF ?? '';
  // pull_request_target runs on the base branch; the image is about the PR, as for pull_request.
  if (eventName === 'pull_request_target' && typeof payload.number === 'number') {
    ref = `refs/pull/${payload.number}/merge`;
  }
  let sha = env.GITHUB_SHA ?? '';
  // pull_request_target's GITHUB_SHA is the base branch's head: the image of the PR is named
  // after the PR's head commit, so its `sha-` tag and revision never take main's commit's.
  if (
    (eventName === 'pull_request_target' ||
      (/^true$/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') &&
        eventName.startsWith('pull_request'))) &&
    pullRequest?.headSha
  ) {
    sha = pullRequest.headSha;
  }
  const repository = readRepository(payload, env);
  // Scheduled runs (and the other events metadata-action lists) always run on the default
  // branch, whose name their payload does not carry: the ref's branch is it.
  if (!repository.defaultBranch && DEFAULT_BRANCH_EVENTS.test(eventName)) {
    repository.defaultBranch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
  }
  const commitDate = readCommitDate(payload, sha);
  return {
    eventName,
    ref,
    sha,
    payload,
    repository,
    commitDate: commitDate ?? now,
    commitDateKnown: commitDate !== undefined,
    repositoryKnown: isObject(payload.repository),
    runId: env.GITHUB_RUN_ID ?? '',
    runNumber: env.GITHUB_RUN_NUMBER ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    pullRequest,
    shortShaLength: shortShaLength(env.DOCKER_METADATA_SHORT_SHA_LENGTH),
    annotationLevels: (env.DOCKER_METADATA_ANNOTATIONS_LEVELS ?? '')
      .split(',')
      .map((level) => level.trim())
      .filter(Boolean),
    setOutputEnv: envBool(
      'DOCKER_METADATA_SET_OUTPUT_ENV',
      env.DOCKER_METADATA_SET_OUTPUT_ENV,
      true,
    ),
  };
}

/** The short SHA length of metadata-action's DOCKER_METADATA_SHORT_SHA_LENGTH. */
function shortShaLength(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 7;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new Error(
      `DOCKER_METADATA_SHORT_SHA_LENGTH: "${value}" is not a length; expected a whole number such as 7 or 12`,
    );
  }
  return Number(value);
}

/** A boolean switch of the environment, read as metadata-action reads it. */
function envBool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'n', 'off'].includes(text)) return false;
  throw new Error(`${name}: "${value}" is not a boolean; expected true or false`);
}

function readPayload(path: string | undefined): Payload {
  if (!path) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    // The runner always writes the file; outside a runner a missing payload means "no event data".
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : {};
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH: ${path} is not valid JSON (${errorText(error)})`);
  }
}

function readRepository(payload: Payload, env: Env): Repository {
  const repo = isObject(payload.repository) ? payload.repository : {};
  const fullName = str(repo.full_name) || env.GITHUB_REPOSITORY || '';
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const license = isObject(repo.license) ? str(repo.license.spdx_id) : '';
  return {
    name: str(repo.name) || fullName.split('/')[1] || '',
    fullName,
    description: str(repo.description),
    htmlUrl: str(repo.html_url) || (fullName ? `${serverUrl}/${fullName}` : ''),
    license: license === 'NOASSERTION' ? '' : license,
    defaultBranch: str(repo.default_branch),
    public: repositoryIsPublic(repo),
  };
}

/**
 * Whether a repository object (of an event payload or the GitHub API) is public; undefined
 * when it does not say. Pure.
 */
export function repositoryIsPublic(repo: Record<string, unknown>): boolean | undefined {
  if (typeof repo.visibility === 'string') return repo.visibility === 'public';
  if (typeof repo.private === 'boolean') return !repo.private;
  return undefined;
}

function readPullRequest(payload: Payload): PullRequest | undefined {
  const pr = payload.pull_request;
  if (!isObject(pr)) return undefined;
  const head = isObject(pr.head) ? pr.head : {};
  const base = isObject(pr.base) ? pr.base : {};
  const headRepo = isObject(head.repo) ? str(head.repo.full_name) : '';
  const baseRepo = isObject(base.repo) ? str(base.repo.full_name) : '';
  return {
    number: typeof pr.number === 'number' ? pr.number : Number(payload.number ?? 0),
    headSha: str(head.sha),
    headRef: str(head.ref),
    baseRef: str(base.ref),
    // Same repository only when both are named and equal: a deleted fork's head.repo is null.
    fromFork: headRepo === '' || headRepo !== baseRepo,
  };
}

// Events that always run on the default branch (as metadata-action's is_default_branch).
const DEFAULT_BRANCH_EVENTS = /schedule|create|discussion|issues/;

/** The date of commit `sha` in the payload (a push's commits or head_commit), as metadata-action. */
function readCommitDate(payload: Payload, sha: string): Date | undefined {
  const candidates: unknown[] = [];
  const matches = (commit: Record<string, unknown>): boolean =>
    typeof commit.id !== 'string' || commit.id === sha;
  if (Array.isArray(payload.commits)) {
    for (const commit of payload.commits as unknown[]) {
      if (isObject(commit) && typeof commit.id === 'string' && commit.id === sha) {
        candidates.push(commit.timestamp);
      }
    }
  }
  if (isObject(payload.head_commit) && matches(payload.head_commit)) {
    candidates.push(payload.head_commit.timestamp);
  }
  for (const value of candidates) {
    if (typeof value !== 'string') continue;
    const date = new Date(value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
