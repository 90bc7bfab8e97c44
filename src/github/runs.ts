// Other runs of this workflow in progress, asked of the GitHub API: the one question the moving-tag
// step asks before it decides whether to wait for a concurrent release.
import { nodeFetch } from '../registry/http.js';

export interface RunsQuery {
  /** GITHUB_API_URL. */
  apiUrl: string;
  /** `owner/name`. */
  repository: string;
  /** GITHUB_WORKFLOW_REF: `owner/name/.github/workflows/release.yml@refs/heads/main`. */
  workflowRef: string;
  /** GITHUB_RUN_ID: this run, which is not counted. */
  runId: string;
  /** The github-token input; it needs `actions: read`. */
  token: string;
  /** Bound of the request (network-timeout). */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** The workflow file of GITHUB_WORKFLOW_REF (`release.yml`), or '' when it names none. Pure. */
export function workflowFile(workflowRef: string): string {
  const path = workflowRef.split('@')[0] ?? '';
  const match = /\/\.github\/workflows\/([^/]+\.ya?ml)$/.exec(path);
  return match?.[1] ?? '';
}

/**
 * How many runs of this workflow other than this one are in progress
 * (`GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?status=in_progress`). Throws, with
 * what was missing or what the API answered, when that cannot be known.
 */
export async function otherRunsInProgress(query: RunsQuery): Promise<number> {
  const file = workflowFile(query.workflowRef);
  if (!file) {
    throw new Error(
      `GITHUB_WORKFLOW_REF "${query.workflowRef}" names no workflow file of .github/workflows`,
    );
  }
  if (!query.token) throw new Error('the github-token input is empty');
  if (!/^[\w.-]+\/[\w.-]+$/.test(query.repository)) {
    throw new Error(`the repository "${query.repository}" is not owner/name`);
  }
  const url = `${query.apiUrl.replace(/\/+$/, '')}/repos/${query.repository}/actions/workflows/${encodeURIComponent(file)}/runs?status=in_progress&exclude_pull_requests=true&per_page=2`;
  const response = await (query.fetch ?? nodeFetch)(url, {
    headers: {
      authorization: `Bearer ${query.token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    },
    signal: AbortSignal.timeout(query.timeoutMs),
  });
  if (!response.ok) {
    await response.body?.cancel();
    const hint =
      response.status === 403 || response.status === 404
        ? ' (the token needs the `actions: read` permission)'
        : '';
    throw new Error(`HTTP ${response.status} from ${query.apiUrl}${hint}`);
  }
  const body = (await response.json()) as { total_count?: unknown; workflow_runs?: unknown };
  if (typeof body.total_count !== 'number' || !Array.isArray(body.workflow_runs)) {
    throw new Error(`the answer of ${query.apiUrl} has no total_count and workflow_runs`);
  }
  // One page of two (newest first) is enough to tell whether any run but this one is in progress.
  const listed = body.workflow_runs as { id?: unknown }[];
  const ours = listed.some((r) => String(r.id) === query.runId) ? 1 : 0;
  return Math.max(0, body.total_count - ours);
}
