// A stand-in of the GitHub REST API for the one question the action asks it during a release:
// the runs of a workflow in progress. Point the step at it with GITHUB_API_URL.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stand-in got. */
export interface GitHubApiRequest {
  method: string;
  /** Path and query. */
  url: string;
  authorization: string;
}

/** What the stand-in answers to a runs listing; change it between runs. */
export interface RunsAnswer {
  /** HTTP status; anything but 200 answers a GitHub-style error. */
  status: number;
  /** Run ids in progress (the step's own GITHUB_RUN_ID among them, as on GitHub). */
  inProgress: number[];
}

export interface GitHubApi {
  /** `http://127.0.0.1:<port>`: the GITHUB_API_URL. */
  url: string;
  requests: GitHubApiRequest[];
  answer: RunsAnswer;
  /** Called with every runs listing before it is answered, and waited for. */
  onRuns?: () => void | Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the stand-in: `GET /repos/{owner}/{repo}/actions/workflows/{file}/runs` answers
 * `answer` (status, `total_count` and `workflow_runs` of one page of `per_page`); anything else
 * is a 404.
 */
export async function startGitHubApi(
  answer: RunsAnswer = { status: 200, inProgress: [] },
): Promise<GitHubApi> {
  const api: GitHubApi = {
    url: '',
    requests: [],
    answer,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    api.requests.push({
      method: req.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization ?? '',
    });
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (!/^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/runs$/.test(url.pathname)) {
      json(404, { message: 'Not Found' });
      return;
    }
    void Promise.resolve(api.onRuns?.()).then(() => {
      const { status, inProgress } = api.answer;
      if (status !== 200) {
        json(status, { message: 'Resource not accessible by integration' });
        return;
      }
      const perPage = Number(url.searchParams.get('per_page') ?? '30');
      json(200, {
        total_count: inProgress.length,
        workflow_runs: inProgress.slice(0, perPage).map((id) => ({ id, status: 'in_progress' })),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return api;
}
