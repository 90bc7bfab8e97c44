// PATH shims that record the environment each process the action starts is given: `git`,
// `tar`, `cosign`... put first on the step's PATH write their arguments and environment to a
// file, then run the real program. The secret scan reads what they recorded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './paths.js';

/** One process started under a shim: its program, arguments and environment. */
export interface ChildEnvironment {
  program: string;
  args: string;
  env: Record<string, string>;
}

export interface ChildEnvRecorder {
  /** The shims' directory: put it first on the step's PATH ({@link pathWith}). */
  dir: string;
  /** `PATH` with the shims first. */
  pathWith(path: string | undefined): string;
  /** What every shimmed process started so far was given. */
  records(): ChildEnvironment[];
}

/**
 * Shims for `programs`, each running the program PATH names now. Only programs found on this
 * machine's PATH can be shimmed (an error names the one that cannot).
 */
export async function recordChildEnvironments(
  programs: string[] = ['git', 'tar'],
): Promise<ChildEnvRecorder> {
  const root = await makeTempDir('child-env');
  const dir = join(root, 'bin');
  const out = join(root, 'records');
  mkdirSync(dir);
  mkdirSync(out);
  const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
  for (const program of programs) {
    let real: string;
    try {
      real = execFileSync('sh', ['-c', `command -v ${quote(program)}`], {
        encoding: 'utf8',
      }).trim();
    } catch {
      throw new Error(`recordChildEnvironments: ${program} is not on PATH`);
    }
    const record = `${quote(out)}/${program}.$$`;
    writeFileSync(
      join(dir, program),
      [
        '#!/bin/sh',
        `printf '%s\\0' "$@" > ${record}.args`,
        `env -0 > ${record}.env`,
        `exec ${quote(real)} "$@"`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
  }
  return {
    dir,
    pathWith: (path) => (path ? `${dir}:${path}` : dir),
    records: () =>
      readdirSync(out)
        .filter((name) => name.endsWith('.env'))
        .map((name) => {
          const base = name.slice(0, -'.env'.length);
          const env: Record<string, string> = {};
          for (const entry of readFileSync(join(out, name), 'utf8').split('\0')) {
            const eq = entry.indexOf('=');
            if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
          }
          let args = '';
          try {
            args = readFileSync(join(out, `${base}.args`), 'utf8')
              .split('\0')
              .join(' ')
              .trim();
          } catch {
            // written first; absent only when the shim was killed in between
          }
          return { program: base.replace(/\.\d+$/, ''), args, env };
        }),
  };
}
