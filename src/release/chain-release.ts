// The release of a dependency chain as one transaction: every target's stage references written
// and verified, every target signed, and only then the moving tags of all of them, forward only;
// when any moving tag fails, every one this release moved is put back.
import { moveTags, MoveError } from './move.js';
import type { ReleaseOrder } from './order.js';
import { PushError, runPushSteps, type PushReport, type PushRunner } from './stage.js';
import { moveFailure, type ReleaseOptions, type ReleaseReport } from './transaction.js';
import { errorText } from '../error-text.js';

/** One target of the chain: its references and how its stage references are written. */
export interface ChainPart {
  name: string;
  order: ReleaseOrder;
  /** Writes the stage references (the image is already in every repository, by digest). */
  build: (refs: string[]) => Promise<string>;
}

export interface ChainRunner {
  registry: PushRunner['registry'] & Parameters<typeof moveTags>[1];
  /** Signs a target's verified digest in every registry; throws to stop the release. */
  sign?: (digest: string) => Promise<void>;
}

/** What the release did, per target. */
export type ChainReport = Map<string, ReleaseReport>;

/**
 * Releases every part: 1. each part's stage references are written and read back (a failure
 * stops here: no moving tag of any part has moved); 2. each digest is signed; 3. the moving
 * tags of every part move forward only in one step, each repository to its own part's digest,
 * restored together if any registry fails. Throws a PushError naming the target.
 */
export async function releaseChain(
  parts: ChainPart[],
  runner: ChainRunner,
  options: ReleaseOptions,
): Promise<ChainReport> {
  const staged = new Map<string, PushReport>();
  for (const part of parts) {
    try {
      staged.set(
        part.name,
        await runPushSteps(
          [
            { kind: 'build', refs: part.order.stage },
            { kind: 'verify', refs: part.order.stage },
          ],
          { build: part.build, registry: runner.registry },
        ),
      );
    } catch (error) {
      if (error instanceof PushError) {
        throw new PushError(
          `target ${part.name}: ${error.reason}\nno moving tag of any target was moved`,
          error.report,
        );
      }
      throw error;
    }
  }
  for (const part of parts) {
    const { digest } = staged.get(part.name)!;
    try {
      await runner.sign?.(digest);
    } catch (error) {
      const reason = errorText(error);
      throw new PushError(
        `target ${part.name}: signing: ${reason}\nno moving tag of any target was moved`,
        staged.get(part.name)!,
      );
    }
  }
  // Each repository belongs to one target (chainOf checks it): its moving tags go to that digest.
  const digests: Record<string, string> = {};
  for (const part of parts) {
    for (const ref of [...part.order.stage, ...part.order.moving]) {
      digests[ref.image] = staged.get(part.name)!.digest;
    }
  }
  const moving = parts.flatMap((p) => p.order.moving);
  try {
    const moved = await moveTags(moving, runner.registry, {
      ...options.move,
      digest: '',
      digests,
    });
    const reports: ChainReport = new Map();
    for (const part of parts) {
      const images = new Set(part.order.moving.map((m) => m.image));
      reports.set(part.name, {
        ...staged.get(part.name)!,
        heldBack: moved.heldBack.filter((h) => images.has(h.ref.image)),
        superseded: moved.superseded.filter((h) => images.has(h.ref.image)),
        moved: moved.moved.filter((ref) => images.has(ref.image)),
        race: moved.race,
      });
    }
    return reports;
  } catch (error) {
    if (!(error instanceof MoveError)) throw error;
    const last = parts[parts.length - 1];
    throw new PushError(
      moveFailure(error, 'every moving tag of every target'),
      staged.get(last.name)!,
    );
  }
}
