// Promotion: an image already in a registry gets new tags without a build and without pulling
// its layers. Within a repository a tag is a manifest PUT (the same bytes, so the same digest);
// another repository first gets the image's blobs (mounted when it is on the same registry,
// else copied) and, for an index, its child manifests.
import * as core from '@actions/core';
import type { Manifest } from '../oci/manifest.js';
import { parseReference } from '../oci/reference.js';

/** The registry operations a promotion uses (RegistryClient has them). */
export interface PromoteRegistry {
  manifestDigest(image: string, reference: string): Promise<string | undefined>;
  getManifest(image: string, digest: string): Promise<Manifest>;
  putManifest(image: string, tag: string, manifest: Manifest): Promise<string>;
  blobExists(image: string, digest: string): Promise<boolean>;
  mountBlob(image: string, digest: string, fromImage: string): Promise<boolean>;
  /** Streams the blob from one repository to another; returns the bytes copied. */
  copyBlob(from: string, to: string, digest: string): Promise<number>;
}

interface Descriptor {
  digest: string;
  mediaType?: string;
  urls?: string[];
}

/** The blobs and child manifests a manifest refers to. Pure. */
export function manifestReferences(manifest: Manifest): { blobs: string[]; children: string[] } {
  let doc: {
    config?: Descriptor;
    layers?: Descriptor[];
    manifests?: Descriptor[];
    blobs?: Descriptor[];
  };
  try {
    doc = JSON.parse(manifest.body.toString('utf8')) as typeof doc;
  } catch {
    throw new Error(`the manifest ${manifest.digest} is not JSON`);
  }
  const children = (doc.manifests ?? []).map((d) => d.digest).filter(Boolean);
  // Foreign layers (with `urls`) are not stored in the registry and are not copied.
  const blobs = [doc.config, ...(doc.layers ?? []), ...(doc.blobs ?? [])]
    .filter((d): d is Descriptor => Boolean(d?.digest) && !(d?.urls && d.urls.length > 0))
    .map((d) => d.digest);
  return { blobs: [...new Set(blobs)], children: [...new Set(children)] };
}

function sameRepository(a: string, b: string): boolean {
  const x = parseReference(a);
  const y = parseReference(b);
  return x.apiHost === y.apiHost && x.repository === y.repository;
}

/**
 * Makes `digest` of `from` present in `to` and returns its manifest: child manifests first (for
 * an index), each after its blobs, so the registry never holds a manifest whose parts are
 * missing. A blob is mounted when both repositories are on one registry (a registry that
 * declines the mount gets a copy), else streamed from one to the other (constant memory, an
 * idle timeout, retried). Nothing is tagged here.
 */
export async function copyImage(
  registry: PromoteRegistry,
  from: string,
  to: string,
  digest: string,
): Promise<Manifest> {
  const manifest = await registry.getManifest(from, digest);
  if (sameRepository(from, to)) return manifest;
  const sameRegistry = parseReference(from).apiHost === parseReference(to).apiHost;
  const stats = { mounted: 0, copied: 0, present: 0, bytes: 0 };

  const copy = async (current: Manifest, top: boolean): Promise<void> => {
    if (!top && (await registry.manifestDigest(to, current.digest)) === current.digest) return;
    const { blobs, children } = manifestReferences(current);
    for (const child of children) await copy(await registry.getManifest(from, child), false);
    for (const blob of blobs) {
      if (await registry.blobExists(to, blob)) {
        stats.present++;
        continue;
      }
      if (sameRegistry && (await registry.mountBlob(to, blob, from))) {
        stats.mounted++;
        continue;
      }
      stats.bytes += await registry.copyBlob(from, to, blob);
      stats.copied++;
    }
    // The top manifest is stored by the tag PUTs that follow; child manifests by digest.
    if (!top) await registry.putManifest(to, current.digest, current);
  };
  await copy(manifest, true);
  core.info(
    `${to}: blobs of ${digest}: ${stats.present} present, ${stats.mounted} mounted from ${from}, ${stats.copied} copied (${stats.bytes} bytes)`,
  );
  return manifest;
}

/** `host/repo:tag` -> [`host/repo`, `tag`]. Pure. */
export function splitTagRef(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= slash) throw new Error(`"${ref}" has no tag`);
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

/**
 * The `build` step of a push (see runPushSteps) for a promotion: `digest`, found in `source`,
 * is copied to every image of `refs` that lacks it and stored under each of `refs` by manifest
 * PUT. Returns the digest; the push steps verify every tag against it.
 */
export function promoteStep(
  registry: PromoteRegistry,
  source: string,
  digest: string,
): (refs: string[]) => Promise<string> {
  const manifests = new Map<string, Manifest>();
  return async (refs) => {
    for (const ref of refs) {
      const [image, tag] = splitTagRef(ref);
      let manifest = manifests.get(image);
      if (!manifest) {
        manifest = await copyImage(registry, source, image, digest);
        manifests.set(image, manifest);
      }
      await registry.putManifest(image, tag, manifest);
      core.info(`tagged ${ref} (promoted ${digest})`);
    }
    return digest;
  };
}
