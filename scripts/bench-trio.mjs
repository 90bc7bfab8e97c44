// The docker trio for `npm run bench`: docker/login-action, docker/metadata-action and
// docker/build-push-action themselves, their bundles started as the runner starts them.
//
// Method: the real actions' dist/ (login-action v4, metadata-action v6, build-push-action v7,
// the majors users pin today), in the same job as the bare commands and this action, in the
// order a workflow runs them: login main, metadata main, build-push main, then the post steps in
// reverse (build-push post, login post). What each does is the trio's own work: login-action's
// `docker login` into ~/.docker, metadata-action's tags and labels (the same tag rules as the
// action's defaults) with its GitHub API call for the repository answered by a local stand-in,
// build-push-action's docker and buildx probes and `buildx build --push --metadata-file`, the
// post steps' cleanup and `docker logout`. Where the trio would do more on GitHub, the bench
// lets it do less, so that the trio is never made slower than it is:
// - the API request goes to 127.0.0.1 (on GitHub it crosses the internet);
// - DOCKER_BUILD_SUMMARY=false and DOCKER_BUILD_RECORD_UPLOAD=false: build-push-action's post
//   step exports the build record and uploads it as an artifact by default, which needs the
//   runner's artifact service.
// The actions come from --trio DIR (login-action/, metadata-action/, build-push-action/, each
// with action.yml and dist/), else from a cache dir, cloned there on first use; without them
// the trio is left out with a warning.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

export const TRIO = [
  { name: 'login-action', ref: 'v4' },
  { name: 'metadata-action', ref: 'v6' },
  { name: 'build-push-action', ref: 'v7' },
];

/** The directory --trio names, else BENCH_TRIO, else the user's cache dir. */
export function trioDir(option) {
  if (option) return option;
  if (process.env.BENCH_TRIO) return process.env.BENCH_TRIO;
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'build-tag-push', 'bench-trio');
}

/**
 * The three actions' definitions (action.yml) and directories; each one missing is cloned from
 * GitHub (BENCH_TRIO_REMOTE, default https://github.com/docker/{name}) at its pinned major.
 * Returns undefined, after `log`, when one cannot be had.
 */
export function loadTrio(dir, log) {
  const remote = process.env.BENCH_TRIO_REMOTE || 'https://github.com/docker/{name}';
  const actions = {};
  for (const { name, ref } of TRIO) {
    const path = join(dir, name);
    if (!existsSync(join(path, 'action.yml'))) {
      log(`trio: cloning docker/${name}@${ref} into ${path}`);
      rmSync(path, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      try {
        execFileSync(
          'git',
          [
            'clone',
            '--quiet',
            '--depth',
            '1',
            '--branch',
            ref,
            remote.replace('{name}', name),
            path,
          ],
          { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 },
        );
      } catch (error) {
        rmSync(path, { recursive: true, force: true });
        log(
          `warning: the trio is left out: docker/${name} is not in ${dir} and cannot be cloned (${String(error.stderr ?? error.message).trim()}); give --trio DIR`,
        );
        return undefined;
      }
    }
    const action = parse(readFileSync(join(path, 'action.yml'), 'utf8'));
    actions[name] = { path, action };
  }
  return actions;
}

/**
 * One run of the trio in `job` (bench.mjs's makeJob): the five steps in a workflow's order;
 * resolves with the total wall time, each step's, and the tags build-push-action pushed.
 */
export async function trioRun(job, trio, { registry, user, password, context, tags, api, check }) {
  const base = {
    GITHUB_API_URL: api,
    DOCKER_BUILD_SUMMARY: 'false',
    DOCKER_BUILD_RECORD_UPLOAD: 'false',
  };
  const step = async (name, phase, inputs, state = {}) => {
    const { path, action } = trio[name];
    const env = { ...job.env, ...base, ...job.inputEnv(action, inputs), ...state };
    const script = join(path, phase === 'post' ? action.runs.post : action.runs.main);
    return check(await job.runNode(script, env), `${name} (${phase})`);
  };
  const login = { registry, username: user, password };
  const loginMain = await step('login-action', 'main', login);
  const meta = await step('metadata-action', 'main', { images: `${registry}/bench/app`, tags });
  const build = { context, push: 'true', ...pick(meta.outputs, ['tags', 'labels', 'annotations']) };
  const buildMain = await step('build-push-action', 'main', build);
  const buildPost = await step('build-push-action', 'post', build, job.stateEnv(buildMain.state));
  const loginPost = await step('login-action', 'post', login, job.stateEnv(loginMain.state));
  const steps = { loginMain, meta, buildMain, buildPost, loginPost };
  const ms = Object.values(steps).reduce((sum, s) => sum + s.ms, 0);
  const parts = Object.entries(steps)
    .map(([name, s]) => `${name} ${s.ms.toFixed(0)}`)
    .join(', ');
  if (!/^sha256:/.test(buildMain.outputs.digest ?? ''))
    throw new Error('the trio: build-push-action gave no digest');
  return { ms, parts, tags: (meta.outputs.tags ?? '').split('\n').filter(Boolean) };
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter((k) => object[k] !== undefined).map((k) => [k, object[k]]));
}
