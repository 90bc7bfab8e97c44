// The release transaction: the image reaches every registry under references nobody relies on
// as moving, is verified in every one, and only then do the moving tags move, forward only,
// restored on failure.
import * as core from '@actions/core';
import {
  PushError,
  refName,
  runPushSteps,
  type ImagePushResult,
  type PushReport,
  type PushRunner,
  type TagRef,
} from './stage.js';
import {
  readMoves,
  MoveError,
  type HeldBack,
  type MoveOptions,
  type MoveRegistry,
  type RaceCheck,
} from './move.js';
import type { ReleaseOrder } from './order.js';
import { errorText } from '../error-text.js';

export interface ReleaseRunner {
  /** Writes the image under these full references (build, test gate or promotion); returns its digest. */
  build: PushRunner['build'];
  registry: PushRunner['registry'] & MoveRegistry;
  /**
   * Signs the verified digest in every registry (src/sign/); called after the stage is verified
   * and before any moving tag moves. A throw fails the release with no moving tag moved.
   */
  sign?: (digest: string) => Promise<void>;
  /**
   * Writes what the release records about the digest (the source record, src/phases/build.ts):
   * once the image is verified and signed, beside the moving tags' writes. Best effort: it
   * warns, never throws.
   */
  record?: (digest: string) => Promise<void>;
}

export interface ReleaseOptions {
  /** The forward-only rules of the moving-tag step (the digest comes from the stage). */
  move: Omit<MoveOptions, 'digest'>;
}

/** What the release did: the push report (moving tags held back included) and why each was held back. */
export interface ReleaseReport extends PushReport {
  heldBack: HeldBack[];
  /** Moved, then taken by a newer release of another run. */
  superseded: HeldBack[];
  /** Moved by this run and read back. */
  moved: TagRef[];
  /** Whether another run may have been moving the same tags; absent when none was written. */
  race?: RaceCheck;
}

/**
 * Runs the release: 1. the stage references (immutable tags, or the staging tag) are written
 * by `runner.build`, read back from every registry and signed there (`runner.sign`); 2. the
 * moving tags, read as soon as the digest is known, move forward only (see moveTags in move.ts)
 * with `runner.record` beside them, restored if any registry fails; 3. staging tags are removed
 * where the registry allows. Throws a PushError whose report says what each image got.
 */
export async function release(
  order: ReleaseOrder,
  runner: ReleaseRunner,
  options: ReleaseOptions,
): Promise<ReleaseReport> {
  const staging = new Set(order.staging.map(refName));
  // The moving tags are read as soon as the build has given its digest, beside the checks of
  // the push; nothing is written before the image is verified (and signed).
  let reading: { digest: string; writes: ReturnType<typeof readMoves> } | undefined;
  const build: ReleaseRunner['build'] = async (refs) => {
    const digest = await runner.build(refs);
    if (digest) {
      const writes = readMoves(order.moving, runner.registry, { ...options.move, digest });
      writes.catch(() => undefined);
      reading = { digest, writes };
    }
    return digest;
  };
  let staged: PushReport;
  try {
    staged = await runPushSteps(
      [
        { kind: 'build', refs: order.stage },
        { kind: 'verify', refs: order.stage },
      ],
      { ...runner, build },
    );
  } catch (error) {
    // What the failed build staged is no release: its staging tag goes where the registry allows.
    await removeStaging(order, runner.registry, () => true);
    if (error instanceof PushError) {
      throw new PushError(error.reason, withMoving(error.report, order, staging, {}));
    }
    throw error;
  }
  const { digest } = staged;
  if (runner.sign) {
    try {
      await runner.sign(digest);
    } catch (error) {
      await removeStaging(order, runner.registry, () => true);
      const reason = errorText(error);
      throw new PushError(
        `signing: ${reason}\nno moving tag was moved: every moving tag is where it was before this run`,
        withMoving(staged, order, staging, {}),
      );
    }
  }
  try {
    const writes =
      reading?.digest === digest
        ? reading.writes
        : readMoves(order.moving, runner.registry, { ...options.move, digest });
    const { record } = runner;
    const moved = await (await writes)(record ? () => record(digest) : undefined);
    const held = new Set(moved.heldBack.map((h) => refName(h.ref)));
    const report = withMoving(staged, order, staging, {
      pushed: [...moved.moved, ...moved.unchanged, ...moved.superseded.map((s) => s.ref)],
      heldBack: moved.heldBack.map((h) => h.ref),
    });
    await removeStaging(order, runner.registry, (image) =>
      order.moving.some((r) => r.image === image && !held.has(refName(r))),
    );
    return {
      ...report,
      heldBack: moved.heldBack,
      superseded: moved.superseded,
      moved: moved.moved,
      ...(moved.race ? { race: moved.race } : {}),
    };
  } catch (error) {
    await removeStaging(order, runner.registry, () => true);
    if (!(error instanceof MoveError)) throw error;
    const report = withMoving(staged, order, staging, {
      heldBack: error.report.heldBack.map((h) => h.ref),
      restored: error.restored,
      notRestored: error.notRestored.map((n) => n.ref),
    });
    throw new PushError(moveFailure(error, 'every moving tag'), report);
  }
}

/**
 * What a failed moving-tag step says: why, what was put back, what could not be, and, when
 * nothing is left moved, that `all` (every moving tag) is where it was. Pure.
 */
export function moveFailure(error: MoveError, all: string): string {
  const restored = error.restored.map(refName);
  const notRestored = error.notRestored.map((n) => `${refName(n.ref)} (${n.reason})`);
  return [
    `moving tags: ${error.reason}`,
    restored.length > 0 ? `put back where they were: ${restored.join(', ')}` : '',
    notRestored.length > 0 ? `could not be put back: ${notRestored.join('; ')}` : '',
    notRestored.length === 0 ? `${all} is where it was before this run` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

interface MovingOutcome {
  pushed?: TagRef[];
  heldBack?: TagRef[];
  restored?: TagRef[];
  notRestored?: TagRef[];
}

/** The stage report with the moving tags added where they ended; staging tags left out. Pure. */
function withMoving(
  staged: PushReport,
  order: ReleaseOrder,
  staging: Set<string>,
  outcome: MovingOutcome,
): PushReport {
  const names = (refs: TagRef[] | undefined): Set<string> => new Set((refs ?? []).map(refName));
  const pushed = names(outcome.pushed);
  const heldBack = names(outcome.heldBack);
  const restored = names(outcome.restored);
  const notRestored = names(outcome.notRestored);
  const images: ImagePushResult[] = staged.images.map((i) => ({
    ...i,
    pushed: i.pushed.filter((t) => !staging.has(`${i.image}:${t}`)),
    unverified: i.unverified.filter((t) => !staging.has(`${i.image}:${t}`)),
    notPushed: i.notPushed.filter((t) => !staging.has(`${i.image}:${t}`)),
    ...(i.unknown ? { unknown: i.unknown.filter((t) => !staging.has(`${i.image}:${t}`)) } : {}),
  }));
  for (const ref of order.moving) {
    let entry = images.find((i) => i.image === ref.image);
    if (!entry) {
      entry = { image: ref.image, pushed: [], unverified: [], notPushed: [] };
      images.push(entry);
    }
    const name = refName(ref);
    if (pushed.has(name)) entry.pushed.push(ref.tag);
    else if (heldBack.has(name)) (entry.heldBack ??= []).push(ref.tag);
    else if (notRestored.has(name)) (entry.notRestored ??= []).push(ref.tag);
    else {
      if (restored.has(name)) (entry.restored ??= []).push(ref.tag);
      entry.notPushed.push(ref.tag);
    }
  }
  return { digest: staged.digest, images };
}

/** Removes the staging tag of each image whose moving tags now name the image (best effort). */
async function removeStaging(
  order: ReleaseOrder,
  registry: MoveRegistry,
  tagged: (image: string) => boolean,
): Promise<void> {
  for (const ref of order.staging) {
    if (!tagged(ref.image)) {
      core.info(`${refName(ref)} is kept: no moving tag names the image`);
      continue;
    }
    try {
      const removed = await registry.deleteTag(ref.image, ref.tag);
      core.info(
        removed
          ? `removed the staging tag ${refName(ref)}`
          : `${refName(ref)} is kept: the registry does not remove tags`,
      );
    } catch (error) {
      core.info(`${refName(ref)} is kept: ${errorText(error)}`);
    }
  }
}
