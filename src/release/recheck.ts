// The moving tags read once more, in the post step of a run that may have raced another: a tag an
// older release took after this run's read-back is moved forward again.
import { refName, type TagRef } from './stage.js';
import { decideForward, identityOf, type Ancestry, type ReleaseIdentity } from './forward.js';
import type { MoveRegistry } from './move.js';
import { errorText } from '../error-text.js';

/** What the main step leaves for the post step's re-check: no secret, only names and digests. */
export interface MovedRecord {
  /** The digest the moving tags were moved to. */
  digest: string;
  ours: ReleaseIdentity;
  /** The tags moved and read back. */
  refs: TagRef[];
}

export type RecheckOutcome =
  /** Still points to this release. */
  | { ref: TagRef; kind: 'kept' }
  /** A newer release holds it: left to it. */
  | { ref: TagRef; kind: 'newer'; reason: string }
  /** An older release had taken it; moved forward again and read back. */
  | { ref: TagRef; kind: 'forward'; from: string; reason: string }
  /** Could not be read, decided or written; or it was removed since. */
  | { ref: TagRef; kind: 'failed'; reason: string };

/** Reads each tag of `record` and moves one an older release took back to `record.digest`. */
export async function recheckMoved(
  record: MovedRecord,
  registry: MoveRegistry,
  ancestry: (older: string, newer: string) => Promise<Ancestry>,
): Promise<RecheckOutcome[]> {
  const { digest } = record;
  return Promise.all(
    record.refs.map(async (ref): Promise<RecheckOutcome> => {
      try {
        const now = await registry.manifestDigest(ref.image, ref.tag);
        if (now === digest) return { ref, kind: 'kept' };
        if (now === undefined) return { ref, kind: 'failed', reason: 'it was removed since' };
        const theirs = identityOf(await registry.imageLabels(ref.image, now));
        const decision = await decideForward(record.ours, theirs, ancestry);
        if (!decision.move) return { ref, kind: 'newer', reason: decision.reason };
        await registry.putManifest(
          ref.image,
          ref.tag,
          await registry.getManifest(ref.image, digest),
        );
        const after = await registry.manifestDigest(ref.image, ref.tag);
        if (after !== digest) {
          return {
            ref,
            kind: 'failed',
            reason: `written again, it points to ${after ?? 'nothing'} on reading it back`,
          };
        }
        return { ref, kind: 'forward', from: now, reason: decision.reason };
      } catch (error) {
        return {
          ref,
          kind: 'failed',
          reason: errorText(error),
        };
      }
    }),
  );
}

/** The log line of one outcome, and whether it is a warning. Pure. */
export function recheckLine(outcome: RecheckOutcome): { warning: boolean; text: string } {
  const name = refName(outcome.ref);
  switch (outcome.kind) {
    case 'kept':
      return { warning: false, text: `${name} still points to this release` };
    case 'newer':
      return { warning: false, text: `${name} was moved on by a newer release: ${outcome.reason}` };
    case 'forward':
      return {
        warning: true,
        text: `${name} was moved back to ${outcome.from}, an older release, after this run read it back; moved it forward again (${outcome.reason})`,
      };
    case 'failed':
      return { warning: true, text: `${name} could not be checked again: ${outcome.reason}` };
  }
}

/** The record as the post step reads it back; undefined when it is not one. Pure. */
export function parseMovedRecord(text: string): MovedRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<MovedRecord>;
    if (typeof value.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(value.digest)) return;
    if (!Array.isArray(value.refs) || typeof value.ours !== 'object' || value.ours === null) return;
    const refs = value.refs
      .filter(
        (r): r is TagRef =>
          typeof r === 'object' &&
          r !== null &&
          typeof r.image === 'string' &&
          typeof r.tag === 'string',
      )
      .map((r) => ({ image: r.image, tag: r.tag, moving: true }));
    const ours = value.ours;
    return {
      digest: value.digest,
      ours: {
        version: typeof ours.version === 'string' ? ours.version : '',
        revision: typeof ours.revision === 'string' ? ours.revision : '',
        created: typeof ours.created === 'string' ? ours.created : '',
      },
      refs,
    };
  } catch {
    return undefined;
  }
}
