// Promotion of an exact digest from any registry: the image, byte for byte (index, platforms,
// attestations), and its signatures where present, copied into every repository and checked
// there by digest before any tag is written.
import * as core from '@actions/core';
import type { Manifest } from '../oci/manifest.js';
import type { PromoteSource } from '../inputs/promote.js';
import { mergeReferrersIndex, referrersTag } from '../sign/referrers.js';
import { copyImage, splitTagRef, type PromoteRegistry } from './promote.js';

/** The registry operations a promotion of a digest uses (RegistryClient has them). */
export interface DigestRegistry extends PromoteRegistry {
  findManifest(image: string, reference: string): Promise<Manifest | undefined>;
  /** The descriptors the OCI referrers API lists for `digest`; undefined without that API. */
  referrers(image: string, digest: string): Promise<{ digest: string }[] | undefined>;
}

/**
 * The digest `promote` names: its own, checked to be in the registry, or its tag's, read once
 * (the tag may move meanwhile; the promotion stays on what was read). Throws, naming the input,
 * when there is no such image.
 */
export async function pinSource(registry: DigestRegistry, source: PromoteSource): Promise<string> {
  const shown = `${source.image}${source.digest ? `@${source.digest}` : `:${source.tag}`}`;
  const found = await registry.findManifest(source.image, source.digest || source.tag);
  if (!found) {
    throw new Error(
      `promote: ${shown} was not found in its registry; expected an image that is there (and the credentials to read it, in registry-auth). Nothing was tagged`,
    );
  }
  if (source.tag) core.info(`promote: ${shown} is ${found.digest}; that digest is promoted`);
  return found.digest;
}

/** The tags cosign keeps a digest's signatures and attestations under, besides the referrers API. */
function signatureTags(digest: string): string[] {
  const tag = referrersTag(digest);
  return [tag, `${tag}.sig`, `${tag}.att`, `${tag}.sbom`];
}

/** Copies the signatures of `digest` (cosign's tags, the referrers) from `from` to `to`. */
async function copySignatures(
  registry: DigestRegistry,
  from: string,
  to: string,
  digest: string,
): Promise<void> {
  const listed = (await registry.referrers(from, digest)) ?? [];
  for (const referrer of listed) {
    // The target's referrers API lists the artifact by its subject once it is stored.
    const manifest = await copyImage(registry, from, to, referrer.digest);
    await registry.putManifest(to, referrer.digest, manifest);
    core.info(`${to}: referrer ${referrer.digest} of ${digest} copied`);
  }
  for (const tag of signatureTags(digest)) {
    const theirs = await registry.findManifest(from, tag);
    if (!theirs) continue;
    await copyImage(registry, from, to, theirs.digest);
    const ours = await registry.findManifest(to, tag);
    let manifest = theirs;
    if (ours && ours.digest !== theirs.digest) {
      // The referrers tag of the target lists referrers of its own: both lists are kept.
      try {
        const doc = JSON.parse(theirs.body.toString('utf8')) as { manifests?: [] };
        manifest = ours;
        for (const entry of doc.manifests ?? []) {
          manifest = mergeReferrersIndex(manifest, entry).manifest;
        }
      } catch (error) {
        core.info(`${to}:${tag} is kept as it is: ${String(error)}`);
        continue;
      }
    }
    if (ours?.digest === manifest.digest) continue;
    await registry.putManifest(to, tag, manifest);
    core.info(`${to}:${tag} copied (signatures of ${digest})`);
  }
}

/**
 * The `build` step of the release transaction for a promotion: `digest` of `source` is copied
 * into every repository of `refs` (each manifest stored by its digest, which the registry must
 * answer with; signatures where present), and only when every repository holds it are the
 * references written. Returns the digest; the release then reads every reference back.
 */
export function promoteDigestStep(
  registry: DigestRegistry,
  source: string,
  digest: string,
): (refs: string[]) => Promise<string> {
  return async (refs) => {
    const byImage = new Map<string, string[]>();
    for (const ref of refs) {
      const [image, tag] = splitTagRef(ref);
      byImage.set(image, [...(byImage.get(image) ?? []), tag]);
    }
    const manifests = new Map<string, Manifest>();
    for (const image of byImage.keys()) {
      const manifest = await copyImage(registry, source, image, digest);
      // By digest first: a registry that stores other bytes fails here, before any tag.
      await registry.putManifest(image, digest, manifest);
      await copySignatures(registry, source, image, digest);
      manifests.set(image, manifest);
    }
    for (const [image, tags] of byImage) {
      for (const tag of tags) {
        await registry.putManifest(image, tag, manifests.get(image)!);
        core.info(`tagged ${image}:${tag} (promoted ${digest})`);
      }
    }
    return digest;
  };
}
