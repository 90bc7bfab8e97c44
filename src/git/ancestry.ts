// The git history of the checkout, asked with the git CLI: is one commit an ancestor of another?
import { execFile } from 'node:child_process';

export type Ancestry = 'yes' | 'no' | 'unknown';

const SHA = /^[0-9a-f]{7,64}$/;

interface GitResult {
  code: number | null;
  stdout: string;
}

function git(workspace: string, args: string[], timeoutMs: number): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['-C', workspace, ...args],
      { timeout: timeoutMs, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: String(stdout) });
      },
    );
  });
}

/**
 * Whether `older` is an ancestor of (or equal to) `newer` in the git repository at
 * `workspace` (`git merge-base --is-ancestor`). `unknown` when the repository, either commit or
 * the history between them is missing (a shallow checkout), or git does not answer in time.
 */
export async function isAncestor(
  workspace: string,
  older: string,
  newer: string,
  timeoutMs = 10_000,
): Promise<Ancestry> {
  if (!workspace || !SHA.test(older) || !SHA.test(newer)) return 'unknown';
  const result = await git(workspace, ['merge-base', '--is-ancestor', older, newer], timeoutMs);
  if (result.code === 0) return 'yes';
  if (result.code !== 1) return 'unknown';
  // In a shallow clone the walk stops at the cut: "no" there may only mean "not fetched".
  const shallow = await git(workspace, ['rev-parse', '--is-shallow-repository'], timeoutMs);
  return shallow.code === 0 && shallow.stdout.trim() === 'false' ? 'no' : 'unknown';
}
