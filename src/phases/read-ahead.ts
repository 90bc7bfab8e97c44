/**
 * The read-ahead: what the immutable tags of a release point to before anything is pushed, read
 * beside the logins (a registry whose credentials this step was given) or just after them, and,
 * while the build runs, what the image of each moving tag says, so the immutable-tag guard and
 * the moving-tag step find their answers ready.
 */
import type { TagRef } from '../release/stage.js';

/** The read-ahead's answers: a tag it did not read is read now. */
export interface TagsBefore {
  manifestDigest(image: string, tag: string): Promise<string | undefined>;
}

/** The registry operations of the read-ahead (RegistryClient has them). */
export interface ReadAheadRegistry {
  manifestDigest(image: string, tag: string): Promise<string | undefined>;
  getManifest(image: string, digest: string): Promise<unknown>;
  imageLabels(image: string, digest: string): Promise<Record<string, string>>;
}

/**
 * Starts reading every one of `refs`, each once `ready(image)` resolved (its credentials are
 * known); a read that failed fails again for whoever asks, never before.
 */
export function readAhead(
  registry: Pick<ReadAheadRegistry, 'manifestDigest'>,
  refs: Pick<TagRef, 'image' | 'tag'>[],
  ready: (image: string) => Promise<void>,
): TagsBefore {
  const reads = new Map<string, Promise<string | undefined>>();
  for (const ref of refs) {
    const read = ready(ref.image).then(() => registry.manifestDigest(ref.image, ref.tag));
    read.catch(() => undefined);
    reads.set(`${ref.image}:${ref.tag}`, read);
  }
  return {
    manifestDigest: (image, tag) =>
      reads.get(`${image}:${tag}`) ?? registry.manifestDigest(image, tag),
  };
}

/**
 * While the build runs: where each moving tag points now, and the labels and manifest of that
 * image, which the moving-tag step reads to decide and to restore. The registry client keeps
 * what it reads by digest, so the step, which reads each tag again, finds them; a failure is
 * left for it to meet.
 */
export function warmMoving(registry: ReadAheadRegistry, refs: TagRef[]): void {
  for (const ref of refs) {
    void registry
      .manifestDigest(ref.image, ref.tag)
      .then((digest) =>
        digest
          ? Promise.all([
              registry.imageLabels(ref.image, digest),
              registry.getManifest(ref.image, digest),
            ])
          : undefined,
      )
      .catch(() => undefined);
  }
}
