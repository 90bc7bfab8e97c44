import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pushEvent, type GitHubEvent } from './events.js';
import { makeTempDir, repoRoot } from './paths.js';
import { installEnginePlugins } from './engine.js';

/** The parts of action.yml the runner uses to start a JavaScript action. */
export interface ActionDefinition {
  /** Input names with their defaults (`undefined` when action.yml gives none). */
  inputs: Record<string, string | undefined>;
  using: string;
  /** Absolute path of `runs.main`. */
  main: string;
  /** Absolute path of `runs.post`, when the action has a post step. */
  post?: string;
}

/** Reads action.yml (or action.yaml) from `actionDir` the way the runner does. */
export async function readActionDefinition(
  actionDir: string = repoRoot,
): Promise<ActionDefinition> {
  let text: string | undefined;
  let file = '';
  for (const name of ['action.yml', 'action.yaml']) {
    file = join(actionDir, name);
    try {
      text = await readFile(file, 'utf8');
      break;
    } catch {
      // try the other name
    }
  }
  if (text === undefined) throw new Error(`no action.yml or action.yaml in ${actionDir}`);
  const doc: unknown = parseYaml(text);
  if (!isRecord(doc) || !isRecord(doc.runs)) throw new Error(`${file}: no "runs" section`);
  const { runs } = doc;
  if (typeof runs.using !== 'string' || !/^node\d+$/.test(runs.using)) {
    throw new Error(
      `${file}: runs.using is ${JSON.stringify(runs.using)}; expected a node runtime`,
    );
  }
  if (typeof runs.main !== 'string') throw new Error(`${file}: runs.main is missing`);
  const inputs: Record<string, string | undefined> = {};
  if (isRecord(doc.inputs)) {
    for (const [name, spec] of Object.entries(doc.inputs)) {
      const value = isRecord(spec) ? spec.default : undefined;
      // YAML scalars such as `default: false` or `default: 1` reach the action as strings.
      inputs[name] =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : undefined;
    }
  }
  return {
    inputs,
    using: runs.using,
    main: resolve(actionDir, runs.main),
    post: typeof runs.post === 'string' ? resolve(actionDir, runs.post) : undefined,
  };
}

/** Options of {@link runAction}. Everything has a sensible default. */
export interface RunOptions {
  /**
   * Inputs by their action.yml names (`images`, `dry-run`); booleans and numbers
   * are written as the runner writes them (`true`, `3`). A name action.yml does
   * not declare is an error (a typo in a test); set `INPUT_*` through `env` to
   * pass one on purpose.
   */
  inputs?: Record<string, string | boolean | number>;
  /** The triggering event; default a push to `refs/heads/main` ({@link pushEvent}). */
  event?: GitHubEvent;
  /** GITHUB_ACTOR; default `mona`. */
  actor?: string;
  /** `github.token`, the value of `${{ github.token }}` defaults; default a fake `ghs_` token. */
  token?: string;
  runId?: string;
  runNumber?: string;
  /** GITHUB_WORKSPACE and the working directory of the step; default a fresh empty directory. */
  workspace?: string;
  /** Extra environment, applied last; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** Sets RUNNER_DEBUG=1 (what "re-run with debug logging" does). */
  debug?: boolean;
  /** Directory of action.yml; default the repository root. */
  actionDir?: string;
  /** Script to run instead of action.yml's `runs.main` (for testing the harness itself). */
  entry?: string;
  /** Kill the step after this long; default 240 s. */
  timeoutMs?: number;
  /**
   * Called as soon as the step's process is started, with a handle to signal it: what the
   * runner does when the job is cancelled (it signals the step's process, not its children).
   */
  onSpawn?: (step: RunningStep) => void;
}

/** A step that is running, as {@link RunOptions.onSpawn} gives it. */
export interface RunningStep {
  pid: number;
  /** Sends `signal` (default SIGTERM) to the step's node process only. */
  kill(signal?: NodeJS.Signals): void;
}

/** The directories and files of one simulated job. */
export interface RunDirs {
  /** Parent of everything below; removed by `removeTempDirs()`. */
  root: string;
  /** RUNNER_TEMP, shared by the main and post steps as on a runner. */
  runnerTemp: string;
  /** RUNNER_TOOL_CACHE. */
  toolCache: string;
  /** HOME: `~/.docker/config.json` here is the "user's Docker config". */
  home: string;
  /** GITHUB_WORKSPACE. */
  workspace: string;
  /** GITHUB_EVENT_PATH. */
  eventPath: string;
  /** This step's file-command files. */
  files: StepFiles;
}

/** The per-step files the runner reads back after a step. */
export interface StepFiles {
  output: string;
  state: string;
  env: string;
  path: string;
  summary: string;
}

/** A `::command key=value::message` line the step printed. */
export interface WorkflowCommand {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Everything a test can look at after a step ran. */
export interface ActionRun {
  phase: 'main' | 'post';
  /** Exit code; `null` when the process was killed. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed (`name=value` and `name<<DELIMITER` forms; the last value wins). */
  outputs: Record<string, string>;
  /** GITHUB_OUTPUT as written. */
  outputFile: string;
  /** GITHUB_STATE, parsed. */
  state: Record<string, string>;
  /** GITHUB_STATE as written. */
  stateFile: string;
  /** GITHUB_ENV, parsed. */
  exportedEnv: Record<string, string>;
  /** GITHUB_ENV as written. */
  envFile: string;
  /** GITHUB_PATH lines. */
  path: string[];
  /** GITHUB_STEP_SUMMARY as written (Markdown). */
  summary: string;
  /** Workflow commands printed on stdout (`::error::`, `::add-mask::`, `::group::`...). */
  commands: WorkflowCommand[];
  /** Values the step masked with `::add-mask::`. */
  masks: string[];
  dirs: RunDirs;
  /** The complete environment the step ran with. */
  env: Record<string, string>;
  /** The script that ran. */
  entry: string;
  /** `runs.post` of the action (or the entry, when an entry was given), for {@link runPost}. */
  postEntry?: string;
}

const fakeToken = 'ghs_e2eFakeTokenNotARealOne0123456789';

// Variables of the machine that must not leak into the step: a runner sets
// these itself, and a test run inside GitHub Actions has its own.
const runnerOwned = /^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|npm_)/;
const dropped = new Set(['DOCKER_CONFIG', 'NODE_OPTIONS', 'JEST_WORKER_ID', 'BUILDX_BUILDER']);

/**
 * Runs the action's main step exactly as the GitHub runner does: `INPUT_*` for
 * every action.yml input (defaults included, `${{ github.* }}` expressions
 * evaluated), fresh GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV / GITHUB_PATH /
 * GITHUB_STEP_SUMMARY files, RUNNER_TEMP, RUNNER_TOOL_CACHE, the event payload
 * in GITHUB_EVENT_PATH, a temporary HOME, then `node <runs.main>` with the
 * Node that runs the tests. Never throws for a failing step: look at `exitCode`.
 */
export async function runAction(options: RunOptions = {}): Promise<ActionRun> {
  const action = await readActionDefinition(options.actionDir);
  const event = options.event ?? pushEvent('refs/heads/main');
  const root = await makeTempDir('run');
  const dirs: RunDirs = {
    root,
    runnerTemp: join(root, 'runner-temp'),
    toolCache: join(root, 'tool-cache'),
    home: join(root, 'home'),
    workspace: options.workspace ?? join(root, 'workspace'),
    eventPath: join(root, 'event.json'),
    files: await stepFiles(root, 'main'),
  };
  await Promise.all(
    [dirs.runnerTemp, dirs.toolCache, dirs.home, dirs.workspace].map((d) =>
      mkdir(d, { recursive: true }),
    ),
  );
  await writeFile(dirs.eventPath, JSON.stringify(event.payload, null, 2));
  await installEnginePlugins(dirs.home);

  const repository = repositoryName(event);
  const actor = options.actor ?? 'mona';
  const refType = event.ref.startsWith('refs/tags/') ? 'tag' : 'branch';
  const refName = event.ref.replace(/^refs\/(heads|tags)\//, '');
  const pr = isRecord(event.payload.pull_request) ? event.payload.pull_request : undefined;
  const github: Record<string, string> = {
    token: options.token ?? fakeToken,
    actor,
    triggering_actor: actor,
    repository,
    repository_owner: repository.split('/')[0] ?? '',
    event_name: event.name,
    ref: event.ref,
    ref_name: refName,
    ref_type: refType,
    sha: event.sha,
    run_id: options.runId ?? '4242424242',
    run_number: options.runNumber ?? '17',
    run_attempt: '1',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    graphql_url: 'https://api.github.com/graphql',
    workspace: dirs.workspace,
    workflow: 'e2e',
    job: 'image',
    action: '__acme_build-tag-push',
    head_ref: pr && isRecord(pr.head) && typeof pr.head.ref === 'string' ? pr.head.ref : '',
    base_ref: pr && isRecord(pr.base) && typeof pr.base.ref === 'string' ? pr.base.ref : '',
  };
  const runner: Record<string, string> = {
    temp: dirs.runnerTemp,
    tool_cache: dirs.toolCache,
    os: 'Linux',
    arch: process.arch === 'arm64' ? 'ARM64' : 'X64',
    name: 'e2e-runner',
    environment: 'github-hosted',
  };

  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !runnerOwned.test(name) && !dropped.has(name)) env[name] = value;
  }
  Object.assign(env, {
    CI: 'true',
    HOME: dirs.home,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_PATH: dirs.eventPath,
    RUNNER_TEMP: runner.temp,
    RUNNER_TOOL_CACHE: runner.tool_cache,
    RUNNER_OS: runner.os,
    RUNNER_ARCH: runner.arch,
    RUNNER_NAME: runner.name,
    RUNNER_ENVIRONMENT: runner.environment,
  });
  for (const [key, value] of Object.entries(github)) {
    if (key !== 'token') env[`GITHUB_${key.toUpperCase()}`] = value;
  }
  if (options.debug) env.RUNNER_DEBUG = '1';

  const inputs = { ...action.inputs };
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    if (!(name in action.inputs)) {
      throw new Error(
        `runAction: action.yml has no input "${name}"; it has: ${Object.keys(action.inputs).join(', ')}`,
      );
    }
    inputs[name] = String(value);
  }
  for (const [name, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    env[inputVariable(name)] = evaluate(value, { github, runner });
  }
  applyEnv(env, options.env);

  const entry = options.entry ?? action.main;
  return await runStep(
    'main',
    entry,
    env,
    dirs,
    options.timeoutMs,
    options.entry ?? action.post,
    options.onSpawn,
  );
}

/** Options of {@link runPost}. */
export interface PostOptions {
  /** Extra environment, applied last; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/**
 * Runs the post step after `main` the way the runner does: the same inputs and
 * directories, the variables and PATH entries the main step exported, and
 * `STATE_<name>` for every value the main step saved; fresh file-command files.
 */
export async function runPost(main: ActionRun, options: PostOptions = {}): Promise<ActionRun> {
  if (main.postEntry === undefined) throw new Error('runPost: action.yml has no runs.post');
  const files = await stepFiles(main.dirs.root, 'post');
  const env: Record<string, string> = { ...main.env, ...main.exportedEnv };
  if (main.path.length > 0) env.PATH = [...[...main.path].reverse(), env.PATH].join(':');
  for (const [name, value] of Object.entries(main.state)) env[`STATE_${name}`] = value;
  applyEnv(env, options.env);
  return await runStep(
    'post',
    main.postEntry,
    env,
    { ...main.dirs, files },
    options.timeoutMs,
    undefined,
  );
}

/** `INPUT_<NAME>`: upper case, spaces to `_`, hyphens kept (as the runner and @actions/core do). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

async function stepFiles(root: string, step: string): Promise<StepFiles> {
  const dir = join(root, 'steps', step);
  await mkdir(dir, { recursive: true });
  const files: StepFiles = {
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    env: join(dir, 'env'),
    path: join(dir, 'path'),
    summary: join(dir, 'step_summary'),
  };
  await Promise.all(
    [files.output, files.state, files.env, files.path, files.summary].map((file) =>
      writeFile(file, ''),
    ),
  );
  return files;
}

async function runStep(
  phase: 'main' | 'post',
  entry: string,
  baseEnv: Record<string, string>,
  dirs: RunDirs,
  timeoutMs = 240_000,
  postEntry: string | undefined,
  onSpawn?: (step: RunningStep) => void,
): Promise<ActionRun> {
  const env: Record<string, string> = {
    ...baseEnv,
    GITHUB_OUTPUT: dirs.files.output,
    GITHUB_STATE: dirs.files.state,
    GITHUB_ENV: dirs.files.env,
    GITHUB_PATH: dirs.files.path,
    GITHUB_STEP_SUMMARY: dirs.files.summary,
  };
  const started = Date.now();
  const child = spawn(process.execPath, [entry], {
    cwd: dirs.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) {
    const pid = child.pid;
    onSpawn?.({ pid, kill: (signal = 'SIGTERM') => void child.kill(signal) });
  }
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
    (resolveExit, reject) => {
      child.on('error', reject);
      child.on('close', (code, sig) => resolveExit([code, sig]));
    },
  ).finally(() => clearTimeout(timer));

  const out = Buffer.concat(stdout).toString('utf8');
  const [outputFile, stateFile, envFile, pathFile, summary] = await Promise.all(
    [dirs.files.output, dirs.files.state, dirs.files.env, dirs.files.path, dirs.files.summary].map(
      (file) => readFile(file, 'utf8'),
    ),
  );
  const commands = parseCommands(out);
  return {
    phase,
    exitCode,
    signal,
    timedOut,
    durationMs: Date.now() - started,
    stdout: out,
    stderr: Buffer.concat(stderr).toString('utf8'),
    outputs: parseFileCommand(outputFile, 'GITHUB_OUTPUT'),
    outputFile,
    state: parseFileCommand(stateFile, 'GITHUB_STATE'),
    stateFile,
    exportedEnv: parseFileCommand(envFile, 'GITHUB_ENV'),
    envFile,
    path: pathFile.split(/\r?\n/).filter((line) => line.trim() !== ''),
    summary,
    commands,
    masks: commands.filter((c) => c.command === 'add-mask').map((c) => c.message),
    dirs,
    env,
    entry,
    postEntry,
  };
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE / GITHUB_ENV file as the runner does:
 * `name=value` lines and `name<<DELIMITER` blocks; the later of two values wins.
 */
export function parseFileCommand(text: string, what = 'file command'): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line === '') continue;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const name = line.slice(0, equals);
      if (name === '') throw new Error(`${what}: empty name in line "${line}"`);
      result[name] = line.slice(equals + 1);
      continue;
    }
    if (heredoc < 0)
      throw new Error(`${what}: line "${line}" is neither name=value nor name<<DELIMITER`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (name === '' || delimiter === '') throw new Error(`${what}: bad heredoc line "${line}"`);
    const value: string[] = [];
    let closed = false;
    for (i++; i < lines.length; i++) {
      if (lines[i] === delimiter) {
        closed = true;
        break;
      }
      value.push(lines[i] ?? '');
    }
    if (!closed) throw new Error(`${what}: "${name}<<${delimiter}" is never closed`);
    result[name] = value.join('\n');
  }
  return result;
}

/** Parses `::command key=value,...::message` lines (with the runner's %-escapes). */
export function parseCommands(stdout: string): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const equals = pair.indexOf('=');
      if (equals > 0) properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
    commands.push({ command: match[1] ?? '', properties, message: unescapeData(match[3] ?? '') });
  }
  return commands;
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(value: string): string {
  return unescapeData(value.replace(/%3A/g, ':').replace(/%2C/g, ','));
}

// The runner evaluates expressions in input defaults (`${{ github.token }}`);
// the harness knows the `github` and `runner` contexts it set up.
function evaluate(value: string, contexts: Record<string, Record<string, string>>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expression: string) => {
    const [context = '', key = '', ...rest] = expression.split('.');
    const found = rest.length === 0 ? contexts[context]?.[key] : undefined;
    if (found === undefined) {
      throw new Error(`runAction: cannot evaluate ${whole} in an action.yml default`);
    }
    return found;
  });
}

function applyEnv(
  env: Record<string, string>,
  extra: Record<string, string | undefined> = {},
): void {
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
}

function repositoryName(event: GitHubEvent): string {
  const repo = event.payload.repository;
  return isRecord(repo) && typeof repo.full_name === 'string' ? repo.full_name : 'acme/app';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
