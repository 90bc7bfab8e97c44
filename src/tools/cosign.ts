// cosign for the signing step: the runner's when it is cosign 3, otherwise a pinned release,
// checked against the release's checksums file and kept in the runner's tool cache.
import * as core from '@actions/core';
import { getExecOutput } from '@actions/exec';
import * as tc from '@actions/tool-cache';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { checkCached, downloadVerified } from './verified-download.js';
import { DOWNLOAD_TIMEOUT_MS } from './buildx-release.js';
import { parseCosignVersion } from '../sign/cosign.js';
import { childEnv } from '../child-env.js';
import { mirrorBase } from '../mirror-url.js';

/** Where sigstore/cosign publishes its releases (`v<version>/cosign-<os>-<arch>`). */
export const COSIGN_RELEASES = 'https://github.com/sigstore/cosign/releases/download';

/** The release installed when the runner has no cosign 3. */
export const COSIGN_VERSION = '3.0.2';

const TOOL = 'cosign';
const CHECKSUMS = 'cosign_checksums.txt';

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

/**
 * The URLs of one cosign release binary and its checksums file (pure). `mirror` is laid out
 * like {@link COSIGN_RELEASES}; empty means GitHub.
 */
export function cosignDownload(
  version: string,
  arch: string,
  mirror = '',
  platform = 'linux',
): { assetName: string; assetUrl: string; checksumsUrl: string } {
  const base = mirrorBase(
    'cosign-mirror',
    mirror,
    COSIGN_RELEASES,
    `v<version>/cosign-<os>-<arch> and v<version>/${CHECKSUMS}`,
  );
  const cosignArch = ARCH[arch];
  if (!cosignArch) {
    throw new Error(
      `sign: cosign publishes no binary for the architecture "${arch}"; put a cosign 3 on the runner's PATH (sigstore/cosign-installer) before this step`,
    );
  }
  const osName = platform === 'win32' ? 'windows' : platform;
  const assetName = `cosign-${osName}-${cosignArch}${osName === 'windows' ? '.exe' : ''}`;
  return {
    assetName,
    assetUrl: new URL(`v${version}/${assetName}`, base).href,
    checksumsUrl: new URL(`v${version}/${CHECKSUMS}`, base).href,
  };
}

/**
 * Whether the runner's cosign can be used: version 3.x, or a build that names no version (a
 * distribution's) and has cosign 3's `signing-config` command. Pure.
 */
export function usableCosign(version: string | undefined, hasSigningConfig: boolean): boolean {
  if (version === undefined) return hasSigningConfig;
  return /^3\./.test(version);
}

/** The cosign this step runs: the runner's cosign 3, or the pinned release installed. */
export async function ensureCosign(
  mirror: string,
  timeoutMs = DOWNLOAD_TIMEOUT_MS,
): Promise<string> {
  const found = await runnerCosign();
  if (found) return found;
  let cacheDir = tc.find(TOOL, COSIGN_VERSION, process.arch);
  const binary = process.platform === 'win32' ? 'cosign.exe' : 'cosign';
  const download = cosignDownload(COSIGN_VERSION, process.arch, mirror, process.platform);
  const verified = { ...download, input: 'sign', tool: TOOL, version: COSIGN_VERSION, binary };
  if (cacheDir) {
    core.info(`cosign ${COSIGN_VERSION} found in the tool cache: ${cacheDir}`);
    await checkCached(cacheDir, verified, timeoutMs);
  } else {
    cacheDir = await downloadVerified(verified, timeoutMs);
  }
  const file = path.join(cacheDir, binary);
  await fs.chmod(file, 0o755);
  core.info(`cosign ${COSIGN_VERSION} installed for this job: ${file}`);
  return file;
}

/** `cosign` on PATH when it is cosign 3; '' otherwise (logged). */
async function runnerCosign(): Promise<string> {
  const run = async (args: string[]) => {
    try {
      return await getExecOutput('cosign', args, {
        silent: true,
        ignoreReturnCode: true,
        env: childEnv(),
      });
    } catch {
      return undefined;
    }
  };
  const version = await run(['version']);
  if (!version || version.exitCode !== 0) {
    core.info('cosign on the runner: none');
    return '';
  }
  const found = parseCosignVersion(version.stdout + version.stderr);
  const signingConfig =
    found === undefined
      ? (await run(['signing-config', 'create', '--help']))?.exitCode === 0
      : false;
  if (usableCosign(found, signingConfig)) {
    core.info(
      `cosign on the runner: ${found ?? 'a build that names no version, with signing-config'}`,
    );
    return 'cosign';
  }
  core.info(
    `cosign on the runner: ${found ?? 'a build that names no version'}, not cosign 3; installing ${COSIGN_VERSION}`,
  );
  return '';
}
