// Putting back the moving tags of a failed moving-tag step: every tag this run tried to write,
// found by reading it, also the ones whose write the registry applied and never answered.
import * as core from '@actions/core';
import { refName, type TagRef } from './stage.js';
import type { Manifest } from '../oci/manifest.js';
import type { HeldBack, MoveRegistry } from './move.js';
import { errorText } from '../error-text.js';

/** A moving tag this run tried to write. */
export interface Attempt {
  ref: TagRef;
  /** The digest it pointed to before the move; undefined when the tag was new. */
  before?: string;
  /** The manifest of `before`, to put it back. */
  previous?: Manifest;
}

export interface Restored {
  /** Put back where they were (a write of this run had landed). */
  restored: TagRef[];
  /** Moved by this run and not put back, with why. */
  notRestored: HeldBack[];
}

/**
 * Reads every tag in `attempts` and puts back each one that points to its release's digest
 * (`digestOf` its repository): to its previous
 * manifest, or, for a tag this release created, removed. A write that failed may still have
 * landed (a registry that applied it and never answered), so a failed write is read too. A tag
 * found where it was is left; one another run moved since is left to it. A put-back whose
 * answer is lost is read once more before it is reported as failed.
 */
export async function restoreAttempts(
  attempts: Attempt[],
  registry: MoveRegistry,
  digestOf: (image: string) => string,
): Promise<Restored> {
  const restored: TagRef[] = [];
  const notRestored: HeldBack[] = [];
  await Promise.all(
    attempts.map(async (p) => {
      try {
        const now = await registry.manifestDigest(p.ref.image, p.ref.tag);
        if (now === p.before) {
          core.info(`${refName(p.ref)} is where it was: the write did not land`);
          return;
        }
        if (now !== digestOf(p.ref.image)) {
          core.info(
            `${refName(p.ref)} is not put back: another run moved it to ${now ?? 'nothing'} since`,
          );
          return;
        }
        await putBack(p, registry).catch(async (error: unknown) => {
          if ((await registry.manifestDigest(p.ref.image, p.ref.tag).catch(() => now)) !== p.before)
            throw error;
        });
        core.info(
          p.before
            ? `put ${refName(p.ref)} back to ${p.before}`
            : `removed ${refName(p.ref)}, which this release created`,
        );
        restored.push(p.ref);
      } catch (error) {
        notRestored.push({
          ref: p.ref,
          reason: errorText(error),
        });
      }
    }),
  );
  return { restored, notRestored };
}

async function putBack(p: Attempt, registry: MoveRegistry): Promise<void> {
  if (p.previous) {
    await registry.putManifest(p.ref.image, p.ref.tag, p.previous);
  } else if (!(await registry.deleteTag(p.ref.image, p.ref.tag))) {
    throw new Error('it did not exist before and the registry does not remove tags');
  }
}
