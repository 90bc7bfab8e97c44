import { jest } from '@jest/globals';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
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
  keepsLoginElsewhere,
  dockerEnv,
  credentialsFromConfig,
  dropCredHelper,
  NO_LOGIN_KEY,
  OWN_HELPER,
  routeToOwnHelper,
} from '../../src/docker/config.js';
import { anonymousRegistries, login, normalizeRegistry } from '../../src/docker/login.js';
import { resolveLogins } from '../../src/inputs/logins.js';
import { retryPolicy } from '../../src/retry.js';

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

  test("a 0700 directory of its own, plugins and builders linked, no login copied, the user's helpers named", () => {
    const before = readFileSync(join(user, 'config.json'), 'utf8');
    const helper = { node: '/usr/bin/node', script: "/opt/it's/helper.js" };
    const dir = createDockerConfig({ tempRoot: root, userConfigDir: user, helper });
    expect(dir.startsWith(join(root, 'build-tag-push-docker-'))).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The plugin directory is ours; only its entries point to the user's files.
    expect(lstatSync(join(dir, 'cli-plugins')).isDirectory()).toBe(true);
    expect(readlinkSync(join(dir, 'cli-plugins', 'docker-buildx'))).toBe(
      join(user, 'cli-plugins', 'docker-buildx'),
    );
    expect(readlinkSync(join(dir, 'buildx'))).toBe(join(user, 'buildx'));
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    const text = readFileSync(join(dir, 'config.json'), 'utf8');
    // No secret of the user's is copied: the Docker Hub login is asked for through our helper.
    expect(text).not.toContain(Buffer.from('hub:pw').toString('base64'));
    expect(JSON.parse(text)).toEqual({
      auths: { [NO_LOGIN_KEY]: {} },
      credsStore: OWN_HELPER,
      credHelpers: {
        'x.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login',
        'ghcr.io': 'gh',
        'https://index.docker.io/v1/': OWN_HELPER,
      },
      currentContext: 'remote',
    });
    expect(credentialsFromConfig(dir)('docker.io')).toBeUndefined();
    const script = readFileSync(join(dir, 'bin', 'docker-credential-build-tag-push'), 'utf8');
    expect(script).toBe(
      `#!/bin/sh\nexec '/usr/bin/node' '/opt/it'\\''s/helper.js' '${user}' '${dir}' "$@"\n`,
    );
    expect(statSync(join(dir, 'bin', 'docker-credential-build-tag-push')).mode & 0o777).toBe(0o700);
    expect(dockerEnv(dir).PATH?.startsWith(`${join(dir, 'bin')}:`)).toBe(true);
    expect(readFileSync(join(user, 'config.json'), 'utf8')).toBe(before);
    // Our helper only reads: no `docker logout` is needed for what it answers.
    expect(keepsLoginElsewhere(dir, 'docker.io')).toBe(false);
    expect(keepsLoginElsewhere(dir, 'ghcr.io')).toBe(true);

    dropCredHelper(dir, 'ghcr.io');
    dropCredHelper(dir, 'docker.io');
    const after = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as {
      credHelpers: Record<string, string>;
    };
    expect(after.credHelpers).toEqual({ 'x.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' });
  });

  test("without the helper: the user's helpers only, no credsStore", () => {
    const dir = createDockerConfig({ tempRoot: root, userConfigDir: user });
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config.credsStore).toBeUndefined();
    expect(config.credHelpers).toEqual({
      'x.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login',
      'ghcr.io': 'gh',
    });
    expect(existsSync(join(dir, 'bin'))).toBe(false);
  });

  test('logout: false logins are asked for through the helper, when there is one', () => {
    const withHelper = createDockerConfig({
      tempRoot: root,
      userConfigDir: user,
      helper: { node: '/usr/bin/node', script: '/h.js' },
    });
    routeToOwnHelper(withHelper, 'quay.io');
    routeToOwnHelper(withHelper, 'docker.io');
    const helpers = (
      JSON.parse(readFileSync(join(withHelper, 'config.json'), 'utf8')) as {
        credHelpers: Record<string, string>;
      }
    ).credHelpers;
    expect(helpers['quay.io']).toBe(OWN_HELPER);
    expect(helpers['https://index.docker.io/v1/']).toBe(OWN_HELPER);

    const without = createDockerConfig({ tempRoot: root, userConfigDir: user });
    const before = readFileSync(join(without, 'config.json'), 'utf8');
    routeToOwnHelper(without, 'quay.io');
    expect(readFileSync(join(without, 'config.json'), 'utf8')).toBe(before);
  });

  test('without a user config directory: a config that is never empty', () => {
    const dir = createDockerConfig({ tempRoot: root, userConfigDir: join(root, 'nothing') });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({
      auths: { [NO_LOGIN_KEY]: {} },
    });
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

describe('resolveLogins with registry-auth', () => {
  test('entries as given; ghcr.io without username and password gets the actor and github-token', () => {
    expect(
      resolveLogins(
        {
          ...none,
          registryAuth: [
            { registry: 'docker.io', username: 'acme', password: 'dckr' },
            { registry: 'ghcr.io', username: '', password: '' },
          ],
        },
        'octocat',
      ),
    ).toEqual([
      { registry: 'docker.io', username: 'acme', password: 'dckr' },
      { registry: 'ghcr.io', username: 'octocat', password: 'ghs_token' },
    ]);
  });

  test('ghcr.io without a password and with no github-token: the entry is named', () => {
    expect(() =>
      resolveLogins(
        {
          ...none,
          githubToken: '',
          registryAuth: [
            { registry: 'quay.io', username: 'q', password: 'p' },
            { registry: 'ghcr.io', username: 'bot', password: '' },
          ],
        },
        'octocat',
      ),
    ).toThrow('registry-auth: entry 2 (ghcr.io) has no password and github-token is empty');
  });
});

describe('anonymousRegistries', () => {
  test('the registries of the images that have no credentials, once each', () => {
    const known = new Set(['ghcr.io']);
    expect(
      anonymousRegistries(
        ['ghcr.io/a/b', '127.0.0.1:5000/a', '127.0.0.1:5000/b', 'acme/app'],
        (registry) => (known.has(registry) ? { username: 'u', password: 'p' } : undefined),
      ),
    ).toEqual(['127.0.0.1:5000', 'docker.io']);
  });
});

// A stand-in for `docker login`: logs start and end, fails as the registry name says, and
// writes the login into DOCKER_CONFIG/config.json as docker does.
const FAKE_DOCKER = `#!/bin/sh
reg="$6"; user="$3"; pw=$(cat)
echo "start $reg" >> "$FAKE_LOG"
case "$reg" in
  flaky*)
    if [ ! -f "$FAKE_STATE/$reg" ]; then
      touch "$FAKE_STATE/$reg"
      echo "Error response from daemon: login attempt to http://$reg/v2/ failed with status: 503 Service Unavailable" >&2
      exit 1
    fi ;;
  refusing*)
    echo "Error response from daemon: login attempt to http://$reg/v2/ failed with status: 401 Unauthorized (password was $pw)" >&2
    exit 1 ;;
  hung*)
    exec sleep 30 ;;
esac
sleep 0.3
printf '{"auths":{"%s":{"auth":"%s"}}}' "$reg" "$(printf '%s:%s' "$user" "$pw" | base64 | tr -d '\n')" > "$DOCKER_CONFIG/config.json"
echo "end $reg" >> "$FAKE_LOG"
echo "Login Succeeded"
`;

describe('login', () => {
  let root: string;
  let config: string;
  const saved = { ...process.env };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'btp-login-'));
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'state'));
    writeFileSync(join(root, 'bin', 'docker'), FAKE_DOCKER);
    chmodSync(join(root, 'bin', 'docker'), 0o755);
    process.env.PATH = `${join(root, 'bin')}:${process.env.PATH ?? ''}`;
    process.env.FAKE_LOG = join(root, 'log');
    process.env.FAKE_STATE = join(root, 'state');
    config = join(root, 'config');
    mkdirSync(config);
    writeFileSync(
      join(config, 'config.json'),
      JSON.stringify({ auths: { 'old.io': { auth: 'eDp5' } }, credHelpers: { 'a.io': 'gcloud' } }),
    );
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });
  const log = (): string[] => readFileSync(join(root, 'log'), 'utf8').trim().split('\n');
  const noSleep = { retry: retryPolicy(3), sleep: () => Promise.resolve() };

  test('logins run in parallel, each into its own file, merged into config.json', async () => {
    await login(
      [
        { registry: 'a.io', username: 'alice', password: 'pa' },
        { registry: 'b.io', username: 'bob', password: 'pb' },
        { registry: 'c.io', username: 'carol', password: 'pc' },
      ],
      config,
      noSleep,
    );
    // All three started before any finished.
    expect(log().slice(0, 3).sort()).toEqual(['start a.io', 'start b.io', 'start c.io']);
    const written = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as {
      auths: Record<string, { auth: string }>;
      credHelpers: Record<string, string>;
    };
    expect(Object.keys(written.auths).sort()).toEqual(['a.io', 'b.io', 'c.io', 'old.io']);
    expect(Buffer.from(written.auths['b.io'].auth, 'base64').toString()).toBe('bob:pb');
    // The credential helper of a.io would have been asked instead of the file.
    expect(written.credHelpers).toEqual({});
    // No scratch config is left behind.
    expect(readdirSync(config)).toEqual(['config.json']);
  });

  test('a transient failure is retried; a refusal is not, and says which registry refused', async () => {
    const error = (await login(
      [
        { registry: 'flaky.io', username: 'f', password: 'pf' },
        { registry: 'refusing.io', username: 'r', password: 'secret-pr' },
      ],
      config,
      noSleep,
    ).catch((e: unknown) => e)) as Error;
    expect(log().filter((l) => l === 'start flaky.io')).toHaveLength(2);
    expect(log().filter((l) => l === 'start refusing.io')).toHaveLength(1);
    expect(error.message).toBe(
      'login to refusing.io as r failed: refusing.io refused the credentials; Error response from daemon: login attempt to http://refusing.io/v2/ failed with status: 401 Unauthorized (password was ***)',
    );
    // The login that succeeded is in config.json (the post step logs out of it).
    const written = readFileSync(join(config, 'config.json'), 'utf8');
    expect(written).toContain('flaky.io');
    expect(existsSync(join(config, 'config.json'))).toBe(true);
  });

  test('a login that hangs is killed at the timeout and retried as a transient failure', async () => {
    const started = Date.now();
    const error = (await login([{ registry: 'hung.io', username: 'h', password: 'ph' }], config, {
      ...noSleep,
      retry: retryPolicy(1),
      timeoutMs: 300,
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'login to hung.io as h failed: no answer within 0.3 s (network-timeout; gave up after 1 retry)',
    );
    expect(log()).toEqual(['start hung.io', 'start hung.io']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(readdirSync(config)).toEqual(['config.json']);
  });

  test('several failures: one line each', async () => {
    const error = (await login(
      [
        { registry: 'refusing-1.io', username: 'a', password: 'p1' },
        { registry: 'refusing-2.io', username: 'b', password: 'p2' },
      ],
      config,
      noSleep,
    ).catch((e: unknown) => e)) as Error;
    expect(error.message.split('\n').map((l) => l.slice(0, 35))).toEqual([
      'login to refusing-1.io as a failed:',
      'login to refusing-2.io as b failed:',
    ]);
  });
});

// The post step runs `docker logout` only where it erases something the directory does not hold.
test.each([
  [{ auths: { '127.0.0.1:5000': { auth: 'YTpi' } } }, '127.0.0.1:5000', false],
  [{ auths: {}, credsStore: 'desktop' }, '127.0.0.1:5000', true],
  [{ auths: {}, credsStore: '' }, '127.0.0.1:5000', false],
  [{ auths: {}, credHelpers: { 'ghcr.io': 'gh' } }, 'ghcr.io', true],
  [{ auths: {}, credHelpers: { 'ghcr.io': 'gh' } }, '127.0.0.1:5000', false],
  [{ auths: {}, credHelpers: { 'https://index.docker.io/v1/': 'x' } }, 'docker.io', true],
])('keepsLoginElsewhere(%j, %s) is %s', (config, registry, expected) => {
  const dir = mkdtempSync(join(tmpdir(), 'btp-unit-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    expect(keepsLoginElsewhere(dir, registry)).toBe(expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
