// The plan of references of a release: which references the image reaches the registries
// under (nobody relies on them as moving), and which moving tags follow once it is verified.
import type { TagRef } from './stage.js';

/** One image's tags, as the tag engine gives them. */
export interface ImageTags {
  image: string;
  tags: { name: string; moving: boolean }[];
}

/** The references of one release, in the order they are written. Pure data. */
export interface ReleaseOrder {
  /**
   * Written first (by the build, the test gate or a promotion) and verified in every registry:
   * the immutable tags, or the staging tag for an image that has none.
   */
  stage: TagRef[];
  /** Staging references among `stage`: made for this release only, removed after it if the registry allows. */
  staging: TagRef[];
  /** The moving tags, written only after every `stage` reference is verified, forward only. */
  moving: TagRef[];
}

/**
 * The staging tag of a run: names the image in a repository where none of its tags is
 * immutable, so the build never writes a moving tag. Unique per run attempt and, through
 * `nonce`, per job (the jobs of a matrix share the run's ID and attempt). Pure.
 */
export function stagingTag(runId: string, runAttempt: string, now: Date, nonce: string): string {
  const id = /^\d+$/.test(runId) ? runId : String(now.getTime());
  const attempt = /^\d+$/.test(runAttempt) ? runAttempt : '1';
  const unique = nonce.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  return `build-tag-push-${id}-${attempt}${unique ? `-${unique}` : ''}`;
}

/**
 * Splits every image's tags into the references the image is staged under (its immutable tags,
 * or `staging` when it has none) and the moving tags that follow verification. A tag named
 * twice counts once. Pure.
 */
export function releaseOrder(images: ImageTags[], staging: string): ReleaseOrder {
  const order: ReleaseOrder = { stage: [], staging: [], moving: [] };
  for (const { image, tags } of images) {
    const seen = new Set<string>();
    const refs = tags
      .filter((t) => !seen.has(t.name) && seen.add(t.name))
      .map((t) => ({ image, tag: t.name, moving: t.moving }));
    if (refs.length === 0) continue;
    const immutable = refs.filter((r) => !r.moving);
    if (immutable.length > 0) {
      order.stage.push(...immutable);
    } else {
      const ref = { image, tag: staging, moving: false };
      order.stage.push(ref);
      order.staging.push(ref);
    }
    order.moving.push(...refs.filter((r) => r.moving));
  }
  return order;
}
