import * as core from '@actions/core';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorText } from '../error-text.js';

/** A build secret as buildx receives it: `--secret id=<id>,src=<file>`. */
/** A build secret: `secrets` (the value) or `secret-files` (a path). */
export interface BuildSecret {
  id: string;
  /** The secret itself (`secrets`) or the path of the file that holds it (`secret-files`). */
  value: string;
}

export interface SecretFile {
  id: string;
  src: string;
}

// buildx reads `--secret` as CSV: a comma or quote in the id would split or break the field.
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;

/**
 * Writes every build secret to a 0600 file in `dir` (created 0700): the values of `secrets`,
 * and copies of the files named by `secret-files`. buildx gets only these paths, so no value
 * is ever on a command line or in a process environment. Delete `dir` with removeSecretFiles.
 */
export function writeSecretFiles(
  secrets: BuildSecret[],
  secretFiles: BuildSecret[],
  dir: string,
): SecretFile[] {
  const all = [
    ...secrets.map((s) => ({ ...s, input: 'secrets', fromFile: false })),
    ...secretFiles.map((s) => ({ ...s, input: 'secret-files', fromFile: true })),
  ];
  if (all.length === 0) return [];
  checkSecretIds(secrets, secretFiles);

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return all.map(({ id, value, input, fromFile }, index) => {
    // File names by position, not by id, so an id never becomes part of a path.
    const src = join(dir, `secret-${index}`);
    if (fromFile) {
      try {
        copyFileSync(value, src);
      } catch (error) {
        const reason =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'no such file'
            : (error as Error).message;
        throw new Error(
          `${input}: cannot read the file "${value}" of secret "${id}" (${reason}); expected ID=PATH to a readable file`,
        );
      }
      chmodSync(src, 0o600);
    } else {
      writeFileSync(src, value, { mode: 0o600 });
    }
    core.debug(`build secret ${id} (from ${input}) written to ${src}`);
    return { id, src };
  });
}

/**
 * Fails unless every secret id is one buildx can take and no id is given twice (`secrets` and
 * `secret-files` share ids). Ids are not secret: they are named in the error. Pure.
 */
export function checkSecretIds(secrets: BuildSecret[], secretFiles: BuildSecret[]): void {
  const seen = new Set<string>();
  const all = [
    ...secrets.map(({ id }) => ({ id, input: 'secrets' })),
    ...secretFiles.map(({ id }) => ({ id, input: 'secret-files' })),
  ];
  for (const { id, input } of all) {
    if (!SECRET_ID.test(id)) {
      throw new Error(
        `${input}: secret id "${id}" has characters buildx cannot take; expected letters, digits, ".", "_" or "-"`,
      );
    }
    if (seen.has(id))
      throw new Error(
        `${input}: secret id "${id}" is given twice (secrets and secret-files share ids)`,
      );
    seen.add(id);
  }
}

/** Deletes the secret files; never throws (called from cleanup paths). */
export function removeSecretFiles(dir: string): string[] {
  try {
    rmSync(dir, { recursive: true, force: true });
    return [];
  } catch (error) {
    return [`could not remove the build secrets in ${dir}: ${errorText(error)}`];
  }
}
