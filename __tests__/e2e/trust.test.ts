// The trust holes an outside review found, closed, on the real engine and registry: a pull
// request from a deleted fork is a fork; pull_request_target names the image after the PR head;
// a test command that looks like a workflow command is not run as one; a fork's committed files
// start no program with a secret (a repository layout in the context, a credential helper); no
// process the action starts without a credential is handed one in its environment.
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  assertNoSecrets,
  busyboxDockerfile,
  busyboxPath,
  containerdEngine,
  containerdStore,
  makeContext,
  makeTempDir,
  pullRequestEvent,
  pushEvent,
  recordChildEnvironments,
  removeTempDirs,
  runAction,
  startRegistry,
  type Registry,
} from './harness/index.js';

jest.setTimeout(300_000);

const user = 'releaser';
const password = 'e2e-trust-pw-Hk3w';
const repo = 'acme/app';
const head = 'feed'.repeat(10);
let registry: Registry;

beforeAll(async () => {
  registry = await startRegistry({ user, password });
});

afterAll(async () => {
  await registry?.stop();
  await removeTempDirs();
});

test('pull_request_target from a deleted fork (head.repo null) with push: true: no login, nothing pushed', async () => {
  const event = pullRequestEvent(7, { eventName: 'pull_request_target', headSha: head });
  const pr = (event.payload as { pull_request: { head: { repo: unknown } } }).pull_request;
  pr.head.repo = null;
  const context = await makeContext({ 'fork.txt': 'deleted fork\n' });
  const main = await runAction({
    event,
    inputs: {
      images: `${registry.url}/${repo}`,
      registry: registry.url,
      username: user,
      password,
      push: 'true',
      context: context.dir,
      'artifact-name': '',
    },
  });
  expect(main.exitCode).toBe(0);
  expect(main.stdout).toContain('comes from a fork; images from forks are never pushed');
  expect(main.stdout).toMatch(/no registry login: .*a fork's code gets no credentials/);
  expect(main.stdout).not.toMatch(/logged in to/);
  expect(main.outputs.pushed).toBe('false');
  expect(await registry.tags(repo)).toEqual([]);
});

test('pull_request_target names the image after the PR head commit, not the base branch head', async () => {
  const event = pullRequestEvent(8, { eventName: 'pull_request_target', headSha: head });
  const main = await runAction({
    event,
    inputs: { images: `${registry.url}/${repo}`, 'dry-run': 'true' },
  });
  expect(main.exitCode).toBe(0);
  expect(main.outputs['tag-names'].split('\n')).toEqual(['pr-8', `sha-${head.slice(0, 7)}`]);
  expect(main.outputs.labels).toContain(`org.opencontainers.image.revision=${head}`);
});

test('a test command line that looks like a workflow command is echoed only while commands are stopped', async () => {
  const context = await makeContext({ 'echo.txt': `${Date.now()}\n` });
  const main = await runAction({
    inputs: {
      images: `${registry.url}/${repo}`,
      push: 'false',
      test: 'exit 0\n::error::from-the-test-command',
      context: context.dir,
      'artifact-name': '',
    },
  });
  expect(main.exitCode).toBe(0);
  const lines = main.stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith('::error::from-the-test-command'));
  const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
  expect(at).toBeGreaterThan(-1);
  expect(stop).toBeGreaterThan(-1);
  expect(stop).toBeLessThan(at);
  const token = lines[stop].slice('::stop-commands::'.length);
  const resume = lines.findIndex((l) => l === `::${token}::`);
  expect(resume).toBeGreaterThan(at);
});

/** A workspace as actions/checkout leaves it: a git repository with `files` committed. */
async function checkout(files: Record<string, string>): Promise<string> {
  const workspace = await makeTempDir('workspace');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content, { mode: path.endsWith('.sh') ? 0o755 : 0o644 });
  }
  copyFileSync(busyboxPath, join(workspace, 'ctx', 'busybox'));
  const git = (...args: string[]): string =>
    execFileSync('git', ['-C', workspace, '-c', 'user.name=a', '-c', 'user.email=a@a', ...args], {
      encoding: 'utf8',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the pull request head');
  return workspace;
}

/** A Docker config directory of the user's (DOCKER_CONFIG) with `config`, and the engine's buildx. */
async function userConfig(config: Record<string, unknown>): Promise<string> {
  const dir = await makeTempDir('user-config');
  if (containerdStore()) {
    mkdirSync(join(dir, 'cli-plugins'));
    symlinkSync(containerdEngine.buildx, join(dir, 'cli-plugins', 'docker-buildx'));
  }
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

const oidc = {
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'e2e-oidc-request-token-Vq93',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://e2e.invalid/oidc?id=e2e-oidc-url-Rw2',
};

test('pull_request_target from a fork whose context is a repository layout with core.fsmonitor: git never runs it, no credential helper of the user runs, no child holds a secret', async () => {
  const outside = await makeTempDir('captured');
  const captured = join(outside, 'fsmonitor-env');
  const helperRan = join(outside, 'helper-ran');
  // What the pull request commits in its context folder: a repository's layout whose config
  // names a program for git to run (core.fsmonitor), and a base image in a registry.
  const workspace = await checkout({
    'ctx/Dockerfile': `FROM ${registry.url}/acme/base:1 AS unused\n${busyboxDockerfile('CMD ["sh"]')}`,
    'ctx/HEAD': 'ref: refs/heads/main\n',
    'ctx/objects/info/packs': '\n',
    'ctx/refs/heads/.keep': '',
    'ctx/monitor.sh': `#!/bin/sh\nenv > '${captured}'\n`,
  });
  const ctx = join(workspace, 'ctx');
  writeFileSync(
    join(ctx, 'config'),
    `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ${ctx}\n\tfsmonitor = ${join(ctx, 'monitor.sh')}\n`,
  );
  // An earlier step's login in a credential store, which docker would ask for any registry.
  const bin = await makeTempDir('helper-bin');
  writeFileSync(
    join(bin, 'docker-credential-e2erecord'),
    `#!/bin/sh\ntouch '${helperRan}'\necho 'credentials not found in native keychain'\nexit 1\n`,
    { mode: 0o755 },
  );
  const children = await recordChildEnvironments(['git']);
  const main = await runAction({
    event: pullRequestEvent(9, { eventName: 'pull_request_target', fromFork: true, headSha: head }),
    workspace,
    inputs: {
      images: `${registry.url}/${repo}`,
      registry: registry.url,
      username: user,
      password,
      push: 'true',
      context: 'ctx',
      'artifact-name': '',
    },
    env: {
      ...oidc,
      PATH: children.pathWith(`${bin}:${process.env.PATH ?? ''}`),
      DOCKER_CONFIG: await userConfig({ credsStore: 'e2erecord' }),
    },
  });
  expect(main.exitCode).toBe(0);
  expect(main.stdout).toMatch(/no registry login: .*a fork's code gets no credentials/);
  expect(existsSync(captured)).toBe(false);
  expect(existsSync(helperRan)).toBe(false);
  const records = children.records();
  // The action's own git names the workspace's repository; none runs in the context's.
  const own = records.filter((r) => r.args.includes(`--git-dir=${join(workspace, '.git')}`));
  expect(own.length).toBeGreaterThan(0);
  for (const record of own) {
    expect(Object.keys(record.env).filter((name) => /^(INPUT_|ACTIONS_)/.test(name))).toEqual([]);
  }
  // buildx runs git in the context for its provenance: that git takes no directory there as a
  // repository (the fork's layout would name the commit and source) and starts no program.
  const buildx = records.filter((r) => !own.includes(r));
  expect(buildx.length).toBeGreaterThan(0);
  for (const record of buildx) {
    const settings = Object.entries(record.env)
      .filter(([name]) => name.startsWith('GIT_CONFIG_KEY_'))
      .map(([name, key]) => `${key}=${record.env[name.replace('KEY', 'VALUE')]}`);
    expect(settings).toEqual(
      expect.arrayContaining(['safe.bareRepository=explicit', 'core.fsmonitor=false']),
    );
  }
  assertNoSecrets([main], { password, ...oidc }, { childEnvironments: records });
});

test('a push with a test gate: git and tar, started without a credential, get no secret in their environment', async () => {
  const workspace = await checkout({ 'ctx/Dockerfile': busyboxDockerfile('CMD ["sh"]') });
  const children = await recordChildEnvironments(['git', 'tar']);
  const main = await runAction({
    event: pushEvent('refs/heads/main'),
    workspace,
    inputs: {
      images: `${registry.url}/acme/child-env`,
      registry: registry.url,
      username: user,
      password,
      test: 'true',
      context: 'ctx',
      sign: 'false',
      'artifact-name': '',
    },
    env: { ...oidc, PATH: children.pathWith(process.env.PATH) },
  });
  expect(main.exitCode).toBe(0);
  expect(main.outputs.pushed).toBe('true');
  const records = children.records();
  expect(records.map((r) => r.program)).toEqual(expect.arrayContaining(['git', 'tar']));
  assertNoSecrets([main], { password, ...oidc }, { childEnvironments: records });
});
