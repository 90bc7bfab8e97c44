// The multi-platform release from native runners, as data: what a platform job records in its
// artifact, how the merge step finds the group's records, checks them against the platforms it
// expects, and assembles the index it releases. Pure: the registry and the artifact service are
// the callers'.
import { createHash } from 'node:crypto';
import { samePlatform } from '../gate/spec.js';

/** What a platform job of a merge group uploads (`platform.json` in its artifact). */
export interface PlatformRecord {
  schema: typeof RECORD_SCHEMA;
  group: string;
  /** `linux/arm64`: the platform the job built and tested. */
  platform: string;
  /** What the job put in every image repository, by digest: a manifest, or an index (attestations). */
  digest: string;
  images: string[];
  /** The commit it was built from: the merge refuses a record of another commit. */
  revision: string;
  /** `GITHUB_RUN_ATTEMPT` of the job: a rerun replaces the record of an earlier attempt. */
  runAttempt: number;
  job: string;
  runner: { name: string; os: string; arch: string };
  /** `passed`, `skipped` (no test), or `reused` (promoted from the fingerprint tag, `test` run again or not). */
  test: string;
  testDurationMs: number;
  /** The fingerprint tag the image was promoted from; '' when it was built. */
  reusedFrom: string;
  fingerprint: string;
}

export const RECORD_SCHEMA = 'build-tag-push/platform-record/v1';
export const RECORD_FILE = 'platform.json';

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

/** Reads and checks one downloaded `platform.json`. Throws with what is wrong. Pure. */
export function parseRecord(text: string, artifact: string): PlatformRecord {
  let doc: Partial<PlatformRecord>;
  try {
    doc = JSON.parse(text) as Partial<PlatformRecord>;
  } catch {
    throw new Error(`the artifact "${artifact}" holds no JSON ${RECORD_FILE}`);
  }
  if (doc.schema !== RECORD_SCHEMA) {
    throw new Error(
      `the artifact "${artifact}" is not a platform record of build-tag-push (schema ${JSON.stringify(doc.schema)}, expected ${RECORD_SCHEMA})`,
    );
  }
  if (typeof doc.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(doc.digest)) {
    throw new Error(`the artifact "${artifact}" has no valid digest (${String(doc.digest)})`);
  }
  if (typeof doc.platform !== 'string' || !doc.platform.includes('/')) {
    throw new Error(`the artifact "${artifact}" has no platform`);
  }
  return doc as PlatformRecord;
}

/**
 * The group's records checked against the merge step: one per platform, all of this commit and
 * group, and every expected platform there (none expected: every one found is taken). Returns
 * the records in the order of `expected` (else of the platforms' names). Throws with every
 * problem at once, so one run tells what to fix. Pure.
 */
export function checkRecords(
  records: PlatformRecord[],
  expected: string[],
  group: string,
  revision: string,
): PlatformRecord[] {
  const problems: string[] = [];
  for (const record of records) {
    if (record.group !== group) {
      problems.push(
        `${record.platform}: its record names the group "${record.group}", not "${group}"`,
      );
    }
    if (revision && record.revision && record.revision !== revision) {
      problems.push(
        `${record.platform}: built from ${record.revision.slice(0, 12)}, not this run's commit ${revision.slice(0, 12)}`,
      );
    }
  }
  const found = records.map((r) => r.platform);
  const missing = expected.filter((p) => !found.some((f) => samePlatform(f, p)));
  const extra = expected.length
    ? found.filter((f) => !expected.some((p) => samePlatform(f, p)))
    : [];
  const foundText = found.length > 0 ? found.join(', ') : 'none';
  if (missing.length > 0) {
    problems.push(
      `no digest for ${missing.join(', ')} (found: ${foundText}): its platform job failed, was skipped, or has another merge-group; a failed platform job can be rerun alone, then this step`,
    );
  }
  if (extra.length > 0) {
    problems.push(
      `${extra.join(', ')} built by a job of the group but not in platforms (${expected.join(', ')}): add it to platforms, or remove its job`,
    );
  }
  if (records.length === 0 && expected.length === 0) {
    problems.push(
      `no platform job of the group uploaded a digest (no artifact named ${groupArtifactPrefix(group)}*); set platforms to the platforms to expect`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `merge: the merge-group "${group}" cannot be released; nothing was pushed:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
  }
  const order = expected.length > 0 ? expected : [...found].sort();
  return order.map((p) => records.find((r) => samePlatform(r.platform, p))!);
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
