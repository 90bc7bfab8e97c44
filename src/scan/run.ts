/** A `scan` command run on the runner: bounded in time, in an environment without the step's secrets, its last lines kept. */
import * as core from '@actions/core';
import { spawn } from 'node:child_process';

export interface ScanCommand {
  /** The user's script, run by bash with -e and pipefail, as a workflow's `run:` is. */
  script: string;
  /** Added to the environment (IMAGE, PLATFORM, DOCKER_CONFIG). */
  env: Record<string, string>;
  timeoutMs: number;
  /** How `scan-timeout` was written, for the message. */
  timeout: string;
  cwd: string;
}

export interface ScanResult {
  exitCode: number;
  timedOut: boolean;
  /** The last lines it printed (stdout and stderr), for the error and the summary. */
  tail: string[];
}

const TAIL = 20;

/**
 * The scan's environment: the runner's, without the step's inputs (`INPUT_*`, which hold the
 * passwords and keys), the runner's own service tokens (`ACTIONS_*`: the runtime, cache and
 * OIDC request token and URL), and the state and output files of this step. Pure.
 */
export function scanEnvironment(
  base: NodeJS.ProcessEnv,
  extra: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    const name = key.toUpperCase();
    if (name.startsWith('INPUT_') || name.startsWith('ACTIONS_')) continue;
    if (name === 'GITHUB_STATE' || name === 'GITHUB_OUTPUT') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs the scan script once; its output is logged as it comes and the last lines kept. */
export function runScan(command: ScanCommand): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', command.script],
      {
        cwd: command.cwd,
        env: scanEnvironment(process.env, command.env),
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group: at the time limit every process it started is stopped too.
        detached: true,
      },
    );
    const tail: string[] = [];
    let partial = { out: '', err: '' };
    const take = (stream: 'out' | 'err', chunk: Buffer): void => {
      const lines = (partial[stream] + chunk.toString('utf8')).split('\n');
      partial = { ...partial, [stream]: lines.pop() ?? '' };
      for (const line of lines) keep(line);
    };
    const keep = (line: string): void => {
      core.info(line);
      tail.push(line);
      if (tail.length > TAIL) tail.shift();
    };
    child.stdout.on('data', (chunk: Buffer) => take('out', chunk));
    child.stderr.on('data', (chunk: Buffer) => take('err', chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, command.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`scan: could not start bash: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const rest of [partial.out, partial.err]) if (rest) keep(rest);
      resolve({ exitCode: code ?? (signal ? 128 : 1), timedOut, tail });
    });
  });
}
