import * as tc from '@actions/tool-cache';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuildx, installBuildx } from '../../src/tools/buildx.js';
import { buildxDownload } from '../../src/tools/buildx-release.js';
import { createDockerConfig } from '../../src/docker/config.js';
import { startReleaseServer, type ReleaseServer } from './release-server.js';

// The machine's own buildx, served as if it were each release's asset. The release server is
// the `buildx-mirror`: <mirror>/v<version>/<asset>, <mirror>/v<version>/checksums.txt and
// <mirror>/latest redirecting to the latest release.
const GOOD = '0.13.1';
const BAD_SUM = '0.13.2';
const STALLED = '0.13.3';
const NEWER = '0.14.0';

const asset = (version: string) => buildxDownload(version, process.arch).assetName;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const WRONG = 'f'.repeat(64);

/** Runs docker with DOCKER_CONFIG=dir: which buildx plugin docker finds, and what it says. */
function dockerWith(dir: string, args: string[]): string {
  return execFileSync('docker', args, {
    env: { ...process.env, DOCKER_CONFIG: dir },
    encoding: 'utf8',
  });
}

function pluginPath(dir: string): string {
  const out = dockerWith(dir, [
    'info',
    '--format',
    '{{range .ClientInfo.Plugins}}{{if eq .Name "buildx"}}{{.Path}}{{end}}{{end}}',
  ]);
  return out.trim();
}

let server: ReleaseServer;
let work: string;
let systemBuildx: string;
const saved = { ...process.env };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'btp-buildx-'));
  systemBuildx = pluginPath(join(work, 'empty-config'));
  if (!systemBuildx) {
    throw new Error('no buildx on this machine: run scripts/engine.sh install');
  }
  const sum = sha256(systemBuildx);
  const otherArch = `${'1'.repeat(64)} *buildx-v${GOOD}.linux-s390x`;
  server = await startReleaseServer({
    [`/v${GOOD}/${asset(GOOD)}`]: { file: systemBuildx },
    [`/v${GOOD}/checksums.txt`]: { body: `${otherArch}\n${sum} *${asset(GOOD)}\n` },
    [`/v${BAD_SUM}/${asset(BAD_SUM)}`]: { file: systemBuildx },
    [`/v${BAD_SUM}/checksums.txt`]: { body: `${WRONG} *${asset(BAD_SUM)}\n` },
    [`/v${STALLED}/${asset(STALLED)}`]: { stall: true },
    [`/v${STALLED}/checksums.txt`]: { body: `${sum} *${asset(STALLED)}\n` },
    [`/v${NEWER}/${asset(NEWER)}`]: { file: systemBuildx },
    [`/v${NEWER}/checksums.txt`]: { body: `${sum} *${asset(NEWER)}\n` },
    '/latest': { redirect: `/v${GOOD}/` },
  });
  process.env.RUNNER_TOOL_CACHE = join(work, 'toolcache');
  process.env.RUNNER_TEMP = join(work, 'temp');
});

afterAll(async () => {
  process.env = saved;
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const newConfig = () => mkdtempSync(join(work, 'docker-config-'));
const assetPath = (version: string) => `/v${version}/${asset(version)}`;

test('installs a release from the mirror into the job DOCKER_CONFIG, where docker runs it', async () => {
  const dockerConfig = newConfig();
  const result = await installBuildx({ version: GOOD, mirror: server.url, dockerConfig });

  const plugin = join(dockerConfig, 'cli-plugins', 'docker-buildx');
  expect(result).toEqual({ version: GOOD, path: plugin });
  expect(statSync(plugin).mode & 0o111).toBe(0o111);
  expect(sha256(plugin)).toBe(sha256(systemBuildx));
  expect(pluginPath(dockerConfig)).toBe(plugin);
  expect(dockerWith(dockerConfig, ['buildx', 'version'])).toMatch(/github\.com\/docker\/buildx/);

  const cached = tc.find('docker-buildx', GOOD, process.arch);
  expect(cached).not.toBe('');
  expect(realpathSync(plugin)).toBe(join(cached, 'docker-buildx'));
  expect(server.count(assetPath(GOOD))).toBe(1);
  expect(server.count(`/v${GOOD}/checksums.txt`)).toBe(1);
  expect(readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
});

test('a second install comes from the tool cache, checked against the checksums file; no download', async () => {
  const before = server.requests.length;
  const dockerConfig = newConfig();
  const result = await installBuildx({ version: GOOD, mirror: server.url, dockerConfig });

  expect(server.requests.slice(before)).toEqual([`/v${GOOD}/checksums.txt`]);
  expect(pluginPath(dockerConfig)).toBe(result.path);
});

test('a tool-cache binary changed since it was cached is refused, naming the input and what to do', async () => {
  const cached = join(tc.find('docker-buildx', GOOD, process.arch), 'docker-buildx');
  const original = readFileSync(cached);
  const tampered = Buffer.concat([original, Buffer.from('tampered')]);
  writeFileSync(cached, tampered);
  try {
    const install = installBuildx({ version: GOOD, mirror: server.url, dockerConfig: newConfig() });
    await expect(install).rejects.toThrow(
      `buildx-version: refusing ${cached} from the runner's tool cache: its sha256 is ` +
        `${createHash('sha256').update(tampered).digest('hex')}, but ` +
        `${server.url}/v${GOOD}/checksums.txt says ${sha256(systemBuildx)}`,
    );
  } finally {
    writeFileSync(cached, original);
  }
});

test('latest resolves through the redirect of <mirror>/latest, then the cache', async () => {
  const before = server.requests.length;
  const result = await installBuildx({
    version: 'latest',
    mirror: `${server.url}/`,
    dockerConfig: newConfig(),
  });

  expect(result.version).toBe(GOOD);
  expect(server.requests.slice(before)).toEqual(['/latest', `/v${GOOD}/checksums.txt`]);
});

test('a wrong checksum is refused: nothing installed, nothing cached', async () => {
  const dockerConfig = newConfig();
  const install = installBuildx({ version: BAD_SUM, mirror: server.url, dockerConfig });

  await expect(install).rejects.toThrow(
    `buildx-version: refusing ${asset(BAD_SUM)} from ${server.url}${assetPath(BAD_SUM)}: ` +
      `its sha256 is ${sha256(systemBuildx)}, ` +
      `but ${server.url}/v${BAD_SUM}/checksums.txt says ${WRONG}`,
  );
  expect(server.count(assetPath(BAD_SUM))).toBe(1);
  expect(tc.find('docker-buildx', BAD_SUM, process.arch)).toBe('');
  expect(readdirSync(join(process.env.RUNNER_TOOL_CACHE!, 'docker-buildx'))).not.toContain(BAD_SUM);
  expect(readdirSync(dockerConfig)).toEqual([]);
  expect(readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
});

test('a release the mirror does not have names the URL and the HTTP status', async () => {
  await expect(
    installBuildx({ version: '0.99.0', mirror: server.url, dockerConfig: newConfig() }),
  ).rejects.toThrow(`buildx-version: GET ${server.url}/v0.99.0/checksums.txt answered HTTP 404`);
});

test('a stalled download fails at the timeout and caches nothing', async () => {
  const started = Date.now();
  await expect(
    installBuildx({
      version: STALLED,
      mirror: server.url,
      dockerConfig: newConfig(),
      timeoutMs: 1500,
    }),
  ).rejects.toThrow(
    `buildx-version: GET ${server.url}${assetPath(STALLED)} did not finish within 1.5 s`,
  );
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(tc.find('docker-buildx', STALLED, process.arch)).toBe('');
  expect(readdirSync(process.env.RUNNER_TEMP!)).toEqual([]);
});

describe('ensureBuildx with the machine buildx', () => {
  test('keeps the runner buildx when it is not older than the requested release', async () => {
    const before = server.requests.length;
    const dockerConfig = newConfig();
    const result = await ensureBuildx({
      version: '0.10.0',
      mirror: server.url,
      dockerConfig,
    });
    expect(result.installed).toBe(false);
    expect(result.version).toMatch(/^0\.13\.1/);
    expect(server.requests.length).toBe(before);
    expect(readdirSync(dockerConfig)).toEqual([]);
  });

  test('installs a requested release newer than the runner buildx', async () => {
    const dockerConfig = newConfig();
    const result = await ensureBuildx({
      version: NEWER,
      mirror: server.url,
      dockerConfig,
      needed: { version: '0.14', feature: '--prefer-index' },
    });
    expect(result).toEqual({ version: NEWER, installed: true });
    expect(server.count(assetPath(NEWER))).toBe(1);
    expect(pluginPath(dockerConfig)).toBe(join(dockerConfig, 'cli-plugins', 'docker-buildx'));
  });

  test('a requested release with a wrong checksum fails without installing', async () => {
    const dockerConfig = newConfig();
    await expect(
      ensureBuildx({
        version: BAD_SUM,
        mirror: server.url,
        dockerConfig,
      }),
    ).rejects.toThrow(`refusing ${asset(BAD_SUM)}`);
    expect(readdirSync(dockerConfig)).toEqual([]);
  });

  test('without buildx-version, a feature newer than the runner buildx fails clearly', async () => {
    await expect(
      ensureBuildx({
        version: '',
        dockerConfig: newConfig(),
        needed: { version: '0.14', feature: '--prefer-index' },
      }),
    ).rejects.toThrow(
      /^--prefer-index needs buildx >= 0\.14, found 0\.13\.1\S*; set this action's buildx-version input/,
    );
  });

  test("an install replaces the link to the user's plugin in the action's config only", async () => {
    // As docker/setup-buildx-action leaves it: a buildx plugin in the user's Docker config.
    const user = newConfig();
    await installBuildx({ version: GOOD, mirror: server.url, dockerConfig: user });
    const userPlugin = join(user, 'cli-plugins', 'docker-buildx');
    const userTarget = readlinkSync(userPlugin);

    const dockerConfig = createDockerConfig({ tempRoot: work, userConfigDir: user });
    const ours = join(dockerConfig, 'cli-plugins', 'docker-buildx');
    expect(realpathSync(ours)).toBe(realpathSync(userPlugin));

    const result = await ensureBuildx({ version: NEWER, mirror: server.url, dockerConfig });
    expect(result).toEqual({ version: NEWER, installed: true });
    expect(realpathSync(ours)).toBe(
      join(tc.find('docker-buildx', NEWER, process.arch), 'docker-buildx'),
    );
    expect(readlinkSync(userPlugin)).toBe(userTarget);
    expect(pluginPath(dockerConfig)).toBe(ours);
  });
});
