// The moving-tag step of a release: read where each moving tag points, move it only forward,
// read it back, and put back every tag already moved when any registry fails meanwhile.
import * as core from '@actions/core';
import { refName, type TagRef } from './stage.js';
import type { Manifest } from '../oci/manifest.js';
import { restoreAttempts, type Attempt } from './restore.js';
import {
  decideForward,
  identityOf,
  type Ancestry,
  type Decision,
  type ReleaseIdentity,
} from './forward.js';
import { errorText } from '../error-text.js';

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
   * Whether another run may be moving the same tags now; asked while the tags are written.
   * Not given: as `unknown`.
   */
  racing?: () => Promise<RaceCheck>;
  /**
   * How long to wait before reading the moved tags back when another run may be racing (not
   * when `racing` says none is): a concurrent run that decided before this one wrote has
   * written by then, and an older one that did is overwritten again.
   */
  settleMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Whether another run may be moving the same tags now. */
export interface RaceCheck {
  /** `none`: no other run of the workflow is in progress; `unknown`: it could not be asked. */
  others: 'none' | 'some' | 'unknown';
  /** What was found, or why it could not be, for the log. */
  detail: string;
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
  /** What the race check found; absent when no tag was written. */
  race?: RaceCheck;
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

type Planned = Attempt;

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Moves `refs` to `options.digest`, forward only, in three phases: every tag is read and
 * decided (nothing is written if any read fails), the tags to move are written, then read back:
 * at once when no other run is in progress, else after `settleMs`. A tag found taken by an
 * older release is written again; one taken by a newer release is left to it. When a write or
 * read-back fails in any registry, every tag this step tried to write (and that now points to
 * the digest) is put back, and a MoveError says so.
 */
export async function moveTags(
  refs: TagRef[],
  registry: MoveRegistry,
  options: MoveOptions,
): Promise<MoveReport> {
  return (await readMoves(refs, registry, options))();
}

/**
 * The first phase of {@link moveTags} (every tag read and decided), started as soon as the
 * digest is known, beside the checks of the push: the write phase it returns runs once the image
 * is verified (and signed), and says what was decided only then. A read that fails rejects.
 */
export async function readMoves(
  refs: TagRef[],
  registry: MoveRegistry,
  options: MoveOptions,
): Promise<(alongside?: () => Promise<void>) => Promise<MoveReport>> {
  const report: MoveReport = { moved: [], unchanged: [], heldBack: [], superseded: [] };
  if (refs.length === 0) {
    return async (alongside) => {
      await alongside?.();
      return report;
    };
  }
  // What was decided, logged when the write phase runs: a release whose checks fail moves nothing.
  const notes: string[] = [];
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
      const digest = digestOf(ref.image);
      const [, before] = await Promise.all([
        manifestOf(ref.image),
        registry.manifestDigest(ref.image, ref.tag),
      ]);
      if (before === digest) {
        report.unchanged.push(ref);
        notes.push(`${refName(ref)} already points to ${digest}`);
        return undefined;
      }
      if (before === undefined) return { ref };
      const decision = await decide(ref.image, before);
      if (!decision.move) {
        report.heldBack.push({ ref, reason: decision.reason });
        notes.push(`held back ${refName(ref)} at ${before}: ${decision.reason}`);
        return undefined;
      }
      notes.push(`moving ${refName(ref)} from ${before}: ${decision.reason}`);
      return { ref, before, previous: await registry.getManifest(ref.image, before) };
    }),
  );
  const toMove = planned.filter((p): p is Planned => p !== undefined);
  // 2. and 3., once the image is verified.
  const writeMoves = async (alongside?: () => Promise<void>): Promise<MoveReport> => {
    for (const note of notes) core.info(note);
    // The release's other writes of the digest go with the first wave (or alone): all are done
    // before any tag is read back, since a registry may answer a read of a tag of the digest
    // while another tag of it is written with half a link (the distribution registry's 500).
    let beside = alongside?.();
    if (toMove.length === 0) {
      await beside;
      return report;
    }

    // Every tag whose write was sent, answered or not: a registry may apply a write it never
    // answers, so the restore reads each of them.
    const attempted: Planned[] = [];
    // Asked while the tags are written: a run that could still overwrite them is in progress now.
    const race = raceCheck(options.racing);
    /**
     * Reads `p` back until it points to the digest (moved) or to a newer release (returned, as
     * superseded); a tag an older release took is written again, three rounds at most.
     */
    const readBack = async (p: Planned, settleMs: number): Promise<HeldBack | undefined> => {
      const digest = digestOf(p.ref.image);
      for (let round = 0; round < 3; round++) {
        const now = await registry.manifestDigest(p.ref.image, p.ref.tag);
        if (now === digest) {
          core.info(`verified ${refName(p.ref)}@${digest}`);
          return undefined;
        }
        if (now === undefined) throw new Error(`${refName(p.ref)} is missing after it was written`);
        const decision = options.force
          ? { move: false, reason: `another run moved it to ${now} since` }
          : await decide(p.ref.image, now);
        if (!decision.move) {
          // Another run moved it to a newer release meanwhile: that one stays.
          core.info(`${refName(p.ref)} was moved on to ${now} by another run: ${decision.reason}`);
          return { ref: p.ref, reason: decision.reason };
        }
        core.info(
          `${refName(p.ref)} was moved to ${now} by another run, an older release; writing it again`,
        );
        await registry.putManifest(p.ref.image, p.ref.tag, await manifestOf(p.ref.image));
        if (settleMs > 0) await sleep(settleMs);
      }
      throw new Error(`${refName(p.ref)} keeps being moved away from ${digest}`);
    };
    try {
      // 2. Write: the tags that exist first, then the new ones, so a failure among the first
      // leaves nothing that cannot be put back (not every registry removes a tag).
      for (const wave of [toMove.filter((p) => p.before), toMove.filter((p) => !p.before)]) {
        const results = await Promise.allSettled(
          wave.map(async (p) => {
            const manifest = await manifestOf(p.ref.image);
            attempted.push(p);
            await registry.putManifest(p.ref.image, p.ref.tag, manifest);
            core.info(`tagged ${refName(p.ref)}`);
          }),
        );
        await beside;
        beside = undefined;
        for (const result of results) if (result.status === 'rejected') throw result.reason;
      }

      // 3. Read back: at once unless another run is known to be in progress; then after it had
      // the time to write what it decided. When that cannot be known, the post step reads the
      // tags once more instead: no release waits for a run that may not exist.
      report.race = await race;
      const settleMs = report.race.others === 'some' ? (options.settleMs ?? 0) : 0;
      if (settleMs === 0) {
        core.info(`reading the moving tags back: ${report.race.detail}`);
      } else if (settleMs > 0) {
        core.info(`reading the moving tags back in ${settleMs} ms: ${report.race.detail}`);
        await sleep(settleMs);
      }
      // Every tag at once; the report lists them in the order given.
      const outcomes = await Promise.allSettled(toMove.map((p) => readBack(p, settleMs)));
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
      toMove.forEach((p, i) => {
        const outcome = (outcomes[i] as PromiseFulfilledResult<HeldBack | undefined>).value;
        if (outcome) report.superseded.push(outcome);
        else report.moved.push(p.ref);
      });
      return report;
    } catch (error) {
      const reason = errorText(error);
      const { restored, notRestored } = await restoreAttempts(attempted, registry, digestOf);
      throw new MoveError(reason, report, restored, notRestored);
    }
  };
  return writeMoves;
}

/** The race check, started now; a check that fails counts as `unknown`, with why. */
async function raceCheck(racing: MoveOptions['racing']): Promise<RaceCheck> {
  if (!racing) return { others: 'unknown', detail: 'other runs were not looked for' };
  try {
    return await racing();
  } catch (error) {
    return { others: 'unknown', detail: errorText(error) };
  }
}
