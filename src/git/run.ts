// git run against the workspace's own repository only, with nothing of a checked-out tree able
// to make git start a program: the repository is named (--git-dir, --work-tree), never
// discovered from a directory a pull request controls (a committed `HEAD`, `objects/`, `refs/`
// and `config` would be taken as one, with its core.fsmonitor command); no hook, pager,
// fsmonitor, transport or automatic maintenance; no system config; no secret in its environment.
import { execFile } from 'node:child_process';
import { lstatSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv } from '../child-env.js';

/** A repository that a checkout made: its git directory and work tree, absolute. */
export interface GitRepository {
  gitDir: string;
  workTree: string;
}

export interface GitResult {
  /** Exit code; null when git could not be started or was killed at the timeout. */
  code: number | null;
  stdout: string;
}

export interface GitRunOptions {
  /** The directory git works from, inside the work tree (paths it prints are relative to it). */
  cwd?: string;
  timeoutMs?: number;
  maxBuffer?: number;
}

/**
 * Settings that keep configuration from starting programs for the read-only commands the action
 * runs (rev-parse, ls-files, status, log, merge-base): the repository is never discovered, and
 * fsmonitor, hooks, pagers, transports (a partial clone's lazy fetch), credential helpers and
 * automatic gc are off.
 */
export const SAFE_CONFIG = [
  'safe.bareRepository=explicit',
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.untrackedCache=false',
  'core.sshCommand=false',
  'protocol.allow=never',
  'credential.helper=',
  'diff.external=',
  'gc.auto=0',
  'maintenance.auto=false',
];

/**
 * The repository actions/checkout made at the top of `workspace` (`.git` a directory, or a
 * gitfile of a worktree; never a link), or undefined. A repository elsewhere (inside a build
 * context, a nested checkout) is not used: what a pull request commits there is its own.
 */
export function workspaceRepository(workspace: string): GitRepository | undefined {
  if (!workspace) return undefined;
  try {
    const workTree = realpathSync(workspace);
    const gitDir = join(workTree, '.git');
    const stat = lstatSync(gitDir);
    return stat.isDirectory() || stat.isFile() ? { gitDir, workTree } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * {@link SAFE_CONFIG} as the environment variables git reads settings from
 * (GIT_CONFIG_COUNT, GIT_CONFIG_KEY_n, GIT_CONFIG_VALUE_n), after those `env` already has: for
 * the git that another program (buildx) runs in the build context. Pure.
 */
export function gitConfigEnv(env: Record<string, string | undefined>): Record<string, string> {
  const given = Number.parseInt(env.GIT_CONFIG_COUNT ?? '', 10);
  const start = Number.isInteger(given) && given > 0 ? given : 0;
  const out: Record<string, string> = { GIT_CONFIG_COUNT: String(start + SAFE_CONFIG.length) };
  SAFE_CONFIG.forEach((setting, i) => {
    const eq = setting.indexOf('=');
    out[`GIT_CONFIG_KEY_${start + i}`] = setting.slice(0, eq);
    out[`GIT_CONFIG_VALUE_${start + i}`] = setting.slice(eq + 1);
  });
  return out;
}

/** `git <args>` in `repo`; never throws (a git that cannot run has code null). */
export function runGit(
  repo: GitRepository,
  args: string[],
  options: GitRunOptions = {},
): Promise<GitResult> {
  const argv = [
    '--no-pager',
    `--git-dir=${repo.gitDir}`,
    `--work-tree=${repo.workTree}`,
    ...SAFE_CONFIG.flatMap((setting) => ['-c', setting]),
    ...args,
  ];
  const env = childEnv({
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    // No index write (git status would refresh it): the user's checkout is left as it was.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_LAZY_FETCH: '1',
  });
  return new Promise((resolve) => {
    execFile(
      'git',
      argv,
      {
        cwd: options.cwd ?? repo.workTree,
        env,
        timeout: options.timeoutMs ?? 30_000,
        maxBuffer: options.maxBuffer ?? 1 << 20,
      },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: String(stdout) });
      },
    );
  });
}
