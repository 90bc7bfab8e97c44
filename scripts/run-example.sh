#!/usr/bin/env bash
# Runs the bundled action (dist/index.js) on the example project in example/
# the way a GitHub runner runs it for a push of the tag v1.2.3: INPUT_* from
# action.yml and the inputs below, the GITHUB_* / RUNNER_* environment, the
# event payload, then the main step and the post step. It pushes to a local
# registry with htpasswd authentication, then prints the digest and the tags
# read back from the registry's API.
#
#   scripts/run-example.sh             build, push and verify (starts the engine if needed)
#   scripts/run-example.sh --dry-run   plan only: the tags and labels, no engine needed
#
# Needs `npm ci` done (the runner stand-in reads action.yml with the yaml
# package) and, for the full run, what `scripts/engine.sh install` installs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

log() { echo "example: $*" >&2; }
die() {
  echo "example: error: $*" >&2
  exit 1
}

dry_run=false
for arg in "$@"; do
  case $arg in
  --dry-run) dry_run=true ;;
  -h | --help)
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown argument '$arg'; expected --dry-run" ;;
  esac
done

# The action runs on Node 24 (runs.using: node24), as on GitHub's runners.
node_bin=$(scripts/engine.sh node24)
export PATH="$node_bin:$PATH"
[[ -f dist/index.js ]] || die "dist/index.js is missing: run npm run build"
[[ -d node_modules/yaml ]] || die "node_modules is missing: run npm ci"
[[ -x /bin/busybox ]] || die "/bin/busybox is missing: run scripts/engine.sh install (busybox-static)"

cleanups=()
cleanup() {
  local i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[i]}" || true; done
}
trap cleanup EXIT

work=$(mktemp -d /tmp/btp-example-XXXXXX)
cleanups+=("rm -rf '$work'")
# The image is FROM scratch with busybox; the binary is copied in, not committed.
cp /bin/busybox example/busybox
cleanups+=("rm -f '$ROOT/example/busybox'")

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
registry=127.0.0.1:$port
user=example
password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

if ! $dry_run; then
  if ! docker info >/dev/null 2>&1; then
    log "no Docker engine answers: starting one with scripts/engine.sh"
    scripts/engine.sh install
    scripts/engine.sh start
    cleanups+=("scripts/engine.sh stop")
  fi
  name=example-$$
  if command -v docker-registry >/dev/null; then
    scripts/engine.sh registry-start "$name" "$port" "$user" "$password" >/dev/null
    cleanups+=("scripts/engine.sh registry-stop '$name'")
  else
    log "no docker-registry binary: running the registry:2 image on $registry"
    mkdir -p "$work/auth"
    if command -v htpasswd >/dev/null; then
      htpasswd -Bbn "$user" "$password" >"$work/auth/htpasswd"
    else
      docker run --rm --entrypoint htpasswd httpd:2 -Bbn "$user" "$password" >"$work/auth/htpasswd"
    fi
    docker run -d --rm --name "btp-$name" -p "$registry:5000" -v "$work/auth:/auth:ro" \
      -e REGISTRY_AUTH=htpasswd -e REGISTRY_AUTH_HTPASSWD_REALM=example \
      -e REGISTRY_AUTH_HTPASSWD_PATH=/auth/htpasswd -e REGISTRY_STORAGE_DELETE_ENABLED=true \
      registry:2 >/dev/null
    cleanups+=("docker rm -f 'btp-$name' >/dev/null")
    for _ in $(seq 100); do
      [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/" || true) == 401 ]] && break
      sleep 0.1
    done
  fi
fi

log "running dist/index.js for a push of tag v1.2.3 (images: $registry/example/app, dry-run: $dry_run)"
# The runner stand-in (the same steps as __tests__/e2e/harness/action.ts, kept
# to what this example needs). The password reaches it in the environment only.
EX_WORK=$work EX_REGISTRY=$registry EX_USER=$user EX_PASSWORD=$password EX_DRY_RUN=$dry_run \
  node --input-type=module - <<'JS'
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { parseFileCommand as parseFile } from './scripts/file-commands.mjs';

const { EX_WORK: work, EX_REGISTRY: registry, EX_USER: user, EX_PASSWORD: password } = process.env;
const dryRun = process.env.EX_DRY_RUN === 'true';
const repo = 'example/app';
const image = `${registry}/${repo}`;
const inputs = {
  images: image,
  context: 'example',
  'dry-run': String(dryRun),
  'artifact-name': '', // no artifact service outside GitHub
  ...(dryRun ? {} : { registry, username: user, password }),
};

const git = (...args) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};
const sha = git('rev-parse', 'HEAD') ?? '0123456789abcdef0123456789abcdef01234567';
const ref = 'refs/tags/v1.2.3';
const repository = {
  name: 'build-tag-push',
  full_name: 'acme/build-tag-push',
  owner: { login: 'acme' },
  html_url: 'https://github.com/acme/build-tag-push',
  description: 'The build-tag-push example',
  default_branch: 'main',
  license: { spdx_id: 'MIT' },
};
const commit = { id: sha, message: 'Release 1.2.3', timestamp: git('log', '-1', '--format=%cI') ?? new Date().toISOString() };
const payload = { ref, after: sha, created: true, head_commit: commit, commits: [commit], repository };

const action = parse(readFileSync('action.yml', 'utf8'));
const dirs = Object.fromEntries(['temp', 'toolcache', 'home', 'main', 'post'].map((d) => [d, join(work, d)]));
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
writeFileSync(join(work, 'event.json'), JSON.stringify(payload));
const github = {
  token: 'ghs_exampleNotARealToken', actor: 'mona', repository: repository.full_name,
  repository_owner: 'acme', event_name: 'push', ref, ref_name: 'v1.2.3', ref_type: 'tag', sha,
  run_id: '1001', run_number: '1', run_attempt: '1', server_url: 'https://github.com',
  api_url: 'https://api.github.com', workspace: process.cwd(), workflow: 'example', job: 'image',
};
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_|EX_|npm_)/.test(k) && k !== 'DOCKER_CONFIG'),
);
Object.assign(env, {
  CI: 'true', HOME: dirs.home, GITHUB_ACTIONS: 'true', GITHUB_EVENT_PATH: join(work, 'event.json'),
  RUNNER_TEMP: dirs.temp, RUNNER_TOOL_CACHE: dirs.toolcache, RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64',
});
for (const [k, v] of Object.entries(github)) if (k !== 'token') env[`GITHUB_${k.toUpperCase()}`] = v;
for (const [name, spec] of Object.entries(action.inputs ?? {})) {
  const value = name in inputs ? inputs[name] : spec?.default;
  if (value === undefined || value === null) continue;
  env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = String(value).replace(
    /\$\{\{\s*github\.(\w+)\s*\}\}/g,
    (_, key) => github[key] ?? '',
  );
}

async function step(phase, extraEnv) {
  const files = Object.fromEntries(
    ['OUTPUT', 'STATE', 'ENV', 'PATH', 'STEP_SUMMARY'].map((f) => [`GITHUB_${f}`, join(dirs[phase], f.toLowerCase())]),
  );
  for (const file of Object.values(files)) writeFileSync(file, '');
  const main = resolve(action.runs[phase === 'main' ? 'main' : 'post']);
  const child = spawn(process.execPath, [main], { env: { ...env, ...extraEnv, ...files }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(process.stderr);
  child.stderr.pipe(process.stderr);
  const code = await new Promise((done) => child.on('close', done));
  const read = (name) => readFileSync(files[name], 'utf8');
  return { code, outputs: parseFile(read('GITHUB_OUTPUT')), state: parseFile(read('GITHUB_STATE')), summary: read('GITHUB_STEP_SUMMARY') };
}

const main = await step('main', {});
const post = action.runs.post
  ? await step('post', Object.fromEntries(Object.entries(main.state).map(([k, v]) => [`STATE_${k}`, v])))
  : { code: 0 };
const o = main.outputs;
const show = (label, value) => console.log(`${label.padEnd(10)}${value ?? '(none)'}`);
console.log('');
show('main step', `exit ${main.code}${action.runs.post ? `, post step exit ${post.code}` : ''}`);
show('version', o.version);
show('tags', (o.tags ?? '').split('\n').join('\n          '));
show('digest', o.digest);
show('pushed', o.pushed);
let failed = main.code !== 0 || post.code !== 0;
if (!dryRun) {
  const auth = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const accept = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.oci.image.manifest.v1+json',
  ].join(', ');
  const list = await fetch(`http://${registry}/v2/${repo}/tags/list`, { headers: { Authorization: auth } });
  const tags = list.ok ? ((await list.json()).tags ?? []).sort() : [];
  console.log(`\nread back from the registry API (http://${registry}/v2/${repo}/...):`);
  if (tags.length === 0) {
    console.log('  no tags');
    failed = true;
  }
  for (const tag of tags) {
    const r = await fetch(`http://${registry}/v2/${repo}/manifests/${tag}`, { headers: { Authorization: auth, Accept: accept } });
    const digest = r.headers.get('docker-content-digest');
    const same = digest === o.digest;
    if (!same) failed = true;
    console.log(`  ${`${image}:${tag}`.padEnd(image.length + 16)} ${digest} ${same ? '= digest output' : '!= digest output'}`);
  }
}
process.exitCode = failed ? 1 : 0;
JS
