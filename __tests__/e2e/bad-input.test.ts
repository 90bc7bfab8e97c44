// Bad input, through the bundled action as the runner starts it: every case fails before any
// docker command runs (a stand-in `docker` first on PATH records every call) and before any
// registry is contacted (the registry given is a TCP server that counts connections), with
// exactly one `::error::` line that names the input, the value and what is expected, and exit
// code 1. A valid control run shows that the stand-in does see the calls.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assertNoSecrets,
  makeContext,
  makeTempDir,
  runPost,
  assertNoCredentialsLeft,
  pushEvent,
  removeTempDirs,
  runAction,
  startSilentServer,
  type ActionRun,
  type SilentServer,
} from './harness/index.js';

const password = 'bad-input-pw-Wq73-never-printed';
const token = 'ghs_badInputTokenThatMustNotLeak01';
const secretValue = 'bad-input-secret-Zx18-hidden';
const authPassword = 'bad-input-auth-pw-Kd55-hidden';
const testEnvValue = 'bad-input-env-Pv29-hidden';

let registry: SilentServer;
let context: string;
let fakeBin: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  registry = await startSilentServer();
  context = (await makeContext()).dir;
  fakeBin = await makeTempDir('fake-docker');
  writeFileSync(
    join(fakeBin, 'docker'),
    '#!/bin/sh\necho "$@" >> "$FAKE_DOCKER_LOG"\necho "fake docker: no engine here" >&2\nexit 1\n',
  );
  chmodSync(join(fakeBin, 'docker'), 0o755);
});

afterAll(async () => {
  await registry?.stop();
  await removeTempDirs();
});

/** The input whose error it is, the inputs changed from a valid run, the one error expected. */
type Case = [input: string, inputs: Record<string, string>, message: string];

/** One run of the action with valid inputs (a release push to the registry), changed by `inputs`. */
async function runCase(
  inputs: Record<string, string>,
): Promise<{ run: ActionRun; dockerCalls: string[] }> {
  const log = join(await makeTempDir('docker-log'), 'calls');
  const run = await runAction({
    token,
    event: pushEvent('refs/tags/v1.2.3'),
    inputs: {
      images: `${registry.url}/acme/app`,
      registry: registry.url,
      username: 'releaser',
      password,
      context,
      ...inputs,
    },
    env: { PATH: `${fakeBin}:${process.env.PATH ?? ''}`, FAKE_DOCKER_LOG: log },
    timeoutMs: 30_000,
  });
  runs.push(run);
  const dockerCalls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { run, dockerCalls };
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

const long = 'x'.repeat(129);
const auth = { registry: '', username: '', password: '' };
const expectedHost = 'expected a host such as ghcr.io, docker.io or host:port, without a path';
const authForm =
  'expected a YAML list of logins, each with registry, username and password keys: "- registry: ghcr.io" then "  username: ..." and "  password: ..." lines';
const duration = 'expected a number of seconds or a duration such as 90s, 10m or 1h';
const imageName =
  'expected [registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"';
const expressions =
  'expected one of branch, tag, sha, base_ref, is_default_branch, is_not_default_branch, run_number, date, commit_date';
const separator =
  'empty, which would run the values together; expected a separator such as a newline (the default), "," or " "';
const notBoolean = (input: string, value: string): Case => [
  input,
  { [input]: value },
  `${input}: "${value}" is not a boolean; expected true or false`,
];

// WORKSPACE stands for the step's working directory, which differs per run.
const cases: Case[] = [
  // tags
  [
    'tags',
    { tags: 'type=semvr,pattern={{version}}' },
    'tags: unknown type "semvr" in "type=semvr,pattern={{version}}"; expected one of schedule, semver, pep440, match, edge, ref, raw, sha',
  ],
  [
    'tags',
    { tags: 'type=semver,pattern={{version}' },
    'tags: "{{" without a closing "}}" in "type=semver,pattern={{version}"; expected expressions written as {{name}}',
  ],
  [
    'tags',
    { tags: 'type=ref,event=release' },
    'tags: unknown event "release" in "type=ref,event=release"; expected one of branch, tag, pr',
  ],
  [
    'tags',
    { tags: 'type=raw' },
    'tags: type=raw needs a value in "type=raw"; expected type=raw,value=<tag> or type=raw,<tag>',
  ],
  [
    'tags',
    { tags: 'type=sha,format=huge' },
    'tags: unknown format "huge" in "type=sha,format=huge"; expected format=short or format=long',
  ],
  [
    'tags',
    { tags: 'type=raw,value=x,enable=maybe' },
    'tags: invalid enable "maybe" in "type=raw,value=x,enable=maybe"; expected enable=true or enable=false, after expressions such as {{is_default_branch}}',
  ],
  [
    'tags',
    { tags: 'type=raw,value=x,priority=high' },
    'tags: invalid priority "high" in "type=raw,value=x,priority=high"; expected a whole number such as 500',
  ],
  [
    'tags',
    { tags: 'type=raw,value={{nope}}' },
    `tags: unknown expression {{nope}} in "type=raw,value={{nope}}"; ${expressions}`,
  ],
  [
    'tags',
    { tags: 'type=match,pattern=v(\\d+' },
    'tags: invalid regular expression "v(\\d+" (Unterminated group) in "type=match,pattern=v(\\d+"; expected a JavaScript regular expression',
  ],
  [
    'tags',
    { tags: `type=raw,value=${long}` },
    `tags: the tag "${long}" is 129 characters long, over Docker's limit of 128 characters for a tag in "type=raw,value=${long}"; expected a value, prefix and suffix of at most 128 characters together`,
  ],
  [
    'tags',
    { tags: `type=raw,value=${'v'.repeat(100)},prefix=${'p'.repeat(30)}` },
    `tags: the tag "${'p'.repeat(30)}${'v'.repeat(100)}" is 130 characters long, over Docker's limit of 128 characters for a tag in "type=raw,value=${'v'.repeat(100)},prefix=${'p'.repeat(30)}"; expected a value, prefix and suffix of at most 128 characters together`,
  ],
  [
    'tags',
    { tags: 'type=raw,"value=x' },
    'tags: a double quote is not closed in "type=raw,"value=x"; expected a closing "',
  ],
  [
    'push',
    { tags: 'type=ref,event=pr', push: 'true' },
    'push: true, but no tag rule gives a tag for refs/tags/v1.2.3 (event push), so there is nothing to push; expected a rule in tags that applies here (for example type=sha), or push: auto, which then builds without pushing',
  ],
  [
    'tags',
    { images: 'ghcr.io/acme/app', tags: 'docker.io/acme/other:latest' },
    'tags: "docker.io/acme/other:latest" is a full image reference (build-push-action\'s tags), and docker.io/acme/other is not among the images (ghcr.io/acme/app); expected a tag rule such as type=raw,value=latest for every image, or docker.io/acme/other added to images',
  ],
  // flavor
  [
    'flavor',
    { flavor: 'latest=maybe' },
    'flavor: invalid latest "maybe" in "latest=maybe"; expected latest=auto, latest=true or latest=false',
  ],
  [
    'flavor',
    { flavor: 'colour=blue' },
    'flavor: unknown key "colour" in "colour=blue"; expected one of latest, prefix, suffix, onlatest',
  ],
  [
    'flavor',
    { flavor: 'onlatest=true' },
    'flavor: onlatest without a prefix or suffix on the same line in "onlatest=true"; expected prefix=...,onlatest=true or suffix=...,onlatest=true',
  ],
  [
    'flavor',
    { flavor: 'prefix' },
    'flavor: "prefix" is not a key=value pair in "prefix"; expected key=value',
  ],
  [
    'flavor',
    { flavor: `prefix=${long}` },
    `flavor: the tag "${long}1.2.3" (rule "type=semver,pattern={{version}}" with the flavor's prefix and suffix) is 134 characters long, over Docker's limit of 128 characters for a tag; expected a value, prefix and suffix of at most 128 characters together`,
  ],
  // tag-pattern
  [
    'tag-pattern',
    { 'tag-pattern': '^app-v(' },
    'tag-pattern: invalid regular expression "^app-v(" (Unterminated group); expected a JavaScript regular expression',
  ],
  [
    'tag-pattern',
    { 'tag-pattern': '^app-v[' },
    'tag-pattern: invalid regular expression "^app-v[" (Unterminated character class); expected a JavaScript regular expression',
  ],
  // promote, scan
  [
    'promote',
    { promote: 'not a reference' },
    'promote: "not a reference" contains white space; expected an image reference with a digest (ghcr.io/acme/app@sha256:<64 hex>) or a tag (ghcr.io/acme/app:1.2.3)',
  ],
  [
    'promote',
    { promote: 'ghcr.io/acme/app' },
    'promote: "ghcr.io/acme/app" has neither a digest nor a tag; expected an image reference with a digest (ghcr.io/acme/app@sha256:<64 hex>) or a tag (ghcr.io/acme/app:1.2.3)',
  ],
  [
    'promote',
    { promote: 'ghcr.io/acme/app:1.0.0', test: 'true' },
    'promote: "ghcr.io/acme/app:1.0.0" releases an image without a build, so test cannot apply; expected promote alone (use scan to check the image before it is tagged), or no promote',
  ],
  [
    'scan',
    { scan: 'trivy image "$IMAGE"', push: 'false' },
    'scan: given with push: false, so no image reaches a registry and there is nothing to scan; expected push: auto or true (the scan runs on the staged digest before any tag), or no scan',
  ],
  [
    'scan-timeout',
    { scan: 'true', 'scan-timeout': 'soon' },
    `scan-timeout: "soon" is not a duration; ${duration}`,
  ],
  // images
  [
    'images',
    { images: '', push: 'true' },
    'images: no image name given, but push is true; expected at least one name such as ghcr.io/acme/app, or push: false to build (or dry-run: true to plan) the bare tags without pushing',
  ],
  [
    'images',
    { images: 'ghcr.io/acme/app:1.0' },
    'images: image name "ghcr.io/acme/app:1.0" has a tag or digest; expected a name without :tag or @digest (tags come from the tags input)',
  ],
  [
    'images',
    { images: 'https://ghcr.io/acme/app' },
    `images: invalid image name "https://ghcr.io/acme/app"; ${imageName}`,
  ],
  [
    'images',
    { images: 'ghcr.io:https/acme/app' },
    `images: invalid image name "ghcr.io:https/acme/app"; ${imageName}`,
  ],
  [
    'images',
    { images: '-ghcr.io/acme/app' },
    `images: invalid image name "-ghcr.io/acme/app"; ${imageName}`,
  ],
  [
    'images',
    { images: 'ghcr.io/acme/my app' },
    `images: invalid image name "ghcr.io/acme/my app"; ${imageName}`,
  ],
  [
    'images',
    { images: 'name=ghcr.io/acme/app,enable=maybe' },
    'images: invalid enable "maybe" in "name=ghcr.io/acme/app,enable=maybe"; expected enable=true or enable=false',
  ],
  [
    'images',
    { images: 'name=ghcr.io/acme/app,tag=1' },
    'images: unknown attribute "tag" in "name=ghcr.io/acme/app,tag=1"; expected name=<image> and enable=<true|false>',
  ],
  // labels, annotations, separators
  ['labels', { labels: '=value' }, 'labels: no key before "=" in "=value"; expected key=value'],
  [
    'annotations',
    { annotations: 'key={{nope}}' },
    `annotations: unknown expression {{nope}} in "key={{nope}}"; ${expressions}`,
  ],
  ['sep-tags', { 'sep-tags': '' }, `sep-tags: ${separator}`],
  ['sep-labels', { 'sep-labels': '' }, `sep-labels: ${separator}`],
  ['sep-annotations', { 'sep-annotations': '' }, `sep-annotations: ${separator}`],
  // one login
  [
    'registry',
    { registry: 'ghcr.io/acme' },
    `registry: "ghcr.io/acme" is not a registry host; ${expectedHost}`,
  ],
  [
    'registry',
    { registry: 'https://ghcr.io:https' },
    `registry: "https://ghcr.io:https" is not a registry host; ${expectedHost}`,
  ],
  [
    'password',
    { password: '' },
    'password: empty for registry REGISTRY; set password to a token or password for releaser',
  ],
  [
    'username',
    { username: '' },
    'username: empty for registry REGISTRY; set username (and password) for it',
  ],
  // registry-auth
  [
    'registry-auth',
    { ...auth, 'registry-auth': `- registry: [\n  password: ${authPassword}` },
    `registry-auth: invalid YAML at line 2, column 3; ${authForm}`,
  ],
  [
    'registry-auth',
    { ...auth, 'registry-auth': `registry: quay.io\npassword: ${authPassword}` },
    `registry-auth: not a list; ${authForm}`,
  ],
  [
    'registry-auth',
    { ...auth, 'registry-auth': `- registry: quay.io\n  user: bob\n  password: ${authPassword}` },
    'registry-auth: entry 1 has an unknown key "user"; expected registry, username and password',
  ],
  [
    'registry-auth',
    { ...auth, 'registry-auth': '- registry: quay.io\n  username: bob' },
    'registry-auth: entry 1 (quay.io) has no password; expected registry, username and password (only ghcr.io defaults them to the actor and github-token)',
  ],
  [
    'registry-auth',
    {
      ...auth,
      'registry-auth': `- registry: quay.io\n  username: a\n  password: ${authPassword}\n- registry: https://quay.io/\n  username: b\n  password: ${authPassword}`,
    },
    'registry-auth: entry 2 repeats registry quay.io (entry 1); give each registry once',
  ],
  [
    'registry-auth',
    { 'registry-auth': `- registry: quay.io\n  username: a\n  password: ${authPassword}` },
    'registry-auth: cannot be combined with registry, username, password; move that login into registry-auth as one more entry, or use registry, username and password alone',
  ],
  [
    'registry-auth',
    {
      ...auth,
      'registry-auth': `- registry: quay.io/acme\n  username: a\n  password: ${authPassword}`,
    },
    `registry-auth: entry 1: registry "quay.io/acme" is not a registry host; ${expectedHost}`,
  ],
  [
    'registry-auth',
    { ...auth, 'registry-auth': '- quay.io' },
    'registry-auth: entry 1 is not a mapping; expected registry, username and password keys',
  ],
  [
    'registry-auth',
    { ...auth, 'registry-auth': '[]' },
    'registry-auth: the list is empty; expected a YAML list of logins, each with registry, username and password keys, or no registry-auth',
  ],
  // build secrets, test environment
  [
    'secrets',
    { secrets: secretValue },
    'secrets: entry 1 (value hidden) has no ID before "="; expected ID=VALUE, one per line, a value with commas or line breaks in double quotes ("ID=a,b")',
  ],
  [
    'secrets',
    { secrets: `a,b=${secretValue}` },
    'secrets: secret id "a,b" has characters buildx cannot take; expected letters, digits, ".", "_" or "-"',
  ],
  // build-push-action's other inputs
  [
    'secret-envs',
    { 'secret-envs': 'NPM_TOKEN' },
    'secret-envs: "NPM_TOKEN" is not ID=ENV_NAME; expected a secret id, "=" and the name of an environment variable of the step, such as MY_SECRET=MY_ENV_VAR',
  ],
  [
    'add-hosts',
    { 'add-hosts': 'docker' },
    'add-hosts: "docker" is not a host mapping; expected HOST:IP such as docker:10.180.0.1, one per line or comma separated',
  ],
  [
    'network',
    { network: 'bridge' },
    'network: "bridge" is not a build network mode; expected default, none, host (host also needs allow: network.host on a docker-container builder)',
  ],
  [
    'shm-size',
    { 'shm-size': 'large' },
    'shm-size: "large" is not a size; expected bytes or a size such as 2g or 512m',
  ],
  [
    'ulimit',
    { ulimit: 'nofile' },
    'ulimit: "nofile" is not a ulimit; expected NAME=SOFT[:HARD] such as nofile=1024:1024, one per line',
  ],
  [
    'call',
    { call: 'lint' },
    'call: "lint" is not a build method; expected one of build, check, outline, targets, subrequests.describe (options after a comma, e.g. check,format=json)',
  ],
  [
    'outputs',
    { outputs: 'type=image,name=acme/other,push=true' },
    'outputs: "type=image,name=acme/other,push=true" names the image (name=); expected the image names in images and the tags in tags, and only exporter attributes here (compression, oci-mediatypes, rewrite-timestamp, annotation-index.*, ...)',
  ],
  [
    'context',
    { context: '{{defaultContext}}:app' },
    'context: "{{defaultContext}}:app" is build-push-action\'s Git context; this action builds from the workspace that actions/checkout fills: write the path instead ("app"), after an actions/checkout step',
  ],
  notBoolean('logout', 'no'),
  [
    'ecr',
    { ecr: 'true' },
    'ecr: "true" asks docker/login-action to log in to Amazon ECR with the AWS SDK, which this action does not do; expected username AWS and password from `aws ecr get-login-password` (or aws-actions/amazon-ecr-login in an earlier step, whose login this action uses)',
  ],
  [
    'secret-files',
    { 'secret-files': 'npmrc' },
    'secret-files: entry "npmrc" has no "="; expected ID=PATH, one per line',
  ],
  [
    'secret-files',
    { 'secret-files': 'npmrc=/nope/.npmrc' },
    'secret-files: the file "/nope/.npmrc" of secret "npmrc" cannot be read (no such file or directory); expected ID=PATH to a readable file',
  ],
  [
    'test-env',
    { 'test-env': testEnvValue },
    'test-env: an entry (value hidden) has no NAME=; expected NAME=value, one per line',
  ],
  [
    'test-env',
    { 'test-env': `DOCKER_HOST=${testEnvValue}` },
    'test-env: DOCKER_HOST is read by the docker CLI that starts the test; use another name',
  ],
  [
    'test-env',
    { 'test-env': `1TOKEN=${testEnvValue}` },
    'test-env: "1TOKEN" is not a variable name; expected letters, digits and _, not starting with a digit',
  ],
  [
    'test-env',
    { 'test-env': `A=${testEnvValue}\nA=${testEnvValue}` },
    'test-env: A is given twice; give each name once',
  ],
  // durations and counts
  [
    'test-timeout',
    { 'test-timeout': '-1' },
    `test-timeout: "-1" is not a positive duration; ${duration}`,
  ],
  ['test-timeout', { 'test-timeout': '10x' }, `test-timeout: "10x" is not a duration; ${duration}`],
  ['test-timeout', { 'test-timeout': '30d' }, `test-timeout: "30d" is not a duration; ${duration}`],
  [
    'network-timeout',
    { 'network-timeout': '0' },
    `network-timeout: "0" is not a positive duration; ${duration}`,
  ],
  [
    'network-timeout',
    { 'network-timeout': 'forever' },
    `network-timeout: "forever" is not a duration; ${duration}`,
  ],
  ...['-1', 'many', '11'].map((value): Case => [
    'retries',
    { retries: value },
    `retries: "${value}" is not a retry count; expected a whole number from 0 (no retries) to 10`,
  ]),
  // booleans and modes
  ['push', { push: 'maybe' }, 'push: "maybe" is not a push mode; expected auto, true or false'],
  notBoolean('load', 'yes'),
  notBoolean('no-cache', '1'),
  notBoolean('pull', 'on'),
  notBoolean('dry-run', 'maybe'),
  notBoolean('summary', 'nope'),
  // build
  [
    'platforms',
    { platforms: 'linux_amd64' },
    'platforms: "linux_amd64" is not a platform; expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, comma separated',
  ],
  [
    'platforms',
    { platforms: 'linux/amd64 linux/arm64' },
    'platforms: "linux/amd64 linux/arm64" is not a platform; expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, comma separated',
  ],
  [
    'buildx-version',
    { 'buildx-version': '0.13' },
    'buildx-version: "0.13" is not a buildx release; expected a version such as 0.19.3, or latest',
  ],
  [
    'buildx-version',
    { 'buildx-version': 'v1.x' },
    'buildx-version: "v1.x" is not a buildx release; expected a version such as 0.19.3, or latest',
  ],
  ...['image/digest', 'digest:v1'].map((value): Case => [
    'artifact-name',
    { 'artifact-name': value },
    `artifact-name: "${value}" has ${JSON.stringify(value.replace(/[\w-]/g, ''))}, which an artifact name cannot hold; expected a name without " : < > | * ? \\ / or line breaks (image-digest-linux-amd64, for example), or empty for no artifact`,
  ]),
  [
    'context',
    { context: './nope' },
    `context: "./nope" is not a directory (no such file or directory); expected the build context's directory, relative to the workspace WORKSPACE, or a Git URL`,
  ],
  [
    'file',
    { file: 'nope.Dockerfile' },
    `file: "nope.Dockerfile" is not a file (no such file or directory); expected the Dockerfile's path, relative to the workspace WORKSPACE`,
  ],
];

test('at least 40 cases, every input named by its own error', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  for (const [input, , message] of cases) expect(message.startsWith(`${input}: `)).toBe(true);
});

let control: ActionRun;
/** The registry's connections after the control run, which reads the release's tags beside its login. */
let controlConnections = 0;

test('control: valid inputs do reach docker login (the stand-in records the call)', async () => {
  const { run, dockerCalls } = await runCase({});
  control = run;
  expect(run.exitCode).toBe(1);
  expect(dockerCalls.some((call) => call.startsWith('login --username releaser'))).toBe(true);
  expect(run.stdout).toContain('::group::Log in');
  const post = await runPost(run);
  runs.push(post);
  assertNoCredentialsLeft(run);
  controlConnections = registry.connections();
});

// In batches: each case is one short node process, and they are independent.
const BATCH = 8;
for (let at = 0; at < cases.length; at += BATCH) {
  const batch = cases.slice(at, at + BATCH);
  const names = [...new Set(batch.map(([input]) => input))].join(', ');
  test(`cases ${at + 1}-${at + batch.length}: ${names}`, async () => {
    const results = await Promise.all(batch.map(([, inputs]) => runCase(inputs)));
    const seen = batch.map(([input], i) => {
      const { run, dockerCalls } = results[i];
      return {
        input,
        exitCode: run.exitCode,
        errors: errors(run).map((e) => e.split(run.dirs.workspace).join('WORKSPACE')),
        dockerCalls,
        // Plan is the one group allowed: no buildx set-up, login, build or push started.
        groups: run.commands.filter((c) => c.command === 'group' && c.message !== 'Plan'),
      };
    });
    expect(seen).toEqual(
      batch.map(([input, , message]) => ({
        input,
        exitCode: 1,
        errors: [message.replace('REGISTRY', registry.url)],
        dockerCalls: [],
        groups: [],
      })),
    );
  });
}

test('an image name with upper case is lower-cased, not refused', async () => {
  const { run, dockerCalls } = await runCase({
    images: `${registry.url}/Acme/App`,
    'dry-run': 'true',
  });
  expect(errors(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.tags.split('\n')).toContain(`${registry.url}/acme/app:1.2.3`);
  expect(dockerCalls).toEqual([]);
});

test('no registry was contacted, and no secret of any case was printed or written', () => {
  expect(control).toBeDefined();
  // Every bad-input case fails before the logins: none adds a connection to the control's.
  expect(registry.connections()).toBe(controlConnections);
  assertNoSecrets(runs, {
    password,
    token,
    'secrets value': secretValue,
    'registry-auth password': authPassword,
    'test-env value': testEnvValue,
  });
});
