/** Outcome: what a route produced, made by one constructor, for the outputs, summary and artifact. */
import type { BuildResult } from './docker/build.js';
import type { Tested } from './gate/run.js';
import type { Outcome } from './report/report.js';

/** An outcome with the fields a route knows; the rest empty. */
export function outcome(fields: Pick<Outcome, 'digest' | 'pushed'> & Partial<Outcome>): Outcome {
  return { imageId: '', metadata: '', platforms: [], durationMs: 0, refs: [], ...fields };
}

/** The outcome of a buildx build (and of its test gate), pushed or not. */
export function builtOutcome(
  result: BuildResult,
  fields: Pick<Outcome, 'pushed' | 'platforms'> & Partial<Outcome>,
  tested?: Tested,
): Outcome {
  return outcome({
    digest: result.digest,
    // The tested image's config digest, which the push checked against the registry.
    imageId: tested?.configDigest ?? result.imageId,
    metadata: result.metadata,
    durationMs: result.durationMs,
    test: tested?.report,
    ...fields,
  });
}
