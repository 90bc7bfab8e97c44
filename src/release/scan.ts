// The scan gate of a release: the image is staged under a staging tag only, read back from
// every registry, scanned by its digest, and only then given its references. A failed scan
// tags nothing and removes the staging tags.
import * as core from '@actions/core';
import type { Manifest } from '../oci/manifest.js';
import { errorText } from '../error-text.js';

/** The registry operations the scan gate uses (RegistryClient has them). */
export interface ScanRegistry {
  manifestDigest(image: string, tag: string): Promise<string | undefined>;
  getManifest(image: string, digest: string): Promise<Manifest>;
  putManifest(image: string, tag: string, manifest: Manifest): Promise<string>;
  deleteTag(image: string, tag: string): Promise<boolean>;
}

/** Scans the staged digest; throws when the scan fails (its message says why, with its last lines). */
export type ScanStep = (digest: string) => Promise<void>;

function split(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

/**
 * Wraps the `build` step of a release: `build` writes the image under `staging` in every
 * repository of `refs` only; each is read back and must name the one digest; `scan` runs on it;
 * then every reference of `refs` is written by manifest copy (the same bytes, so the same
 * digest), which the release reads back as usual. A failure before that removes the staging
 * tags (where the registry allows) and writes no reference.
 */
export function scannedBuild(
  build: (refs: string[]) => Promise<string>,
  scan: ScanStep,
  registry: ScanRegistry,
  staging: string,
): (refs: string[]) => Promise<string> {
  return async (refs) => {
    const images = [...new Set(refs.map((ref) => split(ref)[0]))];
    const staged = images.map((image) => `${image}:${staging}`);
    let digest = '';
    try {
      digest = await build(staged);
      for (const image of images) {
        const found = await registry.manifestDigest(image, staging);
        if (found !== digest) {
          throw new Error(
            `${image}:${staging} names ${found ?? 'nothing'}, not the built ${digest}; nothing was scanned or tagged`,
          );
        }
      }
      await scan(digest);
    } catch (error) {
      await removeStaging(registry, images, staging);
      throw error;
    }
    const manifest = await registry.getManifest(images[0], digest);
    for (const ref of refs) {
      const [image, tag] = split(ref);
      await registry.putManifest(image, tag, manifest);
      core.info(`tagged ${ref} (scanned ${digest})`);
    }
    await removeStaging(registry, images, staging);
    return digest;
  };
}

async function removeStaging(
  registry: ScanRegistry,
  images: string[],
  staging: string,
): Promise<void> {
  for (const image of images) {
    try {
      const removed = await registry.deleteTag(image, staging);
      core.info(
        removed
          ? `removed the staging tag ${image}:${staging}`
          : `${image}:${staging} is kept: the registry does not remove tags`,
      );
    } catch (error) {
      core.info(`${image}:${staging} is kept: ${errorText(error)}`);
    }
  }
}
