// The GitHub API of the bench's job, on 127.0.0.1 (the runner's API is the internet's):
// - GET /repos/{owner}/{repo}: the event payload's repository (docker/metadata-action asks it);
// - GET /repos/{owner}/{repo}/actions/workflows/{file}/runs?status=in_progress: this run alone
//   (the action asks it while it moves tags, with the `actions: read` of the README's workflow).
// Anything else is a 404, as the API answers a token without the permission.
import { createServer } from 'node:http';

/**
 * Starts the stand-in for `repository` (the payload's) and the run `runId` of `workflowFile`;
 * resolves with its URL and a close function.
 */
export function startApi(repository, { runId, workflowFile }) {
  const runs = `/repos/${repository.full_name}/actions/workflows/${encodeURIComponent(workflowFile)}/runs`;
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://api');
      let body;
      if (req.method === 'GET' && url.pathname === `/repos/${repository.full_name}`) {
        body = repository;
      } else if (
        req.method === 'GET' &&
        url.pathname === runs &&
        url.searchParams.get('status') === 'in_progress'
      ) {
        body = { total_count: 1, workflow_runs: [{ id: Number(runId), status: 'in_progress' }] };
      }
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { message: 'Not Found' }));
    });
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => server.close(),
      }),
    );
  });
}
