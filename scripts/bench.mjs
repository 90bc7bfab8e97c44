// npm run bench [-- --runs N] [--trace] [--engine classic|containerd|both] [--trio DIR]
// (BENCH_NODE_ARGS: node options for the action's steps, e.g. --cpu-prof --cpu-prof-dir=DIR)
//
// Runs on each engine that GitHub's runners have (scripts/engine.sh starts
// both): the classic image store and the containerd image store; every
// figure is printed per engine (`classic_ratio=...`, `containerd_ratio=...`).
//
// How much the action costs over the commands it replaces, on the real engine:
// a cached build of example/ pushed to a local htpasswd registry for a push of
// the git tag v1.2.3, N times each, alternating:
//   bare    docker login --password-stdin, docker buildx build --push with the
//           tags, labels and annotations the action computes and --metadata-file,
//           docker logout (what a careful user types);
//   action  node dist/index.js as the runner starts it (INPUT_* for every
//           action.yml input, GITHUB_* files, the event payload, RUNNER_TEMP),
//           then the post step with STATE_*;
//   trio    docker/login-action + docker/metadata-action + docker/build-push-action,
//           the real actions' bundles, main and post steps, doing the same push
//           (scripts/bench-trio.mjs says how, and where the actions come from).
// The action's overhead is what it costs over the bare commands, action - bare; the
// trio's, trio - bare. `overhead` is the first as a fraction of the second, from the
// medians: (action - bare) / (trio - bare). 0.10 means the action adds a tenth of what
// the trio adds to the same push.
// Then the dry-run cold start (N runs of node dist/index.js with dry-run: true),
// the size of dist/ and the peak memory of the action's node process (a full
// run under /usr/bin/time, else the VmHWM of /proc/<pid>/status).
// Prints a table and one key=value line per figure. Timings are not asserted.
//
// Needs: dist/ built, npm ci done (yaml), a Docker engine with buildx
// (scripts/engine.sh start), docker-registry, htpasswd and busybox-static
// (scripts/engine.sh install). Run it on Node 24, as the runner does.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { measureChain } from './bench-chain.mjs';
import { measureRemote } from './bench-remote.mjs';
import { startApi } from './bench-api.mjs';
import { loadTrio, trioDir, trioRun } from './bench-trio.mjs';
import { parseFileCommand } from './file-commands.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (line) => process.stderr.write(`bench: ${line}\n`);

function usage(error) {
  if (error) log(`error: ${error}`);
  process.stderr.write(
    'usage: npm run bench [-- [--runs N] [--trace] [--engine classic|containerd|both] [--trio DIR]]\n  --runs N  runs of each (N >= 1, default 10)\n  --trace   also print the output of one action run (main, post), with the time of each line\n  --engine  the engine(s) to measure on (default both)\n  --trio    the directory with login-action/, metadata-action/ and build-push-action/ (default\n            $BENCH_TRIO, else ~/.cache/build-tag-push/bench-trio, cloned there on first use)\n',
  );
  process.exit(error ? 2 : 0);
}

function parseArgs(argv) {
  let runs = 10;
  let trace = false;
  let engines = ['classic', 'containerd'];
  let trio;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') usage();
    if (arg === '--trio' || arg.startsWith('--trio=')) {
      trio = arg === '--trio' ? argv[++i] : arg.slice('--trio='.length);
      if (!trio) usage('--trio: a directory is needed');
      continue;
    }
    if (arg === '--trace') {
      trace = true;
      continue;
    }
    if (arg === '--engine' || arg.startsWith('--engine=')) {
      const name = arg === '--engine' ? argv[++i] : arg.slice('--engine='.length);
      if (!['classic', 'containerd', 'both'].includes(name ?? ''))
        usage(`--engine: "${name}" is not classic, containerd or both`);
      engines = name === 'both' ? ['classic', 'containerd'] : [name];
      continue;
    }
    const value = arg === '--runs' ? argv[++i] : arg.startsWith('--runs=') ? arg.slice(7) : null;
    if (value === null) usage(`unknown argument "${arg}"`);
    if (!/^[1-9]\d*$/.test(value ?? '')) usage(`--runs: "${value}" is not a number >= 1`);
    runs = Number(value);
  }
  return { runs, trace, engines, trio };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function need(ok, what) {
  if (!ok) {
    log(`error: ${what}`);
    process.exit(1);
  }
}

function works(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command; resolves with its wall time, exit code and output. */
function run(command, args, { env, cwd, input, trace } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const collect = (chunk) => {
      out.push(chunk);
      if (!trace) return;
      const at = (Number(process.hrtime.bigint() - started) / 1e6).toFixed(0).padStart(5);
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        process.stderr.write(`${at} ms  ${line}\n`);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, ms, output: Buffer.concat(out).toString('utf8'), pid: child.pid });
    });
    // A command that ends without reading its input (a login that failed at once) is reported by
    // its exit code, not by the EPIPE of the write.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

async function check(result, what) {
  if (result.code !== 0) {
    log(
      `error: ${what} exited with ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`,
    );
    process.exit(1);
  }
  return result;
}

// Synchronous, and run on every way out (an error, process.exit, Ctrl-C, a closed pipe):
// no registry or temp dir is left behind.
const cleanups = [];
/** The bench job's workflow file and run. */
const BENCH_WORKFLOW = 'release.yml';
const RUN_ID = '4242424242';
function cleanup() {
  while (cleanups.length > 0) {
    try {
      cleanups.pop()();
    } catch (error) {
      log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));

/** docker-registry with htpasswd auth on a free 127.0.0.1 port, storage in `dir`; as the e2e harness starts it. */
async function startRegistry(dir, user, password) {
  const port = await freePort();
  mkdirSync(join(dir, 'storage'), { recursive: true });
  writeFileSync(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', user, password]));
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: {level: warn, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}, delete: {enabled: true}}`,
      `http: {addr: '127.0.0.1:${port}'}`,
      `auth: {htpasswd: {realm: bench, path: ${join(dir, 'htpasswd')}}}`,
    ].join('\n') + '\n',
  );
  // Its log (a warning per unauthenticated probe) goes to a file, not the bench's output.
  const logFd = openSync(join(dir, 'registry.log'), 'w');
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  let exited = false;
  child.on('exit', () => (exited = true));
  cleanups.push(() => exited || child.kill('SIGKILL'));
  for (let i = 0; i < 100 && !exited; i++) {
    const status = await globalThis
      .fetch(`http://127.0.0.1:${port}/v2/`)
      .then(async (r) => (await r.arrayBuffer(), r.status))
      .catch(() => 0);
    if (status === 401) return `127.0.0.1:${port}`;
    await sleep(100);
  }
  throw new Error(`docker-registry did not answer on 127.0.0.1:${port}`);
}

/** Total bytes of the files under `dir`. */
function treeBytes(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? treeBytes(path) : stat.size);
  }, 0);
}

/** The repository of the bench's event payload (and of its GitHub API). */
const REPOSITORY = {
  id: 123456,
  name: 'app',
  full_name: 'acme/app',
  owner: { login: 'acme', id: 654321, type: 'Organization' },
  html_url: 'https://github.com/acme/app',
  description: 'The build-tag-push example',
  default_branch: 'main',
  license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
};

/**
 * The job the runner would run: the environment of the main step (INPUT_* for every input of
 * action.yml, defaults and `${{ github.* }}` evaluated), the event payload of a push of the
 * tag v1.2.3, and a step function that starts `node <runs.main|runs.post>` with fresh
 * GITHUB_* files, as __tests__/e2e/harness/action.ts does. The GitHub API is `api`
 * (scripts/bench-api.mjs), asked by the action and the trio as on a runner.
 */
function makeJob(work, action, inputs, api) {
  const dirs = Object.fromEntries(
    ['temp', 'toolcache', 'home', 'workspace', 'steps'].map((d) => [d, join(work, d)]),
  );
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const ref = 'refs/tags/v1.2.3';
  const repository = REPOSITORY;
  const commit = { id: sha, message: 'Release 1.2.3', timestamp: '2024-05-06T07:08:09Z' };
  const eventPath = join(work, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({
      ref,
      before: '0'.repeat(40),
      after: sha,
      created: true,
      head_commit: commit,
      commits: [commit],
      repository,
    }),
  );
  const github = {
    token: 'ghs_benchFakeTokenNotARealOne0123456789',
    actor: 'mona',
    repository: repository.full_name,
    repository_owner: 'acme',
    event_name: 'push',
    ref,
    ref_name: 'v1.2.3',
    ref_type: 'tag',
    sha,
    run_id: RUN_ID,
    run_number: '17',
    run_attempt: '1',
    server_url: 'https://github.com',
    api_url: api,
    graphql_url: `${api}/graphql`,
    workspace: dirs.workspace,
    workflow: 'bench',
    // The README's release workflow, whose job may read the runs of its workflow (actions: read).
    workflow_ref: `acme/app/.github/workflows/${BENCH_WORKFLOW}@refs/tags/v1.2.3`,
    job: 'image',
    action: '__acme_build-tag-push',
  };
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (
      !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|npm_)/.test(name) &&
      !['DOCKER_CONFIG', 'NODE_OPTIONS', 'BUILDX_BUILDER'].includes(name)
    )
      env[name] = value;
  }
  Object.assign(env, {
    CI: 'true',
    HOME: dirs.home,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_PATH: eventPath,
    RUNNER_TEMP: dirs.temp,
    RUNNER_TOOL_CACHE: dirs.toolcache,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
  });
  for (const [key, value] of Object.entries(github)) {
    if (key !== 'token') env[`GITHUB_${key.toUpperCase()}`] = value;
  }
  // INPUT_* for every input of `definition` (an action.yml), as the runner sets them.
  const inputEnv = (definition, overrides) => {
    const out = {};
    for (const [name, spec] of Object.entries(definition.inputs ?? {})) {
      const value = name in overrides ? overrides[name] : spec?.default;
      if (value === undefined || value === null) continue;
      out[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value).replace(
        /\$\{\{\s*github\.(\w+)\s*\}\}/g,
        (_, key) => github[key] ?? '',
      );
    }
    return out;
  };
  const mainEnv = { ...env, ...inputEnv(action, inputs) };
  let stepCount = 0;

  /** `node <script>` with `stepEnv` and fresh GITHUB_* files, optionally wrapped (`/usr/bin/time`). */
  const runNode = async (script, stepEnv, wrapper = [], trace = false) => {
    const dir = join(dirs.steps, String(stepCount++));
    mkdirSync(dir);
    const files = {};
    for (const name of ['OUTPUT', 'STATE', 'ENV', 'PATH', 'STEP_SUMMARY']) {
      files[`GITHUB_${name}`] = join(dir, name.toLowerCase());
      writeFileSync(files[`GITHUB_${name}`], '');
    }
    const [command, ...args] = [
      ...wrapper,
      process.execPath,
      ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
      script,
    ];
    const result = await run(command, args, {
      env: { ...stepEnv, ...files },
      cwd: dirs.workspace,
      trace,
    });
    const read = (name) => parseFileCommand(readFileSync(files[name], 'utf8'));
    const outcome = { ...result, outputs: read('GITHUB_OUTPUT'), state: read('GITHUB_STATE') };
    rmSync(dir, { recursive: true, force: true });
    return outcome;
  };

  /** One step of the action; returns timing, outputs, state. */
  const step = (phase, extraEnv = {}, wrapper = [], trace = false) =>
    runNode(
      join(root, phase === 'post' ? action.runs.post : action.runs.main),
      { ...mainEnv, ...extraEnv },
      wrapper,
      trace,
    );
  const stateEnv = (state) =>
    Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]));
  return { dirs, env, step, stateEnv, inputEnv, runNode, repository };
}

/** Peak resident memory (MB) of a step's node process. */
async function peakMemory(job, phase, extraEnv, timeBinary) {
  if (timeBinary) {
    const file = join(job.dirs.temp, 'peak-rss');
    const result = await job.step(phase, extraEnv, [timeBinary, '-f', '%M', '-o', file]);
    return { result, mb: Number(readFileSync(file, 'utf8').trim().split('\n').pop()) / 1024 };
  }
  // Without GNU time: poll the high-water mark of the process while it runs.
  let peakKb = 0;
  let done = false;
  const sampling = (async () => {
    while (!done) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const status = readFileSync(`/proc/${pid}/status`, 'utf8');
          if (!status.includes(`PPid:\t${process.pid}\n`)) continue;
          const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
          peakKb = Math.max(peakKb, kb);
        } catch {
          // the process ended between the listing and the read
        }
      }
      await sleep(5);
    }
  })();
  const result = await job.step(phase, extraEnv);
  done = true;
  await sampling;
  return { result, mb: peakKb / 1024 };
}

/**
 * Points the docker CLI of this process (and of the jobs it starts, through process.env) at one
 * engine, as `scripts/engine.sh env` prints it; returns the buildx plugin a job's HOME needs
 * (the containerd engine's buildx, where docker/setup-buildx-action puts it), or undefined.
 */
function useEngine(engine) {
  delete process.env.DOCKER_HOST;
  delete process.env.DOCKER_CONFIG;
  if (engine === 'classic') {
    process.env.PATH = originalPath;
    return undefined;
  }
  const state = process.env.ENGINE_STATE || '/tmp/btp-engine';
  const home = process.env.ENGINE_HOME || '/opt/btp-engine';
  process.env.DOCKER_HOST = `unix://${state}/containerd/docker.sock`;
  process.env.DOCKER_CONFIG = `${state}/containerd/config`;
  process.env.PATH = `${home}/containerd/root/usr/bin:${originalPath}`;
  return `${home}/containerd/root/usr/libexec/docker/cli-plugins/docker-buildx`;
}
const originalPath = process.env.PATH ?? '';

async function main() {
  const { runs, trace, engines, trio: trioOption } = parseArgs(process.argv.slice(2));
  const trio = loadTrio(trioDir(trioOption), log);
  const all = [];
  for (const engine of engines) {
    log(`engine: ${engine}`);
    all.push({ engine, ...(await measure(engine, runs, trace, trio)) });
  }
  const out = [];
  for (const { engine, header, lines } of all)
    out.push(`${header}, ${engine} engine`, '', ...lines, '');
  for (const { engine, figures } of all)
    out.push(...figures.map(([key, , value]) => `${engine}_${key}=${value}`));
  process.stdout.write(out.join('\n') + '\n');
}

/** The trio's figures: its time, its ratio to the bare commands, the action's overhead to its. */
function trioFigures(pairs) {
  const bare = median(pairs.map((p) => p.a));
  const actionMs = median(pairs.map((p) => p.b));
  const trio = median(pairs.map((p) => p.c));
  return [
    [
      'trio_ms',
      'docker trio (login, metadata, build-push; main + post), median',
      trio.toFixed(0),
      'ms',
    ],
    [
      'trio_ratio',
      'trio / bare, median of the per-run ratios',
      median(pairs.map((p) => p.c / p.a)).toFixed(3),
      '',
    ],
    [
      'overhead',
      "action's overhead / trio's: (action - bare) / (trio - bare), medians",
      ((actionMs - bare) / (trio - bare)).toFixed(3),
      '',
    ],
  ];
}

async function measure(engine, runs, trace, trio) {
  const plugin = useEngine(engine);
  need(existsSync(join(root, 'dist', 'index.js')), 'dist/index.js is missing: run npm run build');
  need(
    works('docker', ['info']),
    `the ${engine} engine does not answer: run scripts/engine.sh start`,
  );
  need(
    works('docker', ['buildx', 'version']),
    'docker buildx is missing: run scripts/engine.sh install',
  );
  for (const tool of ['docker-registry', 'htpasswd'])
    need(
      works('sh', ['-c', `command -v ${tool}`]),
      `${tool} is missing: run scripts/engine.sh install`,
    );
  need(existsSync('/bin/busybox'), '/bin/busybox is missing: run scripts/engine.sh install');
  if (!process.version.startsWith('v24.'))
    log(`warning: running on Node ${process.version}; the runner runs node24 actions on Node 24`);
  const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

  const work = mkdtempSync(join(tmpdir(), 'btp-bench-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const user = 'bench';
  const password = randomBytes(18).toString('base64url');
  const registry = await startRegistry(join(work, 'registry'), user, password);
  const image = `${registry}/bench/app`;

  // The example project, with the static busybox its Dockerfile copies in.
  const context = join(work, 'context');
  cpSync(join(root, 'example'), context, { recursive: true });
  cpSync('/bin/busybox', join(context, 'busybox'));

  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'));
  // No artifact service outside GitHub, and the bare commands upload none: artifact-name is
  // empty so both sides do the same work.
  const inputs = {
    images: image,
    context,
    registry,
    username: user,
    password,
    'artifact-name': '',
    // Every round releases v1.2.3 again from the same commit, after the bare commands pushed
    // their own build of it: force re-points the immutable tags, as the bare commands do, so
    // that each round measures a build and push rather than the refusal of a re-run.
    force: true,
  };
  const api = await startApi(REPOSITORY, { runId: RUN_ID, workflowFile: BENCH_WORKFLOW });
  cleanups.push(api.close);
  const job = makeJob(work, action, inputs, api.url);
  if (plugin) {
    mkdirSync(join(job.dirs.home, '.docker', 'cli-plugins'), { recursive: true });
    symlinkSync(plugin, join(job.dirs.home, '.docker', 'cli-plugins', 'docker-buildx'));
  }
  const dryEnv = { 'INPUT_DRY-RUN': 'true' };

  /** The plan the action computes now (tags, labels, annotations), from a dry run. */
  const plan = async () => {
    const { outputs } = await check(await job.step('main', dryEnv), 'the dry run');
    const list = (text) => (text ?? '').split('\n').filter(Boolean);
    return {
      tags: list(outputs.tags),
      labels: list(outputs.labels),
      annotations: list(outputs.annotations),
    };
  };

  // (a) What a careful user types, in the same job (HOME, so ~/.docker is the job's).
  const bare = async () => {
    const { tags, labels, annotations } = await plan();
    const metadata = join(job.dirs.temp, 'bare-metadata.json');
    const env = job.env;
    const started = process.hrtime.bigint();
    const login = await check(
      await run('docker', ['login', '--username', user, '--password-stdin', registry], {
        env,
        input: password,
      }),
      'docker login',
    );
    const args = ['buildx', 'build'];
    for (const label of labels) args.push('--label', label);
    for (const annotation of annotations) args.push('--annotation', annotation);
    for (const tag of tags) args.push('--tag', tag);
    args.push('--push', '--metadata-file', metadata, context);
    const build = await check(
      await run('docker', args, { env, cwd: job.dirs.workspace }),
      'docker buildx build',
    );
    const logout = await check(await run('docker', ['logout', registry], { env }), 'docker logout');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const parts = `login ${login.ms.toFixed(0)}, build ${build.ms.toFixed(0)}, logout ${logout.ms.toFixed(0)}`;
    const digest = JSON.parse(readFileSync(metadata, 'utf8'))['containerimage.digest'];
    need(
      typeof digest === 'string' && digest.startsWith('sha256:'),
      'bare build: no digest in the metadata file',
    );
    return { ms, tags, parts };
  };

  // (b) The bundled action, main then post, as the runner starts them.
  const actionRun = async () => {
    const main = await check(await job.step('main'), 'the action (main)');
    const post = await check(await job.step('post', job.stateEnv(main.state)), 'the action (post)');
    need(
      main.outputs.pushed === 'true' && /^sha256:/.test(main.outputs.digest ?? ''),
      'the action did not push',
    );
    return {
      ms: main.ms + post.ms,
      main: main.ms,
      post: post.ms,
      tags: (main.outputs.tags ?? '').split('\n'),
    };
  };

  // (c) The docker trio, the same push (scripts/bench-trio.mjs).
  let trioStep;
  if (trio) {
    // The action's default rules (empty `tags`), written out for metadata-action.
    const tags = [
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}}',
      'type=ref,event=branch',
      'type=ref,event=pr',
      'type=sha',
    ].join('\n');
    trioStep = () =>
      trioRun(job, trio, { registry, user, password, context, tags, api: api.url, check });
  }

  log(`registry ${registry} (htpasswd), image ${image}, context ${context}`);
  log('warm-up: one run of each (fills the build cache)');
  const warmBare = await bare();
  const warmAction = await actionRun();
  need(
    warmBare.tags.join(' ') === warmAction.tags.join(' '),
    `the bare commands and the action pushed different tags: ${warmBare.tags} / ${warmAction.tags}`,
  );
  if (trioStep) {
    const warmTrio = await trioStep();
    need(
      [...warmTrio.tags].sort().join(' ') === [...warmAction.tags].sort().join(' '),
      `the trio and the action pushed different tags: ${warmTrio.tags} / ${warmAction.tags}`,
    );
  }

  if (trace) {
    log('trace: one action run, main then post (ms since the start of each step)');
    const main = await check(await job.step('main', {}, [], true), 'the action (main, trace)');
    await check(
      await job.step('post', job.stateEnv(main.state), [], true),
      'the action (post, trace)',
    );
  }

  const pairs = [];
  for (let i = 0; i < runs; i++) {
    // Turns in a rotating order, so that a drift of the machine weighs on every side alike.
    const got = {};
    const turns = [['a', bare], ['b', actionRun], ...(trioStep ? [['c', trioStep]] : [])];
    for (let k = 0; k < turns.length; k++) {
      const [key, work] = turns[(i + k) % turns.length];
      got[key] = await work();
    }
    const { a, b, c } = got;
    pairs.push({ a: a.ms, b: b.ms, c: c?.ms, main: b.main, post: b.post });
    log(
      `run ${i + 1}/${runs}: bare ${a.ms.toFixed(0)} ms (${a.parts}), action ${b.ms.toFixed(0)} ms (main ${b.main.toFixed(0)}, post ${b.post.toFixed(0)}), ratio ${(b.ms / a.ms).toFixed(3)}${c ? `, trio ${c.ms.toFixed(0)} ms (${c.parts})` : ''}`,
    );
  }

  const dryRuns = [];
  for (let i = 0; i < runs; i++)
    dryRuns.push((await check(await job.step('main', dryEnv), 'the dry run')).ms);

  const mainPeak = await peakMemory(job, 'main', {}, timeBinary);
  await check(mainPeak.result, 'the action (main, memory)');
  const postPeak = await peakMemory(job, 'post', job.stateEnv(mainPeak.result.state), timeBinary);
  await check(postPeak.result, 'the action (post, memory)');
  const dryPeak = await peakMemory(job, 'main', dryEnv, timeBinary);
  await check(dryPeak.result, 'the dry run (memory)');

  // The reuse run (issue #6): the same source again with `reuse: true`. The first such run
  // pushes the fingerprint tag (fp-...); each one after it finds that tag and only adds the
  // tags to the pushed image (no build, no pull). Compared with the full cached run above.
  const reuseRun = async () => {
    const main = await check(
      await job.step('main', { INPUT_REUSE: 'true' }),
      'the action (main, reuse)',
    );
    const post = await check(
      await job.step('post', job.stateEnv(main.state)),
      'the action (post, reuse)',
    );
    return { ms: main.ms + post.ms, reused: main.outputs.reused === 'true' };
  };
  await reuseRun();
  const reuseRuns = [];
  for (let i = 0; i < runs; i++) {
    const result = await reuseRun();
    need(result.reused, 'the reuse run built the image instead of promoting it');
    reuseRuns.push(result.ms);
  }

  // Named contexts need BuildKit 0.10 or later: the chain runs on the containerd-store engine.
  const chain =
    engine === 'containerd'
      ? await measureChain({ job, registry, runs, check, need, median, log })
      : [];

  // The same release on a real buildkitd (the remote driver), beside the bare push there.
  const remote = await measureRemote({
    ...{ job, registry, user, password, context, runs, run, check, need, median, log, plan },
    cleanups,
  });

  const figures = [
    [
      'bare_ms',
      'bare commands (login, buildx build --push, logout), median',
      median(pairs.map((p) => p.a)).toFixed(0),
      'ms',
    ],
    ['action_ms', 'action (main + post), median', median(pairs.map((p) => p.b)).toFixed(0), 'ms'],
    ['action_main_ms', '  main step, median', median(pairs.map((p) => p.main)).toFixed(0), 'ms'],
    ['action_post_ms', '  post step, median', median(pairs.map((p) => p.post)).toFixed(0), 'ms'],
    [
      'ratio',
      'action / bare, median of the per-pair ratios',
      median(pairs.map((p) => p.b / p.a)).toFixed(3),
      '',
    ],
    [
      'reuse_ms',
      'action with reuse: true, same source (tags added, no build), median',
      median(reuseRuns).toFixed(0),
      'ms',
    ],
    [
      'reuse_ratio',
      'reuse / full cached rebuild-and-push by the action, medians',
      (median(reuseRuns) / median(pairs.map((p) => p.b))).toFixed(3),
      '',
    ],
    ...(trioStep ? trioFigures(pairs) : []),
    ['dryrun_ms', 'dry-run cold start, median', median(dryRuns).toFixed(0), 'ms'],
    ['dist_bytes', 'dist/ total size', String(treeBytes(join(root, 'dist'))), 'bytes'],
    ['peak_rss_mb', 'peak memory, action main step', mainPeak.mb.toFixed(1), 'MB'],
    ['peak_rss_post_mb', 'peak memory, action post step', postPeak.mb.toFixed(1), 'MB'],
    ['peak_rss_dryrun_mb', 'peak memory, dry run', dryPeak.mb.toFixed(1), 'MB'],
    ...chain,
    ...remote,
  ];
  const width = Math.max(...figures.map((f) => f[1].length));
  const header = `build-tag-push bench: ${runs} run(s) each, Node ${process.version}, cached build of example/, tag push v1.2.3, registry ${registry} (htpasswd)`;
  const lines = figures.map(
    ([, label, value, unit]) => `${label.padEnd(width)}  ${value}${unit ? ` ${unit}` : ''}`,
  );
  return { header, lines, figures };
}

await main();
// The registry child keeps the event loop alive: cleaned up here, not only at exit.
cleanup();
