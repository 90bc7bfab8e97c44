// `attest: true`: a GitHub build provenance attestation (SLSA v1, signed with Sigstore) of the
// verified digest, written to the repository's attestation store with @actions/attest.
import * as core from '@actions/core';
import type { AttestProvenanceOptions } from '@actions/attest';
import { errorText } from '../error-text.js';

/** What attestProvenance is called with for this release. Pure. */
export function provenanceOptions(
  images: string[],
  digest: string,
  token: string,
  repositoryPublic: boolean | undefined,
): AttestProvenanceOptions {
  const [algorithm, hex] = digest.split(':');
  if (algorithm !== 'sha256' || !/^[0-9a-f]{64}$/.test(hex ?? '')) {
    throw new Error(`attest: "${digest}" is not a sha256 digest`);
  }
  return {
    // One subject per image repository: `gh attestation verify oci://IMAGE@DIGEST` finds it
    // under any of the names the image was pushed as.
    subjects: images.map((name) => ({ name, digest: { sha256: hex } })),
    token,
    // A private repository's attestations are signed by GitHub's own Sigstore instance, so
    // nothing about it reaches the public transparency log.
    sigstore: repositoryPublic === true ? 'public-good' : 'github',
  };
}

export type AttestProvenance = (options: AttestProvenanceOptions) => Promise<{
  attestationID?: string;
  tlogID?: string;
  /** The Sigstore bundle (JSON) of the attestation: what goes to the registries. */
  bundle?: unknown;
}>;

/**
 * Attests the build provenance of `digest`; returns the attestation ID ('' when the store gave
 * none) and its Sigstore bundle (undefined when none came back). @actions/attest is loaded
 * here only: a run without `attest` never parses it.
 */
export async function attestProvenanceOf(
  images: string[],
  digest: string,
  token: string,
  repositoryPublic: boolean | undefined,
  attest?: AttestProvenance,
): Promise<{ id: string; bundle: unknown }> {
  const options = provenanceOptions(images, digest, token, repositoryPublic);
  const run = attest ?? (await import('@actions/attest')).attestProvenance;
  try {
    const attestation = await run(options);
    core.info(
      `build provenance attested for ${digest}: attestation ${attestation.attestationID ?? '(no ID)'}${attestation.tlogID ? `, transparency log entry ${attestation.tlogID}` : ''}`,
    );
    return { id: attestation.attestationID ?? '', bundle: attestation.bundle };
  } catch (error) {
    const reason = errorText(error);
    throw new Error(
      `attest: the build provenance attestation of ${digest} failed (${reason}); expected \`permissions: id-token: write\` and \`attestations: write\` on the job, and github-token allowed to write attestations`,
    );
  }
}
