/** The immutable-tag guard: reads the release's immutable tags before the push, decides, records the source of a build. */
import * as core from '@actions/core';
import type { Manifest } from '../oci/manifest.js';
import { fingerprintTag } from '../fingerprint/index.js';
import {
  decideImmutable,
  heldDigest,
  type HeldTag,
  type ImmutableDecision,
} from '../release/immutable.js';
import { refName, type TagRef } from '../release/stage.js';
import type { FingerprintResult } from './fingerprint.js';
import { errorText } from '../error-text.js';

/** The registry operations of the guard (RegistryClient has them). */
export interface GuardRegistry {
  manifestDigest(image: string, tag: string): Promise<string | undefined>;
  getManifest(image: string, digest: string): Promise<Manifest>;
  putManifest(image: string, tag: string, manifest: Manifest): Promise<string>;
}

/**
 * What each immutable tag holds: one read per tag, all at once. A tag that cannot be read (a
 * registry that refuses reads of a repository it does not have yet) is taken as absent, with a
 * warning: the push that follows is verified by reading it anyway.
 */
export async function readHeld(
  registry: Pick<GuardRegistry, 'manifestDigest'>,
  refs: TagRef[],
): Promise<HeldTag[]> {
  const found = await Promise.allSettled(
    refs.map((ref) => registry.manifestDigest(ref.image, ref.tag)),
  );
  const held: HeldTag[] = [];
  refs.forEach((ref, i) => {
    const result = found[i];
    if (result.status === 'fulfilled') {
      if (result.value) held.push({ ref, digest: result.value });
    } else {
      const reason = errorText(result.reason);
      core.warning(`could not read ${refName(ref)} before the push (${reason}); taken as absent`);
    }
  });
  return held;
}

/**
 * Decides about the immutable tags that exist (see decideImmutable): nothing to do on the common
 * path; otherwise waits for the source fingerprint and looks up its tag in every image
 * repository. Returns the image to release instead of a build, or undefined to build; throws
 * the refusal.
 */
export async function guardImmutable(
  registry: GuardRegistry,
  images: string[],
  held: HeldTag[],
  fingerprint: () => Promise<FingerprintResult>,
  force: boolean,
): Promise<{ digest: string; image: string; fingerprint: string; fpTag: string } | undefined> {
  if (held.length === 0) return undefined;
  // With force the fingerprint is not needed: nothing waits for it.
  const { hash, failure } = force ? { hash: '', failure: '' } : await fingerprint();
  const fpTag = hash ? fingerprintTag(hash) : '';
  const digest = heldDigest(held);
  const sameSource = digest && fpTag ? await holding(registry, images, fpTag, digest) : [];
  const decision: ImmutableDecision = decideImmutable({
    held,
    fingerprint: hash,
    fingerprintFailure: failure,
    fpTag,
    sameSource,
    force,
  });
  if (decision.kind === 'refuse') throw new Error(decision.message);
  if (decision.kind === 'build') {
    for (const h of decision.repointed) {
      core.warning(`force: ${refName(h.ref)} held ${h.digest}; it is re-pointed to this build`);
    }
    return undefined;
  }
  core.info(
    `${held.map((h) => refName(h.ref)).join(', ')} already hold ${decision.digest}, built from this source (${fpTag}): released again without a build`,
  );
  return { digest: decision.digest, image: decision.image, fingerprint: hash, fpTag };
}

/** The image repositories whose `fpTag` holds `digest`; a failed lookup counts as not. */
async function holding(
  registry: GuardRegistry,
  images: string[],
  fpTag: string,
  digest: string,
): Promise<string[]> {
  const found = await Promise.allSettled(images.map((i) => registry.manifestDigest(i, fpTag)));
  return images.filter((_, i) => {
    const result = found[i];
    return result.status === 'fulfilled' && result.value === digest;
  });
}

/**
 * Records the source of a new build: `fpTag` on the built digest in every image repository, so
 * that a re-run of this release can tell the image its immutable tags hold was built from the
 * same source. Best effort: a record that cannot be written is a warning (a re-run then asks
 * for `force`).
 */
export async function recordSource(
  registry: GuardRegistry,
  images: string[],
  digest: string,
  fpTag: string,
): Promise<void> {
  const results = await Promise.allSettled(
    [...new Set(images)].map(async (image) => {
      await registry.putManifest(image, fpTag, await registry.getManifest(image, digest));
      core.info(`recorded the source of ${image}@${digest}: ${image}:${fpTag}`);
    }),
  );
  for (const result of results) {
    if (result.status === 'rejected') {
      const reason = errorText(result.reason);
      core.warning(`could not record the source fingerprint tag ${fpTag}: ${reason}`);
    }
  }
}

/**
 * After a build whose push failed part way: the immutable tags it wrote (found now, absent
 * before) hold its image, so the source is recorded on them too, and a re-run of the release
 * finds it. Best effort, on the failure path only.
 */
export async function recordPartialPush(
  registry: GuardRegistry,
  refs: TagRef[],
  heldBefore: HeldTag[],
  fpTag: string,
): Promise<void> {
  const before = new Set(heldBefore.map((h) => refName(h.ref)));
  const after = await readQuietly(
    registry,
    refs.filter((r) => !before.has(refName(r))),
  );
  const byImage = new Map<string, string>();
  for (const h of after) if (!byImage.has(h.ref.image)) byImage.set(h.ref.image, h.digest);
  await Promise.all(
    [...byImage].map(([image, digest]) => recordSource(registry, [image], digest, fpTag)),
  );
}

/** What each tag holds now; a failed read counts as absent (the push already failed). */
async function readQuietly(registry: GuardRegistry, refs: TagRef[]): Promise<HeldTag[]> {
  const found = await Promise.allSettled(
    refs.map((ref) => registry.manifestDigest(ref.image, ref.tag)),
  );
  return refs.flatMap((ref, i) => {
    const result = found[i];
    return result.status === 'fulfilled' && result.value ? [{ ref, digest: result.value }] : [];
  });
}
