import { accessSync, constants, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkSecretIds, type BuildSecret } from './secrets.js';

/**
 * A build context that buildx fetches itself (a Git repository or a tarball URL), which is not
 * on the runner's disk. Pure.
 */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@[^:]+:/.test(context);
}

/**
 * The checks of the build inputs that need the file system, made before anything is logged in
 * or built: the build context is a directory, the Dockerfile (`file`, or `Dockerfile` in the
 * context) is a file, every `secret-files` path is a readable file, and the secret ids are ones
 * buildx can take. Each error names the input, the value and what is expected; a secret's value
 * is never named (its id is).
 */
export function checkBuildSources(
  inputs: { context: string; file: string; secrets: BuildSecret[]; secretFiles: BuildSecret[] },
  cwd: string = process.cwd(),
): void {
  const context = inputs.context || '.';
  const remote = isRemoteContext(context);
  if (!remote) {
    const problem = notA('directory', resolve(cwd, context));
    if (problem) {
      throw new Error(
        `context: "${context}" is not a directory (${problem}); expected the build context's directory, relative to the workspace ${cwd}, or a Git URL`,
      );
    }
  }
  // buildx reads `--file` relative to the working directory; `-` is the standard input.
  if (inputs.file && inputs.file !== '-') {
    const problem = notA('file', resolve(cwd, inputs.file));
    if (problem) {
      throw new Error(
        `file: "${inputs.file}" is not a file (${problem}); expected the Dockerfile's path, relative to the workspace ${cwd}`,
      );
    }
  } else if (!inputs.file && !remote) {
    const dir = resolve(cwd, context);
    if (notA('file', join(dir, 'Dockerfile')) && notA('file', join(dir, 'dockerfile'))) {
      throw new Error(
        `file: empty, and the context "${context}" has no Dockerfile; expected a Dockerfile in the context, or file set to the Dockerfile's path`,
      );
    }
  }
  checkSecretIds(inputs.secrets, inputs.secretFiles);
  for (const { id, value } of inputs.secretFiles) {
    const path = resolve(cwd, value);
    let problem = notA('file', path);
    if (!problem) {
      try {
        accessSync(path, constants.R_OK);
      } catch {
        problem = 'not readable';
      }
    }
    if (problem) {
      throw new Error(
        `secret-files: the file "${value}" of secret "${id}" cannot be read (${problem}); expected ID=PATH to a readable file`,
      );
    }
  }
}

/** Why `path` is not a `kind`, or '' when it is one. */
function notA(kind: 'file' | 'directory', path: string): string {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR'
      ? 'no such file or directory'
      : (error as Error).message;
  }
  if (kind === 'directory' && !stat.isDirectory()) return 'it is a file';
  if (kind === 'file' && !stat.isFile())
    return stat.isDirectory() ? 'it is a directory' : 'not a regular file';
  return '';
}
