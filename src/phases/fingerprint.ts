/** The fingerprint phase: the source fingerprint beside the build, logged; the image of the same fingerprint looked up. */
import * as core from '@actions/core';
import { parseReference } from '../oci/reference.js';
import type { RegistryClient } from '../registry/client.js';
import { enginePlatform } from '../docker/test-run.js';
import { computeFingerprint, fingerprintTag } from '../fingerprint/index.js';
import type { Step } from '../step.js';
import { errorText } from '../error-text.js';

export interface FingerprintResult {
  /** sha256 hex; '' when it could not be computed. */
  hash: string;
  /** What went into it, for the log. */
  details: string[];
  /** Why there is none. */
  failure: string;
}

/** Computes the source fingerprint. Never throws: a failure is returned, to be reported. */
export async function sourceFingerprint(
  step: Step,
  registry: RegistryClient,
): Promise<FingerprintResult> {
  const { inputs, plan, dockerConfig, credentials } = step;
  try {
    const buildPlatform = await enginePlatform(dockerConfig).catch(
      () => `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    );
    const { hash, details } = await computeFingerprint(
      { ...inputs, labels: plan.meta.labels, annotations: plan.meta.annotations },
      {
        buildPlatform,
        workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
        // A base image's registry may have a login of an earlier step (a private base image).
        resolveDigest: async (image, tag) => {
          await credentials.prepare([parseReference(image).registry]);
          return registry.manifestDigest(image, tag);
        },
      },
    );
    return { hash, details, failure: '' };
  } catch (error) {
    const failure = errorText(error);
    return { hash: '', details: [], failure };
  }
}

/**
 * Logs the fingerprint and what went into it; returns it. Without one, reuse is off for this
 * run, with a warning when it was asked for.
 */
export function reportFingerprint(result: FingerprintResult, reuse: boolean): string {
  core.startGroup('Fingerprint');
  for (const line of result.details) core.info(line);
  if (result.hash) core.info(`fingerprint: ${result.hash} (tag ${fingerprintTag(result.hash)})`);
  else if (!reuse) core.info(`no source fingerprint: ${result.failure}`);
  core.endGroup();
  if (!result.hash && reuse) {
    core.warning(`reuse: no source fingerprint (${result.failure}); building without reuse`);
  }
  return result.hash;
}

/**
 * The digest of `image:fpTag`; undefined when there is none, or when the lookup failed (a
 * warning says so and the image is built as usual).
 */
export async function findReusable(
  registry: RegistryClient,
  image: string,
  fpTag: string,
): Promise<string | undefined> {
  try {
    const digest = await registry.manifestDigest(image, fpTag);
    core.info(
      digest
        ? `reuse: ${image}:${fpTag} is ${digest}, built from the same source fingerprint`
        : `reuse: no ${image}:${fpTag} yet; building`,
    );
    return digest;
  } catch (error) {
    const reason = errorText(error);
    core.warning(`reuse: could not look up ${image}:${fpTag} (${reason}); building as usual`);
    return undefined;
  }
}
