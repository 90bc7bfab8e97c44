import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  authKey,
  createDockerConfig,
  dockerEnv,
  credentialsFromConfig,
  dropCredHelper,
} from '../../src/docker/config.js';
import { normalizeRegistry, resolveLogins } from '../../src/docker/login.js';

const none = { registry: '', username: '', password: '', githubToken: 'ghs_token' };

describe('resolveLogins', () => {
  test.each([
    ['no registry: no login', none, 'octocat', []],
    [
      'ghcr.io defaults to the actor and github-token',
      { ...none, registry: 'ghcr.io' },
      'octocat',
      [{ registry: 'ghcr.io', username: 'octocat', password: 'ghs_token' }],
    ],
    [
      'ghcr.io with explicit credentials',
      { ...none, registry: 'https://ghcr.io/', username: 'bot', password: 'pat' },
      'octocat',
      [{ registry: 'ghcr.io', username: 'bot', password: 'pat' }],
    ],
    [
      'another registry',
      { ...none, registry: '127.0.0.1:5000', username: 'u', password: 'p' },
      'octocat',
      [{ registry: '127.0.0.1:5000', username: 'u', password: 'p' }],
    ],
    [
      'username and password without registry: Docker Hub, as docker/login-action',
      { ...none, username: 'u', password: 'p' },
      'octocat',
      [{ registry: 'docker.io', username: 'u', password: 'p' }],
    ],
  ])('%s', (_name, inputs, actor, expected) => {
    expect(resolveLogins(inputs, actor)).toEqual(expected);
  });

  test('a registry other than ghcr.io needs a username', () => {
    expect(() => resolveLogins({ ...none, registry: 'quay.io', password: 'p' }, 'octocat')).toThrow(
      'username: empty for registry quay.io; set username (and password) for it',
    );
  });

  test('a missing password names the registry, never a value', () => {
    expect(() => resolveLogins({ ...none, registry: 'quay.io', username: 'u' }, 'a')).toThrow(
      'password: empty for registry quay.io; set password to a token or password for u',
    );
    expect(() => resolveLogins({ ...none, registry: 'ghcr.io', githubToken: '' }, 'a')).toThrow(
      'password: empty for registry ghcr.io; set password to a token or password for a, or leave github-token at its default',
    );
  });

  test.each([
    ['ghcr.io', 'ghcr.io'],
    [' https://ghcr.io/ ', 'ghcr.io'],
    ['http://localhost:5000', 'localhost:5000'],
  ])('normalizeRegistry(%j) is %j', (value, expected) => {
    expect(normalizeRegistry(value)).toBe(expected);
  });
});

describe('createDockerConfig', () => {
  let root: string;
  let user: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'btp-unit-'));
    user = join(root, 'home-docker');
    mkdirSync(join(user, 'cli-plugins'), { recursive: true });
    mkdirSync(join(user, 'buildx', 'instances'), { recursive: true });
    writeFileSync(join(user, 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(
      join(user, 'config.json'),
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
        },
        credsStore: 'desktop',
        credHelpers: { 'x.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login', 'ghcr.io': 'gh' },
        currentContext: 'remote',
      }),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('a 0700 directory of its own, plugins and builders linked, logins copied, credsStore left out', () => {
    const before = readFileSync(join(user, 'config.json'), 'utf8');
    const dir = createDockerConfig({ tempRoot: root, userConfigDir: user });
    expect(dir.startsWith(join(root, 'build-tag-push-docker-'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The plugin directory is ours; only its entries point to the user's files.
    expect(lstatSync(join(dir, 'cli-plugins')).isDirectory()).toBe(true);
    expect(readlinkSync(join(dir, 'cli-plugins', 'docker-buildx'))).toBe(
      join(user, 'cli-plugins', 'docker-buildx'),
    );
    expect(readlinkSync(join(dir, 'buildx'))).toBe(join(user, 'buildx'));
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config.credsStore).toBeUndefined();
    expect(config.currentContext).toBe('remote');
    // A docker/login-action login before this step still counts.
    expect(credentialsFromConfig(dir)('docker.io')).toEqual({ username: 'hub', password: 'pw' });
    expect(readFileSync(join(user, 'config.json'), 'utf8')).toBe(before);

    dropCredHelper(dir, 'ghcr.io');
    const after = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      credHelpers: Record<string, string>;
    };
    expect(after.credHelpers).toEqual({ 'x.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' });
  });

  test('without a user config directory: an empty one', () => {
    const dir = createDockerConfig({ tempRoot: root, userConfigDir: join(root, 'nothing') });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ auths: {} });
  });
});

describe('credentialsFromConfig', () => {
  test('reads auth (base64 user:password) and username/password entries; Docker Hub under its key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'btp-unit-'));
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        auths: {
          '127.0.0.1:5000': { auth: Buffer.from('alice:pa:ss').toString('base64') },
          'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') },
          'quay.io': { username: 'q', password: 'qp' },
          'empty.io': {},
        },
      }),
    );
    const lookup = credentialsFromConfig(dir);
    expect(lookup('127.0.0.1:5000')).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(lookup('docker.io')).toEqual({ username: 'hub', password: 'pw' });
    expect(lookup('quay.io')).toEqual({ username: 'q', password: 'qp' });
    expect(lookup('empty.io')).toBeUndefined();
    expect(lookup('ghcr.io')).toBeUndefined();
    rmSync(dir, { recursive: true });
  });

  test.each([
    ['docker.io', 'https://index.docker.io/v1/'],
    ['registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['ghcr.io', 'ghcr.io'],
  ])('authKey(%s) is %s', (registry, key) => {
    expect(authKey(registry)).toBe(key);
  });
});

describe('dockerEnv', () => {
  test('the action DOCKER_CONFIG, no INPUT_* variable, the rest kept', () => {
    process.env.INPUT_PASSWORD = 'p4ss';
    process.env.ACTIONS_CACHE_URL = 'https://cache/';
    try {
      const env = dockerEnv('/tmp/cfg');
      expect(env.DOCKER_CONFIG).toBe('/tmp/cfg');
      expect(Object.keys(env).filter((k) => k.startsWith('INPUT_'))).toEqual([]);
      expect(env.ACTIONS_CACHE_URL).toBe('https://cache/');
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      delete process.env.INPUT_PASSWORD;
      delete process.env.ACTIONS_CACHE_URL;
    }
  });
});
