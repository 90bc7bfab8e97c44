// Signing and attestation as the release runs them: decided once per run (before anything is
// built), set up once before the build, and a hook that every release call (a build's, a
// promotion's, a merge's) gives the transaction, so each verified digest is signed in every
// registry before a moving tag moves.
import * as core from '@actions/core';
import { join } from 'node:path';
import type { Context } from '../context/context.js';
import type { RegistryClient } from '../registry/client.js';
import type { Inputs } from '../inputs/inputs.js';
import type { Plan } from '../plan.js';
import type { SigningReport } from '../report/outcome.js';
import { attestProvenanceOf } from './attest.js';
import { pushAttestations, type AttestationPush } from './referrers.js';
import { decideSigning, type SigningDecision } from './mode.js';
import { Signer } from './signer.js';

/** What a release call gets: the transaction's hook, and the outcome fields it filled. */
export interface SignStep {
  /** ReleaseRunner.sign; undefined when this run neither signs nor attests. */
  hook?: (digest: string) => Promise<void>;
  /** The `signing`, `attestationId` and `attestations` fields of the step's Outcome. */
  outcome(): {
    signing: SigningReport;
    attestationId?: string;
    attestations?: AttestationPush[];
  };
}

/** This run's signing: decided, then prepared once when there is something to push. */
export interface Signing {
  decision: SigningDecision;
  prepare(setup: {
    dockerConfig: string;
    tempDir: string;
    registry: RegistryClient;
  }): Promise<SignStep>;
  /** Removes the key files; returns warnings (never throws). */
  cleanup(): string[];
}

/** Decides whether and how this run signs and attests; throws for inputs that cannot work. */
export function signingPhase(inputs: Inputs, context: Context, plan: Plan): Signing {
  const idToken = Boolean(
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL && process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
  );
  // From the event payload, or the GitHub API when the payload has no repository (schedule).
  const repositoryPublic = context.repository.public;
  const decision = decideSigning({
    mode: inputs.sign,
    hasKey: Boolean(inputs.signKey),
    idToken,
    repositoryPublic,
    push: plan.push,
  });
  if (inputs.signKeyPassword && !inputs.signKey) {
    core.warning(
      'sign-key-password is set but sign-key is empty, so it is not used; set sign-key to the cosign private key it opens (for example ${{ secrets.COSIGN_PRIVATE_KEY }})',
    );
  }
  if (inputs.attest && plan.push && !idToken) {
    throw new Error(
      'attest: "true", but the job has no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set), which a build provenance attestation is signed with; expected `permissions: id-token: write` and `attestations: write` on the job, or attest: false',
    );
  }
  core.info(
    decision.sign
      ? `signing: ${decision.kind === 'key' ? 'with sign-key' : 'keyless'} (${decision.reason})`
      : `signing: none (${decision.reason})`,
  );
  if (decision.sign && decision.kind === 'keyless' && repositoryPublic !== true) {
    core.warning(
      'sign: keyless signatures go to the public transparency log, which then names this repository and workflow; use sign-key, or a private Sigstore instance in signing-config, to keep them private',
    );
  }
  let keyDir = '';
  return {
    decision,
    cleanup: () => (keyDir ? Signer.cleanup(keyDir) : []),
    prepare: async ({ dockerConfig, tempDir, registry }) => {
      const skipped = decision.sign ? '' : decision.reason;
      let signer: Signer | undefined;
      if (decision.sign) {
        signer = await core.group('Set up signing', async () => {
          // Loaded when a run signs: the tool cache and download code stay out of other runs.
          const { ensureCosign } = await import('../tools/cosign.js');
          const cosign = await ensureCosign(inputs.cosignMirror);
          const options = {
            images: plan.meta.images,
            required: decision.required,
            dockerConfig,
            cosign,
            locate: (image: string, digest: string) => locateSignature(registry, image, digest),
          };
          if (decision.kind === 'key') {
            keyDir = join(tempDir, 'signing');
            return Signer.withKey(
              {
                key: inputs.signKey,
                password: inputs.signKeyPassword,
                signingConfig: inputs.signingConfig,
                trustedRoot: inputs.trustedRoot,
                dir: keyDir,
              },
              options,
            );
          }
          return Signer.keyless(
            {
              signingConfig: inputs.signingConfig,
              trustedRoot: inputs.trustedRoot,
              serverUrl: context.serverUrl,
              workflowRef: process.env.GITHUB_WORKFLOW_REF ?? '',
              idToken: () => core.getIDToken('sigstore'),
            },
            options,
          );
        });
      }
      let attestationId: string | undefined;
      let attestations: AttestationPush[] | undefined;
      const hook =
        signer || inputs.attest
          ? async (digest: string) => {
              await signer?.sign(digest);
              if (inputs.attest) {
                const attested = await attestProvenanceOf(
                  plan.meta.images,
                  digest,
                  inputs.githubToken,
                  repositoryPublic,
                );
                attestationId = attested.id;
                // Beside the image too, as a referrer of the digest (after cosign's signature,
                // whose referrers tag index it then joins): a registry that refuses it is
                // treated as one that refuses a signature.
                if (attested.bundle) {
                  attestations = await pushAttestations(
                    registry,
                    plan.meta.images,
                    digest,
                    attested.bundle,
                    inputs.sign === 'true',
                  );
                } else {
                  const failure = '@actions/attest gave back no Sigstore bundle';
                  core.warning(
                    `attest: the build provenance attestation of ${digest} is in the repository's attestation store only: ${failure}`,
                  );
                  attestations = plan.meta.images.map((image) => ({
                    image,
                    reference: '',
                    listedBy: '',
                    failure,
                  }));
                }
              }
            }
          : undefined;
      return {
        hook,
        outcome: () => ({
          signing: { results: signer?.results ?? [], skipped, publicKey: signer?.publicKey ?? '' },
          ...(attestationId ? { attestationId } : {}),
          ...(attestations ? { attestations } : {}),
        }),
      };
    },
  };
}

/**
 * A platform job of a merge group: it releases nothing, so it signs nothing; the merge step
 * signs the index it releases, in every registry.
 */
export function signedByTheMerge(group: string): Signing {
  const reason = `a platform job of merge-group "${group}": the merge step signs the index`;
  core.info(`signing: none (${reason})`);
  return {
    decision: { sign: false, reason },
    cleanup: () => [],
    prepare: () =>
      Promise.resolve({
        hook: undefined,
        outcome: () => ({ signing: { results: [], skipped: reason, publicKey: '' } }),
      }),
  };
}

/**
 * Where cosign put the signature of `image@digest`: under the tag `sha256-<hex>` (the OCI
 * referrers tag scheme, an index of the signatures) or `sha256-<hex>.sig` (cosign's older
 * scheme) in a registry without the referrers API; otherwise a referrer of `image@digest`.
 */
async function locateSignature(
  registry: RegistryClient,
  image: string,
  digest: string,
): Promise<string> {
  const tag = digest.replace(':', '-');
  for (const candidate of [tag, `${tag}.sig`]) {
    if (await registry.manifestDigest(image, candidate)) return `${image}:${candidate}`;
  }
  return `${image}@${digest}`;
}
