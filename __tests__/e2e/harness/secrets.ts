import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionRun } from './action.js';
import type { UploadedArtifact } from './artifact-server.js';
import type { ChildEnvironment } from './child-env.js';

/** Options of {@link assertNoSecrets}. */
export interface SecretScanOptions {
  /**
   * Command lines seen while the steps ran ({@link processListWhile}). When given it must not
   * be empty: a scan of nothing proves nothing.
   */
  commandLines?: string[];
  /**
   * The environments processes the action started were given ({@link recordChildEnvironments}):
   * each must hold no secret value and no variable that carries one (`INPUT_*`, the runner's
   * `ACTIONS_*` tokens and OIDC request variables). When given it must not be empty.
   */
  childEnvironments?: ChildEnvironment[];
  /** Artifacts the steps uploaded (the artifact service stand-in's `uploads`). */
  artifacts?: UploadedArtifact[];
  /**
   * Also read every file left under each run's RUNNER_TEMP (default true). Call it after the
   * post steps: until then the action's Docker config holds the logins on purpose.
   */
  runnerTemp?: boolean;
}

/** One place a secret was found. */
interface Leak {
  secret: string;
  where: string;
  excerpt: string;
}

/**
 * Fails when any of `secrets` (by label: `{ password: 'pw-...' }`) appears where the action
 * writes: each run's stdout (its `::add-mask::` lines aside, which carry the secrets on
 * purpose), stderr, GITHUB_OUTPUT (with the `metadata` output, buildx's metadata file),
 * GITHUB_STATE, GITHUB_ENV, GITHUB_PATH and the job summary; every uploaded artifact file;
 * every file left in RUNNER_TEMP; every process command line seen; and the environment each
 * recorded child process was given (no `INPUT_*` or `ACTIONS_*` there either). The error names the
 * secret's label and the place, never the secret itself.
 */
export function assertNoSecrets(
  runs: ActionRun[],
  secrets: Record<string, string>,
  options: SecretScanOptions = {},
): void {
  if (runs.length === 0) throw new Error('assertNoSecrets: no runs to scan');
  for (const [label, value] of Object.entries(secrets)) {
    // A short value would match by chance, and then the scan would say nothing useful.
    if (value.length < 8) {
      throw new Error(`assertNoSecrets: secret "${label}" is shorter than 8 characters`);
    }
  }
  if (options.commandLines && options.commandLines.length === 0) {
    throw new Error('assertNoSecrets: commandLines is empty: no process listing was taken');
  }

  if (options.childEnvironments && options.childEnvironments.length === 0) {
    throw new Error('assertNoSecrets: childEnvironments is empty: no child process was recorded');
  }

  const places: [string, string][] = [];
  const carriers: string[] = [];
  for (const child of options.childEnvironments ?? []) {
    const where = `the environment of ${child.program} ${child.args}`.slice(0, 160);
    places.push([
      where,
      Object.entries(child.env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    ]);
    for (const name of Object.keys(child.env)) {
      if (/^(INPUT_|ACTIONS_)/.test(name)) carriers.push(`- ${name} in ${where}`);
    }
  }
  runs.forEach((run, index) => {
    const name = `run ${index + 1} (${run.phase})`;
    places.push(
      [`${name} stdout`, run.stdout.replace(/^::add-mask::.*$/gm, '')],
      [`${name} stderr`, run.stderr],
      [`${name} GITHUB_OUTPUT`, run.outputFile],
      [`${name} metadata output`, run.outputs.metadata ?? ''],
      [`${name} GITHUB_STATE`, run.stateFile],
      [`${name} GITHUB_ENV`, run.envFile],
      [`${name} GITHUB_PATH`, run.path.join('\n')],
      [`${name} job summary`, run.summary],
    );
  });
  for (const artifact of options.artifacts ?? []) {
    for (const [path, content] of Object.entries(artifact.files)) {
      places.push([`artifact "${artifact.name}" file ${path}`, content.toString('utf8')]);
    }
  }
  if (options.runnerTemp !== false) {
    const roots = new Set(runs.map((run) => run.dirs.runnerTemp));
    for (const root of roots) {
      for (const [path, text] of readTree(root)) places.push([`file ${path}`, text]);
    }
  }
  (options.commandLines ?? []).forEach((line) => places.push(['a command line', line]));

  const leaks: Leak[] = [];
  for (const [where, text] of places) {
    for (const [label, value] of Object.entries(secrets)) {
      const at = text.indexOf(value);
      if (at < 0) continue;
      const excerpt = text
        .slice(Math.max(0, at - 60), at + value.length + 60)
        .split(value)
        .join(`<${label}>`)
        .replace(/\s+/g, ' ');
      leaks.push({ secret: label, where, excerpt });
    }
  }
  if (leaks.length > 0 || carriers.length > 0) {
    throw new Error(
      `secrets leaked:\n${[...leaks.map((l) => `- ${l.secret} in ${l.where}: ...${l.excerpt}...`), ...carriers].join('\n')}`,
    );
  }
}

/** Every regular file under `dir` (symbolic links are not followed) with its text. */
function readTree(dir: string): [string, string][] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const files: [string, string][] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) files.push(...readTree(path));
    else if (stat.isFile()) files.push([path, readFileSync(path).toString('latin1')]);
  }
  return files;
}

/**
 * Fails unless, after the post step of `main`, the action's own Docker config directory (its
 * logins) and temp directory are gone, and RUNNER_TEMP holds no other Docker config of the
 * action. `main` must have got as far as creating them (its state names them).
 */
export function assertNoCredentialsLeft(main: ActionRun): void {
  const { dockerConfig, tempDir } = main.state;
  if (!dockerConfig) {
    throw new Error('assertNoCredentialsLeft: the main step saved no dockerConfig state');
  }
  const left = [dockerConfig, tempDir].filter((dir) => dir && exists(dir));
  let others: string[] = [];
  try {
    others = readdirSync(main.dirs.runnerTemp)
      .filter((name) => name.startsWith('build-tag-push-docker-'))
      .map((name) => join(main.dirs.runnerTemp, name));
  } catch {
    // No RUNNER_TEMP left at all: nothing in it either.
  }
  const all = [...new Set([...left, ...others])];
  if (all.length > 0) throw new Error(`left after the post step: ${all.join(', ')}`);
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
