// What docker/buildx publishes, as data: the asset of a platform, the checksums file, the
// latest release's address, version order, and the error for a buildx too old. Pure.
import * as semver from 'semver';
import { mirrorBase } from '../mirror-url.js';

/**
 * Where docker/buildx publishes its releases. A release `v<version>` holds one
 * binary per platform, `buildx-v<version>.<os>-<arch>[.exe]`, and `checksums.txt`
 * with one `<sha256 hex> *<asset>` line per binary (darwin binaries are signed
 * after the file is made and have no line).
 */
export const BUILDX_RELEASES = 'https://github.com/docker/buildx/releases/download';

/** Tool name in the runner's tool cache. */
export const TOOL = 'docker-buildx';
export const CHECKSUMS = 'checksums.txt';
export const USER_AGENT = 'build-tag-push';

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

function releaseBase(mirror?: string): URL {
  return mirrorBase(
    'buildx-mirror',
    mirror ?? '',
    BUILDX_RELEASES,
    `v<version>/buildx-v<version>.<os>-<arch> and v<version>/${CHECKSUMS}`,
  );
}
