// What the event payload may lack, from where metadata-action gets it: the commit date from the
// checkout's git (metadata-action asks the API), and the repository data (description, license,
// default branch) from the GitHub API. Only asked for when the payload does not have it.
import { repositoryIsPublic, type Context, type Repository } from './context.js';
import { nodeFetch } from '../registry/http.js';
import { runGit, workspaceRepository } from '../git/run.js';
import { errorText } from '../error-text.js';

export interface Sources {
  /**
   * The committer date of `sha` in the workspace's own repository; undefined when git does not
   * know it.
   */
  commitDate(sha: string, workspace: string): Promise<Date | undefined>;
  /** The repository's API object; throws when the API does not answer in time or refuses. */
  repository(fullName: string, token: string, timeoutMs: number): Promise<Record<string, unknown>>;
}

export interface CompleteOptions {
  githubToken: string;
  timeoutMs: number;
  workspace: string;
  apiUrl: string;
}

/**
 * The context with the commit date and repository data the payload lacked. Never fails: what
 * cannot be had stays as it was, and the returned notices say what and why.
 */
export async function completeContext(
  context: Context,
  options: CompleteOptions,
  sources: Sources = defaultSources(options.apiUrl),
): Promise<{ context: Context; notices: string[] }> {
  const notices: string[] = [];
  const [commitDate, repository] = await Promise.all([
    !context.commitDateKnown && context.sha
      ? sources.commitDate(context.sha, options.workspace).catch(() => undefined)
      : Promise.resolve(undefined),
    context.repositoryKnown || !context.repository.fullName
      ? Promise.resolve(undefined)
      : repositoryFromApi(context, options, sources, notices),
  ]);
  const next = { ...context };
  if (commitDate) {
    next.commitDate = commitDate;
    next.commitDateKnown = true;
  }
  if (repository) next.repository = repository;
  return { context: next, notices };
}

async function repositoryFromApi(
  context: Context,
  options: CompleteOptions,
  sources: Sources,
  notices: string[],
): Promise<Repository | undefined> {
  const what = `the ${context.eventName || ''} event's payload has no repository data, so the description and licenses labels are empty`;
  if (!options.githubToken) {
    notices.push(`${what}: github-token is empty, and the GitHub API was not asked`);
    return undefined;
  }
  try {
    const repo = await sources.repository(
      context.repository.fullName,
      options.githubToken,
      options.timeoutMs,
    );
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const license =
      typeof repo.license === 'object' && repo.license !== null
        ? str((repo.license as Record<string, unknown>).spdx_id)
        : '';
    return {
      name: str(repo.name) || context.repository.name,
      fullName: str(repo.full_name) || context.repository.fullName,
      description: str(repo.description),
      htmlUrl: str(repo.html_url) || context.repository.htmlUrl,
      license: license === 'NOASSERTION' ? '' : license,
      defaultBranch: str(repo.default_branch) || context.repository.defaultBranch,
      public: repositoryIsPublic(repo),
    };
  } catch (error) {
    const reason = errorText(error);
    notices.push(`${what}: the GitHub API gave none (${reason})`);
    return undefined;
  }
}

function defaultSources(apiUrl: string): Sources {
  return {
    async commitDate(sha, workspace) {
      const repo = workspaceRepository(workspace);
      if (!repo || !/^[0-9a-f]{7,64}$/.test(sha)) return undefined;
      const { code, stdout } = await runGit(repo, [
        'log',
        '-1',
        '--no-show-signature',
        '--format=%cI',
        sha,
      ]);
      const date = new Date(stdout.trim());
      return code === 0 && stdout.trim() !== '' && !Number.isNaN(date.getTime()) ? date : undefined;
    },
    async repository(fullName, token, timeoutMs) {
      const response = await nodeFetch(`${apiUrl.replace(/\/$/, '')}/repos/${fullName}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
        },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status} from ${apiUrl}`);
      }
      const body: unknown = await response.json();
      if (typeof body !== 'object' || body === null) throw new Error('not a JSON object');
      return body as Record<string, unknown>;
    },
  };
}
