// buildx where the step needs it: found on the runner, else installed from the release (checked
// against its checksums file, kept in the tool cache) and linked as the docker CLI's plugin.
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import * as tc from '@actions/tool-cache';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { dockerEnv } from '../docker/config.js';
import { errorText } from '../error-text.js';
import {
  TOOL,
  DOWNLOAD_TIMEOUT_MS,
  compareVersions,
  buildxDownload,
  buildxLatestUrl,
  parseLatestLocation,
  parseBuildxVersion,
  requireBuildx,
  type BuildxNeed,
} from './buildx-release.js';
import { checkCached, downloadVerified, httpGet } from './verified-download.js';

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
