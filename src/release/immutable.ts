// Immutable tags are never re-pointed: what a run does when one of its immutable tags already
// exists in a registry (a re-run, a release of a commit already built, a changed source).
import { refName, type TagRef } from './stage.js';
import type { ReleaseOrder } from './order.js';

/** An immutable tag of this release found in its registry, with the digest it holds. */
export interface HeldTag {
  ref: TagRef;
  digest: string;
}

/** What the run does about the immutable tags that already exist. */
export type ImmutableDecision =
  /** None exists (the common path), or `force` re-points them: build and release as usual. */
  | { kind: 'build'; repointed: HeldTag[] }
  /** Every one holds the image built from this source: release that image, no build. */
  | { kind: 'reuse'; digest: string; image: string }
  /** One holds another image: fail before anything is pushed. */
  | { kind: 'refuse'; message: string };

export interface ImmutableFacts {
  /** The immutable tags of this release that exist, and what they hold. */
  held: HeldTag[];
  /** This run's source fingerprint (sha256 hex); '' when it could not be computed. */
  fingerprint: string;
  /** Why there is no fingerprint, for the message. */
  fingerprintFailure?: string;
  /** The fingerprint tag (`fp-...`) of this source. */
  fpTag: string;
  /** The image repositories whose fingerprint tag holds the digest the tags hold. */
  sameSource: string[];
  /** The `force` input: re-point them. */
  force: boolean;
}

/**
 * The references of a release whose existence matters: its immutable tags (the stage, without
 * the run's own staging tag and without the fingerprint tag, which is the record of the source,
 * looked up on its own). Pure.
 */
export function immutableRefs(order: ReleaseOrder, fpTag = ''): TagRef[] {
  const staging = new Set(order.staging.map(refName));
  return order.stage.filter((r) => !staging.has(refName(r)) && r.tag !== fpTag);
}

/** The one digest every held tag points to; undefined when none is held or they differ. Pure. */
export function heldDigest(held: HeldTag[]): string | undefined {
  const digests = new Set(held.map((h) => h.digest));
  return digests.size === 1 ? [...digests][0] : undefined;
}

/**
 * Decides, from what the registries hold, whether the run builds, releases the image the tags
 * already hold (built from the same source: its fingerprint tag holds that digest), or fails
 * with what to do. Pure.
 */
export function decideImmutable(facts: ImmutableFacts): ImmutableDecision {
  const { held, force } = facts;
  if (held.length === 0) return { kind: 'build', repointed: [] };
  if (force) return { kind: 'build', repointed: held };
  const digest = heldDigest(held);
  const list = held.map((h) => `${refName(h.ref)} holds ${h.digest}`).join('; ');
  if (digest && facts.sameSource.length > 0) {
    // A digest names one image: the record in any repository says where it came from.
    const image = held.find((h) => h.digest === digest)?.ref.image ?? facts.sameSource[0];
    return { kind: 'reuse', digest, image };
  }
  let why: string;
  if (!digest) why = 'they hold different images';
  else if (!facts.fingerprint)
    why = `this run has no source fingerprint to compare (${facts.fingerprintFailure || 'unknown reason'})`;
  else why = `the image it holds was not built from this source (${facts.fpTag} does not name it)`;
  return {
    kind: 'refuse',
    message: [
      `immutable tags already exist: ${list}`,
      `an immutable tag is never re-pointed, and ${why}; nothing was pushed`,
      'release a new version (a new tag or commit), or set force: true to re-point them to a new build',
    ].join('\n'),
  };
}
