// The digest of the files a build can see in a context directory. Each file is named by its
// git blob ID: taken from git's index where the context is in a git work tree and the file is
// unchanged there (no read needed), else computed from the file (`blob <size>\0<content>`, as
// `git hash-object` does). Both give the same ID, so the digest does not depend on how a
// checkout was made; only on the paths, modes and contents the build sees.
import dockerignore from '@balena/dockerignore';
import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  type Dirent,
} from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { runGit, workspaceRepository } from '../git/run.js';

export interface ContextDigest {
  /** sha256 hex over every entry's mode, blob ID and path. */
  digest: string;
  /** Files and symbolic links the build sees. */
  files: number;
  /** Of those, how many IDs came from git's index (unchanged files of a work tree). */
  fromGit: number;
}

export interface ContextDigestOptions {
  /** .dockerignore patterns (the file's lines); none for named build contexts. */
  ignorePatterns?: string[];
  /**
   * The workspace whose own repository (`<workspace>/.git`) git's index is read from; without
   * it, or outside its work tree, every file is hashed from its content.
   */
  workspace?: string;
}

interface GitEntry {
  mode: string;
  id: string;
}

/**
 * Walks `dir` as the build context it is: entries excluded by the .dockerignore patterns are
 * left out (an excluded directory is still walked when a `!` pattern may re-include something
 * below it), `.git` is always left out (it differs between checkouts of the same commit).
 */
export async function contextDigest(
  dir: string,
  options: ContextDigestOptions = {},
): Promise<ContextDigest> {
  const patterns = options.ignorePatterns ?? [];
  // A CommonJS module: its factory is also its `default`, which is what the types describe.
  const matcher = dockerignore.default().add(patterns);
  const reincludes = patterns.some((p) => p.trim().startsWith('!'));
  const git = options.workspace ? await gitEntries(options.workspace, dir) : undefined;

  const hash = createHash('sha256');
  let files = 0;
  let fromGit = 0;
  const walk = (relDir: string): void => {
    const entries = readdirSync(relDir ? join(dir, relDir) : dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      if (rel === '.git') continue;
      const excluded = patterns.length > 0 && matcher.ignores(rel);
      if (entry.isDirectory()) {
        if (excluded && !reincludes) continue;
        if (!excluded) hash.update(`040000 - ${rel}\0`);
        walk(rel);
        continue;
      }
      if (excluded) continue;
      const known = git?.get(rel);
      const item = known ?? fileEntry(join(dir, rel), entry);
      if (!item) continue;
      if (known) fromGit++;
      files++;
      hash.update(`${item.mode} ${item.id} ${rel}\0`);
    }
  };
  walk('');
  return { digest: hash.digest('hex'), files, fromGit };
}

/** The lines of the .dockerignore that applies: `<Dockerfile>.dockerignore`, else the context's. */
export function dockerignorePatterns(context: string, dockerfile: string): string[] {
  for (const file of [`${dockerfile}.dockerignore`, join(context, '.dockerignore')]) {
    if (existsSync(file)) return readFileSync(file, 'utf8').split(/\r?\n/);
  }
  return [];
}

/** A file or symbolic link's git mode and blob ID, computed; undefined for sockets, FIFOs... */
function fileEntry(path: string, entry: Dirent): GitEntry | undefined {
  if (entry.isSymbolicLink()) {
    return { mode: '120000', id: blobId(Buffer.from(readlinkSync(path))) };
  }
  if (!entry.isFile()) return undefined;
  const stat = lstatSync(path);
  const mode = stat.mode & 0o100 ? '100755' : '100644';
  return { mode, id: fileBlobId(path, stat.size) };
}

const CHUNK = 1 << 20;

/** `git hash-object` of a file, read in chunks when it is large. */
function fileBlobId(path: string, size: number): string {
  if (size <= CHUNK) return blobId(readFileSync(path));
  const hash = createHash('sha1').update(`blob ${size}\0`);
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let read: number;
    while ((read = readSync(fd, buffer, 0, CHUNK, null)) > 0) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** `git hash-object` of some bytes. Pure. */
export function blobId(content: Buffer): string {
  const hash: Hash = createHash('sha1');
  return hash.update(`blob ${content.length}\0`).update(content).digest('hex');
}

/**
 * Blob IDs of the files in the workspace repository's index below `dir` (paths relative to it)
 * that are unchanged in the work tree; undefined when `dir` is not in that work tree or git
 * cannot be run. A file not listed here is hashed from its content. git never looks for a
 * repository in `dir` itself: a pull request controls what is there.
 */
async function gitEntries(
  workspace: string,
  dir: string,
): Promise<Map<string, GitEntry> | undefined> {
  const repo = workspaceRepository(workspace);
  if (!repo) return undefined;
  // The context's path in the work tree, with a trailing slash ('' at its top).
  let prefix: string;
  try {
    const rel = relative(repo.workTree, realpathSync(dir));
    const first = rel.split(sep)[0];
    if (first === '..' || first === '.git' || isAbsolute(rel)) return undefined;
    prefix = rel ? `${rel.split(sep).join('/')}/` : '';
  } catch {
    return undefined;
  }
  const git = async (args: string[]): Promise<string> => {
    const result = await runGit(repo, args, { cwd: dir, maxBuffer: 1 << 30 });
    if (result.code !== 0) throw new Error(`git ${args[0]} failed`);
    return result.stdout;
  };
  try {
    const [listed, status] = await Promise.all([
      git(['ls-files', '--stage', '-z']),
      git([
        'status',
        '--porcelain=v1',
        '-z',
        '--untracked-files=no',
        '--no-renames',
        '--ignore-submodules=all',
        '--',
        '.',
      ]),
    ]);
    const changed = new Set<string>();
    for (const record of status.split('\0')) {
      // `XY path`, the path relative to the top of the work tree.
      if (record.length > 3) changed.add(record.slice(3));
    }
    const entries = new Map<string, GitEntry>();
    for (const record of listed.split('\0')) {
      // `<mode> <id> <stage>\t<path>`, the path relative to `dir`.
      const tab = record.indexOf('\t');
      if (tab < 0) continue;
      const [mode, id, stage] = record.slice(0, tab).split(' ');
      const path = record.slice(tab + 1);
      // Submodules (160000) are walked and hashed as the files they are in the work tree.
      if (stage !== '0' || mode === '160000' || changed.has(prefix + path)) continue;
      entries.set(path, { mode, id });
    }
    return entries;
  } catch {
    return undefined;
  }
}
