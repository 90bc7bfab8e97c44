/** The reuse route: the image of the same fingerprint, tested again, released by promotion. */
import * as core from '@actions/core';
import { pullImage, testReusedImage } from '../gate/run.js';
import { promoteStep } from '../publish/promote.js';
import type { RegistryClient } from '../registry/client.js';
import { enginePlatform } from '../docker/test-run.js';
import { outcome } from '../report/outcome.js';
import type { ReleaseOrder } from '../release/order.js';
import type { Outcome } from '../report/outcome.js';
import type { SignStep } from '../sign/phase.js';
import type { Step } from '../step.js';
import { manifestConfig, type TestReport } from '../gate/spec.js';
import { heldBackRefs, releasePhase } from './release.js';
import { reportingTests } from './test.js';

export interface Promotion {
  /** The digest of the image found under the fingerprint tag. */
  digest: string;
  fingerprint: string;
  fpTag: string;
  /** Signs (and attests) the promoted digest in every registry, as a build's. */
  sign: SignStep;
  /** The image repository that holds the digest; default the first of `images`. */
  source?: string;
}

/**
 * Reuse: the image found under the fingerprint tag in the first image repository is released
 * to every image repository by the same transaction (stage references, verified, then moving
 * tags forward only), by manifest copy; no build, no pull of its layers. The `test` command
 * runs in it first (pulled), unless test-on-reuse is false.
 */
export async function promotePhase(
  step: Step,
  order: ReleaseOrder,
  promotion: Promotion,
): Promise<Outcome> {
  const { inputs, plan, registry, dockerConfig } = step;
  const { digest, fpTag } = promotion;
  const started = Date.now();
  const source = promotion.source ?? plan.meta.images[0];
  const sourceRef = `${source}@${digest}`;
  if (step.gated && !inputs.testOnReuse) {
    core.info('test-on-reuse is false: the reused image is not tested again');
  }
  const testIt = step.gated && inputs.testOnReuse;
  // Pulled only to test or load it; a promotion by itself never moves a layer through here.
  const imageId = testIt || inputs.load ? await pullImage(sourceRef, dockerConfig) : '';
  let test: TestReport | undefined;
  if (testIt) {
    test = await reportingTests(inputs, plan, (onContainer) =>
      testReusedImage(inputs, sourceRef, imageId, { dockerConfig, onContainer }),
    );
  }

  const report = await releasePhase(
    step,
    order,
    { build: promoteStep(registry, source, digest), registry, sign: promotion.sign.hook },
    `Promote ${source}:${fpTag}`,
  );
  const configDigest = imageId || (await configOf(registry, source, digest, dockerConfig));
  core.info(
    `promoted ${sourceRef} (fingerprint tag ${fpTag}) without a build: ${plan.meta.tags.join(', ')}`,
  );
  return outcome({
    digest: report.digest,
    imageId: configDigest,
    // What buildx would have reported for this image.
    metadata: JSON.stringify({
      'containerimage.digest': report.digest,
      'containerimage.config.digest': configDigest,
    }),
    platforms: inputs.platforms,
    durationMs: Date.now() - started,
    pushed: true,
    refs: plan.meta.images.map((image) => `${image}@${report.digest}`),
    test,
    fingerprint: promotion.fingerprint,
    reused: { tag: fpTag, image: source },
    heldBack: heldBackRefs(report),
    ...promotion.sign.outcome(),
  });
}

/** The config digest of `image@digest` (for an index: of the engine's platform); '' if unknown. */
async function configOf(
  registry: RegistryClient,
  image: string,
  digest: string,
  dockerConfig: string,
): Promise<string> {
  try {
    const platform = await enginePlatform(dockerConfig);
    let found = manifestConfig((await registry.getManifest(image, digest)).body, platform);
    if ('manifest' in found) {
      found = manifestConfig((await registry.getManifest(image, found.manifest)).body, platform);
    }
    return 'config' in found ? found.config : '';
  } catch (error) {
    core.debug(`no config digest for ${image}@${digest}: ${String(error)}`);
    return '';
  }
}
