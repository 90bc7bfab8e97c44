// Real workflows on the real engine: the jobs of a matrix in one run, GitHub Enterprise Server,
// logins left by earlier steps (docker/login-action's config, a gcloud-like credential helper),
// a runner behind a forward proxy, `logout: false` for later steps, an OS credential helper on
// PATH, and the cloud registries that need a login step. Every run is scanned for secrets.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  containerdEngine,
  containerdStore,
  assertNoCredentialsLeft,
  assertNoSecrets,
  docker,
  makeContext,
  makeTempDir,
  processListWhile,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startArtifactServer,
  startForwardProxy,
  startRegistry,
  type ActionRun,
  type ArtifactServer,
  type Registry,
  type RunOptions,
} from './harness/index.js';
import { startReleaseServer } from './release-server.js';
import { buildxDownload } from '../../src/tools/buildx-release.js';

const user = 'workflow-bot';
const password = 'pw-e2e-workflows-Hq7tR2-secret';
const auth = Buffer.from(`${user}:${password}`).toString('base64');
const token = 'ghs_e2eWorkflowsTokenNotPrinted01';
const secrets = { password, auth, token };
const repo = 'acme/app';
const sha = 'abcdefabcdefabcdefabcdefabcdefabcdef0123';

jest.setTimeout(240_000);

let registry: Registry;
let context: string;
const servers: ArtifactServer[] = [];
const runs: ActionRun[] = [];
const commandLinesSeen: string[] = [];

beforeAll(async () => {
  registry = await startRegistry({ user, password });
  context = (await makeContext({ 'app.txt': `workflows ${Date.now()}\n` })).dir;
});

afterAll(async () => {
  await registry?.stop();
  await Promise.all(servers.map((s) => s.stop()));
  await removeTempDirs();
});

async function artifactServer(options: Parameters<typeof startArtifactServer>[0] = {}) {
  const server = await startArtifactServer(options);
  servers.push(server);
  return server;
}

/** Main and post step; the command lines are kept for the secret scan. */
async function step(options: RunOptions): Promise<{ main: ActionRun; post: ActionRun }> {
  const { result: main, commandLines } = await processListWhile(() =>
    runAction({ token, ...options, inputs: { context, ...options.inputs } }),
  );
  commandLinesSeen.push(...commandLines);
  const post = await runPost(main);
  runs.push(main, post);
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  return { main, post };
}

const logins = { registry: '', username: user, password };
function withLogin(): Record<string, string> {
  return { ...logins, registry: registry.url };
}

function messages(run: ActionRun, command: string): string[] {
  return run.commands.filter((c) => c.command === command).map((c) => c.message);
}

function log(run: ActionRun): string {
  return run.stdout.replace(/^::add-mask::.*$/gm, '');
}

/**
 * A user Docker config directory of the test's own (DOCKER_CONFIG): with the engine's buildx
 * in it on the containerd engine, as docker/setup-buildx-action would leave it.
 */
async function userConfigDir(prefix: string): Promise<string> {
  const dir = await makeTempDir(prefix);
  if (containerdStore()) {
    await mkdir(join(dir, 'cli-plugins'));
    await symlink(containerdEngine.buildx, join(dir, 'cli-plugins', 'docker-buildx'));
  }
  return dir;
}

const defaultName = (image: string): RegExp =>
  new RegExp(
    `^image-digest-${image.replace(/[.]/g, '\\.').replace(/[/:]/g, '-')}-image-[0-9a-f]{8}$`,
  );

test('matrix: two jobs of one run and two steps of one job with the default artifact-name all succeed, one artifact each; a name the run has fails before the build', async () => {
  const server = await artifactServer({ runId: 'run-matrix', jobId: 'job-linux-amd64' });
  const image = `${registry.url}/${repo}`;
  const jobs = [
    { env: server.jobEnv('job-linux-amd64'), action: '__acme_build-tag-push' },
    { env: server.jobEnv('job-linux-arm64'), action: '__acme_build-tag-push' },
    // A second step of the same job: the runner numbers the step IDs.
    { env: server.jobEnv('job-linux-arm64'), action: '__acme_build-tag-push_2' },
  ];
  const digests: string[] = [];
  for (const job of jobs) {
    const { main } = await step({
      runId: '777',
      event: pushEvent('refs/heads/main', { sha }),
      inputs: { images: image, ...withLogin() },
      env: { ...job.env, GITHUB_ACTION: job.action },
    });
    expect(messages(main, 'error')).toEqual([]);
    expect(main.exitCode).toBe(0);
    digests.push(main.outputs.digest);
    expect(main.outputs['artifact-id']).toBe(String(server.uploads.at(-1)?.id));
  }
  const names = server.uploads.map((u) => u.name);
  expect(names).toHaveLength(3);
  expect(new Set(names).size).toBe(3);
  for (const [i, upload] of server.uploads.entries()) {
    expect(upload.name).toMatch(defaultName(image));
    expect(upload.files['digest.txt']?.toString()).toBe(`${digests[i]}\n`);
  }
  expect(await registry.manifestDigest(repo, 'main')).toBe(digests[2]);

  // A job whose artifact-name the run already has: it fails before anything is built or pushed.
  const creates = server.requests.filter((r) => r.kind === 'CreateArtifact').length;
  const { main } = await step({
    runId: '777',
    event: pushEvent('refs/tags/v9.9.9', { sha }),
    inputs: { images: image, ...withLogin(), 'artifact-name': names[0] ?? '' },
    env: { ...server.jobEnv('job-late'), GITHUB_ACTION: '__acme_build-tag-push' },
  });
  expect(main.exitCode).toBe(1);
  expect(messages(main, 'error')).toEqual([
    `artifact-name: this workflow run already has an artifact "${names[0]}" (uploaded by another job or an earlier step), and a run holds each name once; nothing was built or pushed. Give each job or step its own artifact-name (the default, image-digest-{{image}}-{{job}}, is one per image, job and step), or set it empty for none`,
  ]);
  expect(log(main)).not.toContain('::group::Build');
  expect(await registry.manifestDigest(repo, '9.9.9')).toBeUndefined();
  expect(server.requests.filter((r) => r.kind === 'CreateArtifact')).toHaveLength(creates);
  expect(server.requests.some((r) => r.kind === 'ListArtifacts')).toBe(true);
});

test('GitHub Enterprise Server: no artifact, one notice, the image pushed and verified', async () => {
  const server = await artifactServer();
  const image = `${registry.url}/${repo}`;
  const { main } = await step({
    event: pushEvent('refs/heads/ghes', { sha }),
    inputs: { images: image, ...withLogin() },
    env: { ...server.env, GITHUB_SERVER_URL: 'https://ghes.example.com' },
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  const notices = messages(main, 'notice');
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatch(
    /^artifact-name: no artifact "image-digest-[^"]+" uploaded: GitHub Enterprise Server \(https:\/\/ghes\.example\.com\) has no artifact service that this action can upload to; the digest is in the step outputs \(digest, refs\) and the job summary$/,
  );
  expect(messages(main, 'warning')).toEqual([]);
  expect(server.requests).toEqual([]);
  expect(main.outputs.pushed).toBe('true');
  expect(await registry.manifestDigest(repo, 'ghes')).toBe(main.outputs.digest);
});

test("a login left by docker/login-action in the user's config: verified push with no username or password, nothing copied", async () => {
  const userConfig = await userConfigDir('login-action-config');
  // What docker/login-action runs: docker login --password-stdin into the user's config.
  const loggedIn = await docker(['login', '--username', user, '--password-stdin', registry.url], {
    input: password,
    env: { DOCKER_CONFIG: userConfig },
  });
  expect(loggedIn.exitCode).toBe(0);
  const before = await readFile(join(userConfig, 'config.json'), 'utf8');
  expect(before).toContain(auth);

  const image = `${registry.url}/${repo}`;
  const { result: main, commandLines } = await processListWhile(() =>
    runAction({
      token,
      event: pushEvent('refs/heads/earlier-login', { sha }),
      inputs: { images: image, registry: registry.url, context, 'artifact-name': '' },
      env: { DOCKER_CONFIG: userConfig },
    }),
  );
  commandLinesSeen.push(...commandLines);
  // Before the post step, while the action's config exists: no copy of the login in it.
  assertNoSecrets([main], secrets, { runnerTemp: true });
  const post = await runPost(main);
  runs.push(main, post);
  assertNoCredentialsLeft(main);

  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(log(main)).toContain(
    `${registry.url}: using the login of an earlier step (auths in ${userConfig}/config.json)`,
  );
  expect(log(main)).not.toContain('pushing to it anonymously');
  for (const tag of ['earlier-login', 'sha-abcdefa'])
    expect(await registry.manifestDigest(repo, tag)).toBe(main.outputs.digest);
  expect(await readFile(join(userConfig, 'config.json'), 'utf8')).toBe(before);
});

test('a credential helper on PATH named in credHelpers (as gcloud auth configure-docker leaves it): verified push with no login inputs', async () => {
  const dir = await makeTempDir('gcloud-like');
  const bin = join(dir, 'bin');
  await mkdir(bin);
  const secretFile = join(dir, 'secret');
  await writeFile(secretFile, password, { mode: 0o600 });
  const calls = join(dir, 'calls.log');
  await writeFile(calls, '');
  await writeFile(
    join(bin, 'docker-credential-e2e-gcloud'),
    [
      '#!/bin/sh',
      'read -r server',
      `echo "$1 $server" >> '${calls}'`,
      `if [ "$1" = get ] && [ "$server" = '${registry.url}' ]; then`,
      `  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" '${user}' "$(cat '${secretFile}')"`,
      '  exit 0',
      'fi',
      'echo "credentials not found in native keychain"',
      'exit 1',
      '',
    ].join('\n'),
  );
  await chmod(join(bin, 'docker-credential-e2e-gcloud'), 0o755);
  const userConfig = await userConfigDir('gcloud-like-config');
  await writeFile(
    join(userConfig, 'config.json'),
    JSON.stringify({ credHelpers: { [registry.url]: 'e2e-gcloud' } }, null, 2),
  );

  const image = `${registry.url}/${repo}`;
  const helperSha = 'be'.repeat(20);
  const { main } = await step({
    // A commit of its own: the push itself (not a release of what an earlier test pushed) asks.
    event: pushEvent('refs/heads/helper', { sha: helperSha }),
    inputs: { images: image, 'artifact-name': '' },
    env: { DOCKER_CONFIG: userConfig, PATH: `${bin}:${process.env.PATH ?? ''}` },
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(log(main)).toContain(
    `${registry.url}: using the login of an earlier step (credential helper docker-credential-e2e-gcloud)`,
  );
  for (const tag of ['helper', `sha-${helperSha.slice(0, 7)}`])
    expect(await registry.manifestDigest(repo, tag)).toBe(main.outputs.digest);
  // Asked by the action's registry checks and by the push itself; never to store or erase.
  const asked = (await readFile(calls, 'utf8')).trim().split('\n');
  expect(asked.length).toBeGreaterThanOrEqual(2);
  expect(new Set(asked)).toEqual(new Set([`get ${registry.url}`]));
});

test('logout: false leaves the login in the user config for a plain docker push of another image; the default leaves nothing there', async () => {
  const image = `${registry.url}/${repo}`;
  const kept = await step({
    event: pushEvent('refs/heads/kept', { sha: 'c1'.repeat(20) }),
    inputs: { images: image, ...withLogin(), logout: false, 'artifact-name': '' },
  });
  expect(messages(kept.main, 'error')).toEqual([]);
  expect(kept.main.exitCode).toBe(0);
  expect(await registry.manifestDigest(repo, 'kept')).toBe(kept.main.outputs.digest);
  const home = kept.main.dirs.home;
  const config = JSON.parse(await readFile(join(home, '.docker', 'config.json'), 'utf8')) as {
    auths: Record<string, { auth?: string }>;
  };
  expect(config.auths[registry.url]?.auth).toBe(auth);

  // A later step: `docker push` of another image, with the runner's HOME and no login of its own.
  const env = { HOME: home, DOCKER_CONFIG: '' };
  const source = `${image}@${kept.main.outputs.digest}`;
  const other = `${registry.url}/acme/other:later`;
  const pulled = await docker(['pull', source], { env });
  expect(pulled.exitCode).toBe(0);
  try {
    expect((await docker(['tag', source, other], { env })).exitCode).toBe(0);
    const pushed = await docker(['push', other], { env });
    expect(pushed.exitCode).toBe(0);
    expect(await registry.tags('acme/other')).toEqual(['later']);
  } finally {
    await docker(['rmi', '-f', other, source]);
  }

  const dropped = await step({
    event: pushEvent('refs/heads/dropped', { sha: 'c2'.repeat(20) }),
    inputs: { images: image, ...withLogin(), 'artifact-name': '' },
  });
  expect(dropped.main.exitCode).toBe(0);
  expect(existsSync(join(dropped.main.dirs.home, '.docker', 'config.json'))).toBe(false);
});

test("an OS credential helper on PATH (pass) is never used for the action's own config", async () => {
  const dir = await makeTempDir('os-helper');
  const calls = join(dir, 'calls.log');
  await writeFile(calls, '');
  for (const name of ['pass', 'docker-credential-pass']) {
    await writeFile(
      join(dir, name),
      `#!/bin/sh\ncat > /dev/null\necho "${name} $1" >> '${calls}'\necho "credentials not found in native keychain"\nexit 1\n`,
      { mode: 0o755 },
    );
  }
  const image = `${registry.url}/${repo}`;
  const { main } = await step({
    event: pushEvent('refs/heads/os-helper', { sha: 'c3'.repeat(20) }),
    inputs: { images: image, ...withLogin(), 'artifact-name': '' },
    env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(await registry.manifestDigest(repo, 'os-helper')).toBe(main.outputs.digest);
  expect(await readFile(calls, 'utf8')).toBe('');
});

test('behind a forward proxy: the registry checks, the buildx download and the artifact upload go through it; NO_PROXY is honoured', async () => {
  // A registry name that is not a loopback literal (docker never proxies those) but resolves
  // to one here, so the classic engine pushes to it as an insecure local registry. The
  // containerd-store engine's BuildKit exporter speaks plain HTTP to loopback literals only:
  // there the registry is 127.0.0.1, and the test shows it is not proxied, as docker does.
  const host = containerdStore() ? '127.0.0.1' : hostname();
  const addresses = (await lookup(host, { all: true })).map((a) => a.address);
  if (!addresses.every((a) => a.startsWith('127.'))) {
    throw new Error(
      `this test needs the machine's host name (${host}) to resolve to loopback addresses only; it resolves to ${addresses.join(', ')}`,
    );
  }
  const proxy = await startForwardProxy({
    hosts: { 'results.e2e.test': '127.0.0.1', 'releases.e2e.localhost': '127.0.0.1' },
  });
  // A buildx mirror serving the engine's own buildx as release 0.99.0 (newer than any runner's).
  const buildx = execFileSync(
    'docker',
    [
      'info',
      '--format',
      '{{range .ClientInfo.Plugins}}{{if eq .Name "buildx"}}{{.Path}}{{end}}{{end}}',
    ],
    { encoding: 'utf8' },
  ).trim();
  const asset = buildxDownload('0.99.0', process.arch).assetName;
  const sum = createHash('sha256').update(readFileSync(buildx)).digest('hex');
  const releases = await startReleaseServer({
    [`/v0.99.0/${asset}`]: { file: buildx },
    '/v0.99.0/checksums.txt': { body: `${sum} *${asset}\n` },
  });
  const mirror = releases.url.replace('127.0.0.1', 'releases.e2e.localhost');
  // Credentials never cross a proxy over plain http: the proxied run pushes to an anonymous
  // registry; the direct run below (NO_PROXY) logs in to the authenticated one.
  const open = await startRegistry();
  try {
    const server = await artifactServer({ host: 'results.e2e.test' });
    const openName = `${host}:${open.port}`;
    const name = `${host}:${registry.port}`;
    const image = `${name}/${repo}`;
    const proxyEnv = {
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '',
      https_proxy: undefined,
      http_proxy: undefined,
      no_proxy: undefined,
    };
    const { main } = await step({
      event: pushEvent('refs/heads/proxied', { sha: 'c4'.repeat(20) }),
      inputs: {
        images: `${openName}/${repo}`,
        'buildx-version': '0.99.0',
        'buildx-mirror': mirror,
      },
      env: { ...server.env, ...proxyEnv },
    });
    expect(messages(main, 'error')).toEqual([]);
    expect(main.exitCode).toBe(0);
    expect(await open.manifestDigest(repo, 'proxied')).toBe(main.outputs.digest);
    expect(server.uploads).toHaveLength(1);
    const registryRequests = proxy.requests.filter((r) => r.target === openName);
    if (containerdStore()) expect(registryRequests).toEqual([]);
    else expect(registryRequests.length).toBeGreaterThan(0);
    expect(
      registryRequests.every(
        (r) => r.kind === 'http' && r.url.startsWith(`http://${openName}/v2/`),
      ),
    ).toBe(true);
    const results = new URL(server.url).host;
    const artifactRequests = proxy.requests.filter((r) => r.target === results);
    // CreateArtifact, the blob (block and block list, or one put) and FinalizeArtifact.
    expect(artifactRequests.length).toBeGreaterThanOrEqual(3);
    // The buildx download: the checksums and the asset, through the proxy.
    expect(log(main)).toContain('buildx 0.99.0 installed for this job');
    const mirrorHost = new URL(mirror).host;
    expect(proxy.requests.filter((r) => r.target === mirrorHost).length).toBeGreaterThanOrEqual(2);
    expect(releases.count(`/v0.99.0/${asset}`)).toBe(1);

    // NO_PROXY names the registry: its checks go direct; the results service still through it.
    const seen = proxy.requests.length;
    const direct = await step({
      event: pushEvent('refs/heads/direct', { sha: 'c5'.repeat(20) }),
      inputs: { images: image, registry: name, username: user, password },
      // Another job of the run: each job's default artifact name is its own.
      env: { ...server.jobEnv('job-direct'), ...proxyEnv, NO_PROXY: `.e2e.invalid,${host}` },
    });
    expect(messages(direct.main, 'error')).toEqual([]);
    expect(direct.main.exitCode).toBe(0);
    expect(await registry.manifestDigest(repo, 'direct')).toBe(direct.main.outputs.digest);
    const later = proxy.requests.slice(seen);
    expect(later.filter((r) => r.target === name)).toEqual([]);
    expect(later.filter((r) => r.target === results).length).toBeGreaterThanOrEqual(3);
  } finally {
    await proxy.stop();
    await releases.close();
    await open.stop();
  }
});

test.each([
  [
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    '; for Amazon ECR run aws-actions/amazon-ecr-login before this step (its login to 123456789012.dkr.ecr.eu-west-1.amazonaws.com is then used), and leave username and password empty',
  ],
  [
    'europe-west1-docker.pkg.dev',
    '; for Google Artifact Registry or Container Registry run google-github-actions/auth, then `gcloud auth configure-docker europe-west1-docker.pkg.dev`, before this step (its credential helper is then used), and leave username and password empty',
  ],
  [
    'registry.example.com',
    '; set username and password, or log in to it in an earlier step (docker/login-action)',
  ],
])(
  'registry %s without a password and no earlier login: an error naming the step that logs in, before the build',
  async (host, hint) => {
    const { main } = await step({
      event: pushEvent('refs/heads/main', { sha }),
      inputs: { images: `${host}/acme/app`, registry: host, 'artifact-name': '' },
    });
    expect(main.exitCode).toBe(1);
    expect(messages(main, 'error')).toEqual([
      `password: empty for registry ${host}, and no earlier step left a login for it in ${join(main.dirs.home, '.docker')}/config.json${hint}`,
    ]);
    expect(log(main)).not.toContain('::group::Build');
  },
);

test('no secret in any log, output, state, summary, artifact, file left or command line', () => {
  assertNoSecrets(runs, secrets, {
    commandLines: commandLinesSeen,
    artifacts: servers.flatMap((s) => s.uploads),
  });
});
