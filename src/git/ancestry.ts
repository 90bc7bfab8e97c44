// The git history of the checkout, asked with the git CLI: is one commit an ancestor of another?
import { runGit, workspaceRepository } from './run.js';

export type Ancestry = 'yes' | 'no' | 'unknown';

const SHA = /^[0-9a-f]{7,64}$/;

/**
 * Whether `older` is an ancestor of (or equal to) `newer` in the git repository of
 * `workspace` (its own `.git`) (`git merge-base --is-ancestor`). `unknown` when the repository, either commit or
 * the history between them is missing (a shallow checkout), or git does not answer in time.
 */
export async function isAncestor(
  workspace: string,
  older: string,
  newer: string,
  timeoutMs = 10_000,
): Promise<Ancestry> {
  const repo = workspaceRepository(workspace);
  if (!repo || !SHA.test(older) || !SHA.test(newer)) return 'unknown';
  const result = await runGit(repo, ['merge-base', '--is-ancestor', older, newer], { timeoutMs });
  if (result.code === 0) return 'yes';
  if (result.code !== 1) return 'unknown';
  // In a shallow clone the walk stops at the cut: "no" there may only mean "not fetched".
  const shallow = await runGit(repo, ['rev-parse', '--is-shallow-repository'], { timeoutMs });
  return shallow.code === 0 && shallow.stdout.trim() === 'false' ? 'no' : 'unknown';
}
