import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import * as tc from '@actions/tool-cache';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as semver from 'semver';
import { dockerEnv } from '../docker/config.js';
import { mirrorBase } from '../mirror-url.js';
import { errorText } from '../error-text.js';

/**
 * Where docker/buildx publishes its releases. A release `v<version>` holds one
 * binary per platform, `buildx-v<version>.<os>-<arch>[.exe]`, and `checksums.txt`
 * with one `<sha256 hex> *<asset>` line per binary (darwin binaries are signed
 * after the file is made and have no line).
 */
export const BUILDX_RELEASES = 'https://github.com/docker/buildx/releases/download';

/** Tool name in the runner's tool cache. */
const TOOL = 'docker-buildx';
const CHECKSUMS = 'checksums.txt';
const USER_AGENT = 'build-tag-push';

/** A 70 MB binary over a slow self-hosted link still fits; a stalled mirror does not hang the job. */
export const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;

/** Node's `process.arch` names that differ from buildx's asset names; buildx names pass through. */
const ARCH: Record<string, string> = {
  x64: 'amd64',
  amd64: 'amd64',
  arm64: 'arm64',
  arm: 'arm-v7',
  'arm-v6': 'arm-v6',
  'arm-v7': 'arm-v7',
  ppc64: 'ppc64le',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export interface BuildxDownload {
  /** `buildx-v0.19.3.linux-amd64` */
  assetName: string;
  assetUrl: string;
  checksumsUrl: string;
}

/**
 * The release URLs of one buildx binary (pure).
 *
 * @param version a release such as `0.19.3` (resolve `latest` first with {@link resolveLatestBuildx})
 * @param arch Node's `process.arch` (`x64`, `arm64`, `arm`, `ppc64`, ...) or buildx's own name
 *   (`amd64`, `arm-v6`, `arm-v7`, `ppc64le`, `s390x`, `riscv64`)
 * @param mirror base URL laid out like {@link BUILDX_RELEASES}:
 *   `<mirror>/v<version>/buildx-v<version>.<os>-<arch>` and `<mirror>/v<version>/checksums.txt`;
 *   empty or undefined means GitHub
 * @param platform Node's `process.platform`
 */
export function buildxDownload(
  version: string,
  arch: string,
  mirror?: string,
  platform: string = 'linux',
): BuildxDownload {
  const v = version.trim().replace(/^v/, '');
  if (!semver.valid(v)) {
    throw new Error(
      `buildx-version: "${version}" is not a buildx release; expected a version such as 0.19.3`,
    );
  }
  const base = releaseBase(mirror);
  const osName = platform === 'win32' ? 'windows' : platform;
  const exe = osName === 'windows' ? '.exe' : '';
  const assetName = `buildx-v${v}.${osName}-${buildxArch(arch)}${exe}`;
  return {
    assetName,
    assetUrl: new URL(`v${v}/${assetName}`, base).href,
    checksumsUrl: new URL(`v${v}/${CHECKSUMS}`, base).href,
  };
}

/** buildx's asset arch for a Node arch (pure); throws for one buildx does not publish. */
export function buildxArch(arch: string): string {
  const name = ARCH[arch];
  if (!name) {
    throw new Error(
      `buildx-version: buildx publishes no binary for the architecture "${arch}"; ` +
        `it publishes amd64 (x64), arm64, arm-v6, arm-v7 (arm), ppc64le, s390x and riscv64`,
    );
  }
  return name;
}

/**
 * The URL that redirects to the latest release (pure). On GitHub
 * `https://github.com/docker/buildx/releases/latest` redirects to `.../releases/tag/v<version>`,
 * so no API call is needed. A mirror URL ending in `/releases/download` gets the same sibling;
 * any other mirror is asked for `<mirror>/latest`, which must redirect to a URL ending in
 * `v<version>` (for example `<mirror>/v0.19.3/`).
 */
export function buildxLatestUrl(mirror?: string): string {
  const base = releaseBase(mirror);
  return /\/releases\/download\/$/.test(base.pathname)
    ? new URL('../latest', base).href
    : new URL('latest', base).href;
}

/** The release version in a latest-release redirect target, e.g. `.../tag/v0.19.3` (pure). */
export function parseLatestLocation(location: string): string | undefined {
  const pathname = URL.canParse(location) ? new URL(location).pathname : location;
  const match = /\/v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\/?$/.exec(pathname);
  return match?.[1];
}

/**
 * The sha256 that a release's checksums file gives for one asset (pure). Lines are
 * `sha256sum` output: `<hex> *<name>` (binary mode, as buildx releases use) or `<hex>  <name>`.
 */
export function parseChecksums(text: string, assetName: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(\S+)\s*$/.exec(line.trim());
    if (match && match[2] === assetName) return match[1].toLowerCase();
  }
  return undefined;
}

/**
 * Compares two buildx versions as semver (pure): negative, zero or positive. Accepts a `v`
 * prefix, `0.13`, and distribution builds such as `0.13.1+ds1`.
 */
export function compareVersions(a: string, b: string): number {
  return semver.compare(toSemver(a), toSemver(b));
}

function toSemver(version: string): string {
  const v = semver.coerce(version, { includePrerelease: true });
  if (!v) throw new Error(`"${version}" is not a version; expected one such as 0.19.3`);
  return v.version;
}

/** The version in `docker buildx version` output (`github.com/docker/buildx v0.19.3 48d6a39`). */
export function parseBuildxVersion(output: string): string | undefined {
  const match = /\bv?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?)/.exec(
    output.replace(/^\s*\S*buildx\S*\s+/, ''),
  );
  return match?.[1];
}

/** A buildx feature the build asks for, and the first buildx release that has it. */
export interface BuildxNeed {
  /** `0.13` or `0.13.0` */
  version: string;
  /** What needs it, as the user wrote it: `--prefer-index`, `cache-to: type=gha` */
  feature: string;
}

/**
 * Fails with what to do when buildx is missing, or older than a feature needs (pure).
 *
 * @param found the version of the runner's buildx, undefined when there is none
 * @returns the found version
 */
export function requireBuildx(found: string | undefined, needed: BuildxNeed | undefined): string {
  if (found === undefined) {
    const why = needed ? ` (${needed.feature} needs buildx >= ${needed.version})` : '';
    throw new Error(
      `docker buildx is not installed on this runner${why}; ${howToGet(needed?.version)}`,
    );
  }
  if (needed && compareVersions(found, needed.version) < 0) {
    throw new Error(
      `${needed.feature} needs buildx >= ${needed.version}, found ${found}; ${howToGet(needed.version)}`,
    );
  }
  return found;
}

function howToGet(atLeast?: string): string {
  const example = atLeast
    ? `\`buildx-version: latest\` or a release >= ${atLeast}`
    : '`buildx-version: latest`';
  return (
    `set this action's buildx-version input (for example ${example}), ` +
    'run docker/setup-buildx-action before this step, ' +
    "or install your distribution's package (docker-buildx-plugin from Docker's repositories, " +
    'docker-buildx on Debian and Ubuntu)'
  );
}

export interface InstallOptions {
  /** `0.19.3` or `latest` */
  version: string;
  /** Base URL of a mirror of the releases (see {@link buildxDownload}); empty means GitHub. */
  mirror?: string;
  /** The action's own DOCKER_CONFIG; the plugin goes into its `cli-plugins/`. */
  dockerConfig: string;
  /** Bound on each download; {@link DOWNLOAD_TIMEOUT_MS} by default. */
  timeoutMs?: number;
}

export interface InstalledBuildx {
  version: string;
  /** `<dockerConfig>/cli-plugins/docker-buildx` */
  path: string;
}

/**
 * Installs a buildx release for this job only: from the runner's tool cache when it is there,
 * otherwise downloaded from GitHub or the mirror, checked against the release's checksums file
 * and cached. The plugin is linked into `<dockerConfig>/cli-plugins/`, never into `~/.docker`
 * or a system directory. A checksum mismatch installs and caches nothing.
 */
export async function installBuildx(options: InstallOptions): Promise<InstalledBuildx> {
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const version =
    options.version === 'latest'
      ? await resolveLatestBuildx(options.mirror, timeoutMs)
      : options.version.replace(/^v/, '');
  const download = buildxDownload(version, nodeArch(), options.mirror, process.platform);
  const binary = pluginName();

  const verified = { ...download, input: 'buildx-version', tool: TOOL, version, binary };
  let cacheDir = tc.find(TOOL, version, process.arch);
  if (cacheDir) {
    core.info(`buildx ${version} found in the tool cache: ${cacheDir}`);
    await checkCached(cacheDir, verified, timeoutMs);
  } else {
    cacheDir = await downloadVerified(verified, timeoutMs);
  }

  const cached = path.join(cacheDir, binary);
  await fs.chmod(cached, 0o755);
  const plugin = await linkPlugin(cached, options.dockerConfig);
  core.info(`buildx ${version} installed for this job: ${plugin}`);
  return { version, path: plugin };
}

/** What {@link downloadVerified} fetches, checks and caches, and the input its errors name. */
export interface VerifiedDownload extends BuildxDownload {
  /** The input that asked for it (`buildx-version`, `sign`), named in every error. */
  input: string;
  /** Name in the runner's tool cache. */
  tool: string;
  version: string;
  /** File name of the binary in the tool cache. */
  binary: string;
}

/**
 * Downloads a release binary, checks its sha256 against the release's checksums file and
 * caches it in the runner's tool cache; returns the cache directory. A mismatch caches nothing.
 */
export async function downloadVerified(
  download: VerifiedDownload,
  timeoutMs: number,
): Promise<string> {
  const { assetName, assetUrl, checksumsUrl, input, tool, version, binary } = download;
  const checksumsName = checksumsUrl.slice(checksumsUrl.lastIndexOf('/') + 1);
  const expected = await releaseChecksum(download, timeoutMs);

  // Not tc.downloadTool: its requests cannot be aborted and it retries for minutes after a
  // stall, which would keep the step's process alive past any timeout.
  core.info(`Downloading ${assetUrl}`);
  const temp = process.env.RUNNER_TEMP || os.tmpdir();
  await fs.mkdir(temp, { recursive: true });
  const file = path.join(temp, `${assetName}-${randomUUID()}`);
  try {
    const actual = await httpGet(
      assetUrl,
      timeoutMs,
      true,
      async (response) => {
        expectOk(assetUrl, response, input);
        const hash = createHash('sha256');
        await pipeline(
          response.message,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(file),
        );
        return hash.digest('hex');
      },
      input,
    );
    if (actual !== expected) {
      throw new Error(
        `${input}: refusing ${assetName} from ${assetUrl}: its sha256 is ${actual}, ` +
          `but ${checksumsUrl} says ${expected}`,
      );
    }
    core.info(`sha256 of ${assetName} matches ${checksumsName}: ${actual}`);
    return await tc.cacheFile(file, binary, tool, version, process.arch);
  } finally {
    await fs.rm(file, { force: true });
  }
}

/**
 * A binary found in the runner's tool cache, checked against the release's checksums file as a
 * download is: a cache that another job of the runner changed is refused, naming the input.
 */
export async function checkCached(
  cacheDir: string,
  download: VerifiedDownload,
  timeoutMs: number,
): Promise<void> {
  const expected = await releaseChecksum(download, timeoutMs);
  const file = path.join(cacheDir, download.binary);
  const actual = createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
  if (actual !== expected) {
    throw new Error(
      `${download.input}: refusing ${file} from the runner's tool cache: its sha256 is ${actual}, but ${download.checksumsUrl} says ${expected} for ${download.assetName}; remove that directory from the tool cache (RUNNER_TOOL_CACHE) and run the job again`,
    );
  }
  core.info(`sha256 of the cached ${download.binary} matches the release's: ${actual}`);
}

/** The sha256 the release's checksums file gives for the asset; an error naming the input when none. */
async function releaseChecksum(download: VerifiedDownload, timeoutMs: number): Promise<string> {
  const { assetName, checksumsUrl, input } = download;
  const checksums = await httpGet(
    checksumsUrl,
    timeoutMs,
    true,
    async (response) => {
      const body = await response.readBody();
      expectOk(checksumsUrl, response, input);
      return body;
    },
    input,
  );
  const expected = parseChecksums(checksums, assetName);
  if (!expected) {
    throw new Error(
      `${input}: ${checksumsUrl} has no sha256 line for ${assetName}; ` +
        `expected a line "<sha256> *${assetName}"`,
    );
  }

  return expected;
}

/**
 * Resolves `latest` by reading the redirect of the latest-release URL
 * ({@link buildxLatestUrl}); no GitHub API call.
 */
export async function resolveLatestBuildx(
  mirror?: string,
  timeoutMs: number = DOWNLOAD_TIMEOUT_MS,
): Promise<string> {
  const url = buildxLatestUrl(mirror);
  const { status, location } = await httpGet(url, timeoutMs, false, async (response) => {
    await response.readBody();
    return {
      status: response.message.statusCode ?? 0,
      location: response.message.headers.location,
    };
  });
  const version =
    status >= 300 && status < 400 && location ? parseLatestLocation(location) : undefined;
  if (!version) {
    throw new Error(
      `buildx-version: latest: ${url} answered HTTP ${status}` +
        (location ? ` with a redirect to ${location}` : '') +
        `, not a redirect to a release v<version>; set buildx-version to a release such as 0.19.3`,
    );
  }
  core.info(`Latest buildx release: ${version} (${url} -> ${location})`);
  return version;
}

/**
 * One GET, proxy-aware (@actions/http-client honours https_proxy and no_proxy), 5xx retried,
 * and bounded: at the deadline the request and its socket are destroyed, not left running.
 */
async function httpGet<T>(
  url: string,
  timeoutMs: number,
  followRedirects: boolean,
  use: (response: HttpClientResponse) => Promise<T>,
  input = 'buildx-version',
): Promise<T> {
  const client = new HttpClient(USER_AGENT, [], {
    allowRedirects: followRedirects,
    allowRetries: true,
    maxRetries: 2,
    socketTimeout: timeoutMs,
  });
  let response: HttpClientResponse | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${input}: GET ${url} did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  let settled = false;
  const work = client.get(url).then((r) => {
    response = r;
    if (settled) throw new Error(`GET ${url}: answered after the deadline`);
    return use(r);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    settled = true;
    clearTimeout(timer);
    response?.message.destroy();
    client.dispose();
  }
}

function expectOk(url: string, response: HttpClientResponse, input = 'buildx-version'): void {
  const status = response.message.statusCode ?? 0;
  if (status !== 200) throw new Error(`${input}: GET ${url} answered HTTP ${status}`);
}

export interface EnsureOptions {
  /** The buildx-version input: '' (use the runner's), `latest` or `0.19.3`. */
  version: string;
  mirror?: string;
  /**
   * The action's own DOCKER_CONFIG (config.ts createDockerConfig): it links the user's CLI
   * plugins, so a buildx that docker/setup-buildx-action installed counts as the runner's.
   */
  dockerConfig: string;
  /** The build asks for a feature that needs at least this buildx. */
  needed?: BuildxNeed;
  timeoutMs?: number;
}

export interface EnsuredBuildx {
  version: string;
  /** true when this step installed it */
  installed: boolean;
}

/**
 * Makes `docker buildx` (with DOCKER_CONFIG=dockerConfig) the runner's buildx, or the requested
 * release when the runner's is missing or older; fails with what to do when there is none, or
 * when it is older than `needed`.
 */
export async function ensureBuildx(options: EnsureOptions): Promise<EnsuredBuildx> {
  const { dockerConfig, needed } = options;
  const found = await findBuildx(dockerConfig);
  core.info(found ? `buildx on the runner: ${found}` : 'buildx on the runner: none');

  if (!options.version) {
    return { version: requireBuildx(found, needed), installed: false };
  }
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
  const wanted =
    options.version === 'latest'
      ? await resolveLatestBuildx(options.mirror, timeoutMs)
      : options.version.replace(/^v/, '');
  if (found !== undefined && compareVersions(found, wanted) >= 0) {
    core.info(`buildx ${found} is not older than ${wanted}; keeping it`);
    return { version: requireBuildx(found, needed), installed: false };
  }
  const installed = await installBuildx({ ...options, version: wanted, timeoutMs });
  if ((await findBuildx(dockerConfig)) === undefined) {
    throw new Error(
      `buildx-version: buildx ${installed.version} was installed as ${installed.path}, ` +
        `but \`docker buildx version\` with DOCKER_CONFIG=${dockerConfig} does not run it`,
    );
  }
  return { version: requireBuildx(installed.version, needed), installed: true };
}

/** The version of `docker buildx` as docker sees it with this DOCKER_CONFIG; undefined if none. */
export async function findBuildx(dockerConfig: string): Promise<string | undefined> {
  try {
    const result = await getExecOutput('docker', ['buildx', 'version'], {
      env: dockerEnv(dockerConfig),
      silent: true,
      ignoreReturnCode: true,
    });
    if (result.exitCode !== 0) {
      core.debug(`docker buildx version: exit ${result.exitCode}: ${result.stderr.trim()}`);
      return undefined;
    }
    return parseBuildxVersion(result.stdout);
  } catch (error) {
    core.debug(`docker buildx version: ${errorText(error)}`);
    return undefined;
  }
}

async function linkPlugin(binary: string, dockerConfig: string): Promise<string> {
  const dir = path.join(dockerConfig, 'cli-plugins');
  const plugin = path.join(dir, pluginName());
  await fs.mkdir(dir, { recursive: true });
  // The entry may be createDockerConfig's link to the user's plugin: removing a link leaves
  // the user's file alone.
  await fs.rm(plugin, { force: true });
  try {
    await fs.symlink(binary, plugin);
  } catch (error) {
    // Windows without developer mode cannot symlink; a copy works everywhere.
    core.debug(`symlink ${plugin}: ${errorText(error)}`);
    await fs.copyFile(binary, plugin);
    await fs.chmod(plugin, 0o755);
  }
  return plugin;
}

function nodeArch(): string {
  if (process.arch !== 'arm') return process.arch;
  // 32-bit ARM builds of Node record the ARM version they target (6 or 7).
  const variables = process.config.variables as unknown as Record<string, unknown>;
  return variables.arm_version === '6' || variables.arm_version === 6 ? 'arm-v6' : 'arm-v7';
}

function pluginName(): string {
  return process.platform === 'win32' ? 'docker-buildx.exe' : 'docker-buildx';
}

function releaseBase(mirror?: string): URL {
  return mirrorBase(
    'buildx-mirror',
    mirror ?? '',
    BUILDX_RELEASES,
    `v<version>/buildx-v<version>.<os>-<arch> and v<version>/${CHECKSUMS}`,
  );
}
