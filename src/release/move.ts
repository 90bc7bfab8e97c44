// The moving-tag step of a release: read where each moving tag points, move it only forward,
// read it back, and put back every tag already moved when any registry fails meanwhile.
import * as core from '@actions/core';
import { refName, type TagRef } from './stage.js';
import type { Manifest } from '../oci/manifest.js';
import {
  decideForward,
  identityOf,
  type Ancestry,
  type Decision,
  type ReleaseIdentity,
} from './forward.js';

/** The registry operations the moving-tag step uses (RegistryClient has them). */
export interface MoveRegistry {
  manifestDigest(image: string, tag: string): Promise<string | undefined>;
  getManifest(image: string, digest: string): Promise<Manifest>;
  putManifest(image: string, tag: string, manifest: Manifest): Promise<string>;
  /** Removes a tag (not the manifest); false when the registry does not remove tags. */
  deleteTag(image: string, tag: string): Promise<boolean>;
  /** The labels of the image config and the annotations of `image@digest` (manifest ones win). */
  imageLabels(image: string, digest: string): Promise<Record<string, string>>;
}

export interface MoveOptions {
  /** The verified digest the moving tags are to point to. */
  digest: string;
  /** Per repository, when the repositories of the step hold different images (a chain). */
  digests?: Record<string, string>;
  /** This release's version and commit. */
  ours: ReleaseIdentity;
  /** Moves every tag, forward or not (force-moving-tags). */
  force: boolean;
  /** Whether commit `older` is an ancestor of `newer` in the checkout. */
  ancestry: (older: string, newer: string) => Promise<Ancestry>;
  /**
   * How long to wait before reading the moved tags back: a concurrent run that decided before
   * this one wrote has written by then, and an older one that did is overwritten again.
   */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A moving tag that was not moved, and why. */
export interface HeldBack {
  ref: TagRef;
  reason: string;
}

export interface MoveReport {
  /** Moved to the digest and read back. */
  moved: TagRef[];
  /** Already pointing to the digest. */
  unchanged: TagRef[];
  /** Left where they were: moving them would go backwards. */
  heldBack: HeldBack[];
  /** Moved, then taken by a newer release (another run) before the read-back. */
  superseded: HeldBack[];
}

/** A moving-tag step that failed; the tags it had moved were put back (`restored`) where possible. */
export class MoveError extends Error {
  constructor(
    readonly reason: string,
    readonly report: MoveReport,
    /** Put back where they were. */
    readonly restored: TagRef[],
    /** Moved and could not be put back, with why. */
    readonly notRestored: HeldBack[],
  ) {
    super(reason);
    this.name = 'MoveError';
  }
}

interface Planned {
  ref: TagRef;
  /** The digest it points to before the move; undefined when the tag is new. */
  before?: string;
  /** The manifest of `before`, to put it back. */
  previous?: Manifest;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Moves `refs` to `options.digest`, forward only, in three phases: every tag is read and
 * decided (nothing is written if any read fails), the tags to move are written, then read back
 * after `settleMs`. A tag found taken by an older release is written again; one taken by a
 * newer release is left to it. When a write or read-back fails in any registry, every tag
 * this step moved (and that still points to the digest) is put back, and a MoveError says so.
 */
export async function moveTags(
  refs: TagRef[],
  registry: MoveRegistry,
  options: MoveOptions,
): Promise<MoveReport> {
  const report: MoveReport = { moved: [], unchanged: [], heldBack: [], superseded: [] };
  if (refs.length === 0) return report;
  const digestOf = (image: string): string => options.digests?.[image] ?? options.digest;
  const sleep = options.sleep ?? defaultSleep;
  const identities = new Map<string, Promise<ReleaseIdentity>>();
  const identity = (image: string, at: string): Promise<ReleaseIdentity> => {
    const key = `${image}@${at}`;
    let found = identities.get(key);
    if (!found) {
      found = registry.imageLabels(image, at).then(identityOf);
      identities.set(key, found);
    }
    return found;
  };
  const decide = async (image: string, at: string): Promise<Decision> =>
    options.force
      ? { move: true, reason: 'force-moving-tags is true' }
      : decideForward(options.ours, await identity(image, at), options.ancestry);

  // 1. Read and decide: nothing is written until every moving tag of every registry is read.
  const manifests = new Map<string, Promise<Manifest>>();
  const manifestOf = (image: string): Promise<Manifest> => {
    let found = manifests.get(image);
    if (!found) {
      found = registry.getManifest(image, digestOf(image));
      manifests.set(image, found);
    }
    return found;
  };
  const planned = await Promise.all(
    refs.map(async (ref): Promise<Planned | undefined> => {
      await manifestOf(ref.image);
      const digest = digestOf(ref.image);
      const before = await registry.manifestDigest(ref.image, ref.tag);
      if (before === digest) {
        report.unchanged.push(ref);
        core.info(`${refName(ref)} already points to ${digest}`);
        return undefined;
      }
      if (before === undefined) return { ref };
      const decision = await decide(ref.image, before);
      if (!decision.move) {
        report.heldBack.push({ ref, reason: decision.reason });
        core.info(`held back ${refName(ref)} at ${before}: ${decision.reason}`);
        return undefined;
      }
      core.info(`moving ${refName(ref)} from ${before}: ${decision.reason}`);
      return { ref, before, previous: await registry.getManifest(ref.image, before) };
    }),
  );
  const toMove = planned.filter((p): p is Planned => p !== undefined);
  if (toMove.length === 0) return report;

  const written: Planned[] = [];
  try {
    // 2. Write: the tags that exist first, then the new ones, so a failure among the first
    // leaves nothing that cannot be put back (not every registry removes a tag).
    for (const wave of [toMove.filter((p) => p.before), toMove.filter((p) => !p.before)]) {
      const results = await Promise.allSettled(
        wave.map(async (p) => {
          await registry.putManifest(p.ref.image, p.ref.tag, await manifestOf(p.ref.image));
          written.push(p);
          core.info(`tagged ${refName(p.ref)}`);
        }),
      );
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    }

    // 3. Read back, after concurrent runs had the time to write what they decided.
    await sleep(options.settleMs ?? 0);
    for (const p of toMove) {
      const digest = digestOf(p.ref.image);
      let verified = false;
      for (let round = 0; round < 3 && !verified; round++) {
        const now = await registry.manifestDigest(p.ref.image, p.ref.tag);
        if (now === digest) {
          verified = true;
          report.moved.push(p.ref);
          core.info(`verified ${refName(p.ref)}@${digest}`);
          break;
        }
        if (now === undefined) throw new Error(`${refName(p.ref)} is missing after it was written`);
        const decision = options.force
          ? { move: false, reason: `another run moved it to ${now} since` }
          : await decide(p.ref.image, now);
        if (!decision.move) {
          // Another run moved it to a newer release meanwhile: that one stays.
          report.superseded.push({ ref: p.ref, reason: decision.reason });
          core.info(`${refName(p.ref)} was moved on to ${now} by another run: ${decision.reason}`);
          verified = true;
          break;
        }
        core.info(
          `${refName(p.ref)} was moved to ${now} by another run, an older release; writing it again`,
        );
        await registry.putManifest(p.ref.image, p.ref.tag, await manifestOf(p.ref.image));
        await sleep(options.settleMs ?? 0);
      }
      if (!verified) throw new Error(`${refName(p.ref)} keeps being moved away from ${digest}`);
    }
    return report;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const { restored, notRestored } = await restore(written, registry, digestOf);
    throw new MoveError(reason, report, restored, notRestored);
  }
}

/**
 * Puts back every tag in `written` that still points to `digest` (one another run moved since
 * is left to it): to its previous manifest, or, for a tag this release created, removed.
 */
async function restore(
  written: Planned[],
  registry: MoveRegistry,
  digestOf: (image: string) => string,
): Promise<{ restored: TagRef[]; notRestored: HeldBack[] }> {
  const restored: TagRef[] = [];
  const notRestored: HeldBack[] = [];
  await Promise.all(
    written.map(async (p) => {
      try {
        const now = await registry.manifestDigest(p.ref.image, p.ref.tag);
        if (now !== digestOf(p.ref.image)) {
          core.info(
            `${refName(p.ref)} is not put back: another run moved it to ${now ?? 'nothing'} since`,
          );
          return;
        }
        if (p.previous) {
          await registry.putManifest(p.ref.image, p.ref.tag, p.previous);
          core.info(`put ${refName(p.ref)} back to ${p.before}`);
          restored.push(p.ref);
        } else if (await registry.deleteTag(p.ref.image, p.ref.tag)) {
          core.info(`removed ${refName(p.ref)}, which this release created`);
          restored.push(p.ref);
        } else {
          notRestored.push({
            ref: p.ref,
            reason: 'it did not exist before and the registry does not remove tags',
          });
        }
      } catch (error) {
        notRestored.push({
          ref: p.ref,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }),
  );
  return { restored, notRestored };
}
