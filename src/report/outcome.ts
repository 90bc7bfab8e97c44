/** Outcome: what a route produced (the digest, tests, signatures, reuse), made by one constructor. */
import type { PlatformRecord } from '../release/merge-records.js';
import type { SignatureResult } from '../sign/signer.js';
import type { AttestationPush } from '../sign/referrers.js';
import { type TestReport, type TestResult } from '../gate/spec.js';

import type { BuildResult } from '../docker/build.js';
import type { Tested } from '../gate/run.js';

/** What the build and push produced; absent in a dry run. */
export interface Outcome {
  digest: string;
  imageId: string;
  /** buildx's metadata file, as JSON text. */
  metadata: string;
  platforms: string[];
  durationMs: number;
  pushed: boolean;
  /** `image@digest`, one per image, when pushed. */
  refs: string[];
  /** The test gate; absent: no test ran. */
  test?: TestReport;
  /** The source fingerprint (sha256 hex); absent or '' when it could not be computed. */
  fingerprint?: string;
  /** Set when no build ran: the tags were added to the image of this fingerprint tag. */
  reused?: Reuse;
  /** Moving tags (`image:tag`) left where they were: they hold a newer release. */
  heldBack?: string[];
  /** A platform job of a merge group: its image is in the registries by digest, with no tag. */
  platformJob?: { group: string; platform: string; artifact: string };
  /** The merge step of a group: the platform images its index holds, one per platform job. */
  merged?: { group: string; platforms: PlatformRecord[] };
  /** What signing did; absent when no signer ran and none was asked for. */
  signing?: SigningReport;
  /** The ID of the build provenance attestation (`attest`). */
  attestationId?: string;
  /** Where the attestation went in each image repository (`attest`). */
  attestations?: AttestationPush[];
  /** A chain of bake targets (files, targets): what each released target got. */
  chain?: ChainTargetOutcome[];
}

/** One released target of a chain. */
export interface ChainTargetOutcome {
  target: string;
  /** The targets it is built FROM. */
  parents: string[];
  repositories: string[];
  digest: string;
  /** `repository@digest`, one per repository, when pushed. */
  refs: string[];
  /** Promoted from the image of the same fingerprint instead of built. */
  reused: boolean;
  test: TestResult;
}

/** Signatures of the release, per image repository. */
export interface SigningReport {
  /** One entry per image when a signer ran. */
  results: SignatureResult[];
  /** Why nothing was signed ('' when a signer ran). */
  skipped: string;
  /** The public key of `sign-key` (PEM); '' for keyless. */
  publicKey: string;
}

/** Where a reused image came from. */
export interface Reuse {
  /** The fingerprint tag it was found under (`fp-...`). */
  tag: string;
  /** The image repository it was found in. */
  image: string;
}

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
