// The merge's check of each platform record against what the registries hold: its digest is in
// every repository it names, is an image of the platform it names, and was built from this
// commit (or promoted from the fingerprint tag it names). Policy: the registry comes in as an
// interface.
import { samePlatform } from '../gate/spec.js';
import { shown, type PlatformRecord } from './merge-records.js';
import { errorText } from '../error-text.js';

/** The registry reads the check needs. */
export interface RecordRegistry {
  manifestDigest(image: string, reference: string): Promise<string | undefined>;
  getManifest(image: string, digest: string): Promise<{ body: Buffer; mediaType: string }>;
  getBlob(image: string, digest: string): Promise<Buffer>;
}

/** The label whose value every platform image must carry: the plan's revision label. */
export interface RevisionLabel {
  key: string;
  value: string;
}

const REVISION = 'org.opencontainers.image.revision';

/** The plan's `org.opencontainers.image.revision` label, when it has one. Pure. */
export function revisionLabel(labels: string[]): RevisionLabel | undefined {
  const line = [...labels].reverse().find((l) => l.startsWith(`${REVISION}=`));
  return line ? { key: REVISION, value: line.slice(REVISION.length + 1) } : undefined;
}

interface Doc {
  config?: { digest?: string };
  manifests?: {
    digest: string;
    platform?: { os?: string; architecture?: string; variant?: string };
  }[];
}

interface ImageConfig {
  os?: string;
  architecture?: string;
  variant?: string;
  config?: { Labels?: Record<string, string> | null };
}

const platformOf = (p: { os?: string; architecture?: string; variant?: string }): string =>
  [p.os, p.architecture, p.variant].filter(Boolean).join('/');

/**
 * Checks each pushed record against the registries; returns, per digest, the repositories of
 * `images` that hold it, and every problem found. Reads only; nothing is written.
 */
export async function verifyRecords(
  records: PlatformRecord[],
  images: string[],
  registry: RecordRegistry,
  revision: RevisionLabel | undefined,
): Promise<{ held: Map<string, string[]>; problems: string[] }> {
  const held = new Map<string, string[]>();
  const problems: string[] = [];
  for (const record of records) {
    try {
      const found = await verifyRecord(record, images, registry, revision);
      if (typeof found === 'string') problems.push(`${record.platform}: ${found}`);
      else held.set(record.digest, found);
    } catch (error) {
      const reason = errorText(error);
      problems.push(`${record.platform}: ${record.digest} could not be checked: ${reason}`);
    }
  }
  return { held, problems };
}

/** The repositories of `images` holding the record's image, or what is wrong with it. */
async function verifyRecord(
  record: PlatformRecord,
  images: string[],
  registry: RecordRegistry,
  revision: RevisionLabel | undefined,
): Promise<string[] | string> {
  const { digest } = record;
  const holders: string[] = [];
  for (const image of images) {
    if ((await registry.manifestDigest(image, digest)) === digest) holders.push(image);
  }
  const named = record.images.filter((image) => images.includes(image));
  if (named.length === 0) {
    return `its job pushed to ${shown(record.images.join(', '))}, none of ${images.join(', ')}; give the merge step and the platform jobs the same images`;
  }
  const absent = named.filter((image) => !holders.includes(image));
  if (absent.length > 0) {
    return `${digest} is not in ${absent.join(', ')}, where its record says its job pushed it: no platform job of this run pushed it`;
  }
  const from = holders[0];
  const doc = JSON.parse((await registry.getManifest(from, digest)).body.toString('utf8')) as Doc;
  let configDigest = doc.config?.digest;
  let platforms: string[] = [];
  if (Array.isArray(doc.manifests)) {
    const children = doc.manifests.filter(
      (m) => m.platform?.os && m.platform.os !== 'unknown' && m.platform.architecture,
    );
    platforms = children.map((m) => platformOf(m.platform!));
    if (children[0]) {
      const child = JSON.parse(
        (await registry.getManifest(from, children[0].digest)).body.toString('utf8'),
      ) as Doc;
      configDigest = child.config?.digest;
    }
  }
  if (!configDigest) return `${digest} in ${from} is not an image (no config)`;
  const config = JSON.parse(
    (await registry.getBlob(from, configDigest)).toString('utf8'),
  ) as ImageConfig;
  if (!Array.isArray(doc.manifests)) platforms = [platformOf(config)];
  if (platforms.length === 0 || !platforms.every((p) => samePlatform(p, record.platform))) {
    return `${digest} in ${from} is an image of ${platforms.join(', ') || 'no platform'}, not ${record.platform}`;
  }
  if (!revision) return holders;
  if (record.reusedFrom) {
    // A promoted image was built from an earlier commit of the same source: its fingerprint
    // tag, in a repository the merge releases to, must name it.
    const at = record.reusedFrom.lastIndexOf(':');
    const image = at > 0 ? record.reusedFrom.slice(0, at) : '';
    const tag = record.reusedFrom.slice(at + 1);
    if (!images.includes(image) || !/^fp-[0-9a-f]+$/.test(tag)) {
      return `its record says it was promoted from ${shown(record.reusedFrom)}, not a fingerprint tag of ${images.join(', ')}`;
    }
    const tagged = await registry.manifestDigest(image, tag);
    return tagged === digest
      ? holders
      : `its record says it was promoted from ${record.reusedFrom}, which is ${tagged ?? 'missing'}, not ${digest}`;
  }
  const label = config.config?.Labels?.[revision.key];
  if (label !== revision.value) {
    return `${digest} in ${from} was built from ${label === undefined ? 'an unknown commit (no ' + revision.key + ' label)' : shown(label)}, not this run's commit ${revision.value}: no platform job of this run built it`;
  }
  return holders;
}
