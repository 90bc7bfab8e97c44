// The multi-platform release from native runners, as data: the artifact each platform job of a
// group uploads, and the index the merge step assembles (the records and their checks are in
// merge-records.ts). Pure: the registry and the artifact service are the callers'.
import { createHash } from 'node:crypto';

/** `linux/arm64/v8` -> `linux-arm64-v8`: for artifact names. Pure. */
export function platformSlug(platform: string): string {
  return platform.toLowerCase().split('/').filter(Boolean).join('-');
}

/** The artifact a platform job of `group` uploads for `platform`. Pure. */
export function platformArtifactName(group: string, platform: string): string {
  return `${groupArtifactPrefix(group)}${platformSlug(platform)}`;
}

/** Every platform artifact of `group` starts with this. Pure. */
export function groupArtifactPrefix(group: string): string {
  return `${group}-platform-`;
}

/**
 * The platform a platform job builds: its one `platforms` entry, or the runner's when there is
 * none. Throws, naming the input, for several. Pure.
 */
export function jobPlatform(platforms: string[], native: string, group: string): string {
  if (platforms.length > 1) {
    throw new Error(
      `platforms: "${platforms.join(',')}" names several platforms, and a job of merge-group "${group}" builds one: give each platform its own job (a matrix over platforms and runners, such as linux/amd64 on ubuntu-24.04 and linux/arm64 on ubuntu-24.04-arm), or leave platforms empty to build the runner's`,
    );
  }
  return platforms[0] || native;
}

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** One entry of an index: a manifest, with its platform and annotations. */
export interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string; 'os.version'?: string };
  annotations?: Record<string, string>;
}

/**
 * What one platform job's image contributes to the merged index. `body` is its manifest as the
 * registry holds it: an image manifest becomes one entry, with `platform` read from its config;
 * an index (the image with buildx's attestation manifests) gives each of its entries as they
 * are, so the attestations stay attached to their image. Pure.
 */
export function indexEntries(
  body: Buffer,
  digest: string,
  mediaType: string,
  platform: IndexEntry['platform'],
): IndexEntry[] {
  const doc = JSON.parse(body.toString('utf8')) as { manifests?: IndexEntry[] };
  if (Array.isArray(doc.manifests)) return doc.manifests.map((m) => ({ ...m }));
  return [{ mediaType, digest, size: body.length, ...(platform ? { platform } : {}) }];
}

/** The platform of an image config (its `os`, `architecture`, `variant`, `os.version`). Pure. */
export function configPlatform(config: Buffer): IndexEntry['platform'] {
  const doc = JSON.parse(config.toString('utf8')) as {
    os?: string;
    architecture?: string;
    variant?: string;
    'os.version'?: string;
  };
  if (!doc.os || !doc.architecture) return undefined;
  return {
    architecture: doc.architecture,
    os: doc.os,
    ...(doc.variant ? { variant: doc.variant } : {}),
    ...(doc['os.version'] ? { 'os.version': doc['os.version'] } : {}),
  };
}

/**
 * The merged index: an OCI image index, or a Docker manifest list when every entry is a Docker
 * image manifest (the classic image store's pushes) and there is no annotation to carry (a
 * manifest list has none). Entries that appear twice count once. Pure.
 */
export function buildIndex(
  entries: IndexEntry[],
  annotations: Record<string, string>,
): { mediaType: string; body: Buffer; digest: string } {
  const seen = new Set<string>();
  const unique = entries.filter((e) => !seen.has(e.digest) && seen.add(e.digest));
  // Annotations (the description GHCR shows) need an OCI index, also over Docker manifests.
  const docker =
    Object.keys(annotations).length === 0 &&
    unique.every((e) => e.mediaType === DOCKER_MANIFEST && !e.annotations);
  const mediaType = docker ? DOCKER_LIST : OCI_INDEX;
  const doc: Record<string, unknown> = { schemaVersion: 2, mediaType, manifests: unique };
  if (!docker && Object.keys(annotations).length > 0) doc.annotations = annotations;
  const body = Buffer.from(JSON.stringify(doc));
  return { mediaType, body, digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
}

/**
 * The annotations of the merged index: the plan's unlevelled ones (which the platform images
 * carry on their manifests too) and those of the `index` level, with the level taken off;
 * those of other levels (`manifest:`, `*-descriptor:`) are the platform images'. Pure.
 */
export function indexAnnotations(annotations: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of annotations) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const level = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:(.*)$/.exec(
      key,
    );
    if (level && level[1] !== 'index') continue;
    out[level ? level[3] : key] = line.slice(eq + 1);
  }
  return out;
}
