/**
 * The promote route: an exact digest from any registry, copied byte for byte into every
 * repository of `images` and released under the planned tags by the release transaction; no build.
 */
import * as core from '@actions/core';
import { outcome } from '../report/outcome.js';
import { pinSource, promoteDigestStep } from '../publish/promote-digest.js';
import type { Outcome } from '../report/outcome.js';
import type { Step } from '../step.js';
import { heldBackRefs, orderOf, releasePhase } from './release.js';

/** Pins the `promote` image's digest, then releases it in every repository of `images`. */
export async function promoteRoute(step: Step): Promise<Outcome> {
  const { inputs, plan, registry } = step;
  const source = inputs.promote!;
  const started = Date.now();
  if (!plan.push) {
    core.info(`promote: nothing is promoted: ${plan.pushReason}`);
    return outcome({ digest: '', pushed: false, platforms: inputs.platforms });
  }
  const digest = await core.group('Promote: the source', () => pinSource(registry, source));
  // Set up before anything is written: a signing key that cannot be read fails here.
  const sign = await step.signing.prepare({
    dockerConfig: step.dockerConfig,
    tempDir: step.tempDir,
    registry,
  });
  try {
    const report = await releasePhase(
      step,
      orderOf(step, plan.meta.planned),
      { build: promoteDigestStep(registry, source.image, digest), registry, sign: sign.hook },
      `Promote ${source.image}@${digest}`,
    );
    core.info(`promoted ${source.image}@${digest} without a build: ${plan.meta.tags.join(', ')}`);
    return outcome({
      digest: report.digest,
      metadata: JSON.stringify({ 'containerimage.digest': report.digest }),
      platforms: inputs.platforms,
      durationMs: Date.now() - started,
      pushed: true,
      refs: plan.meta.images.map((image) => `${image}@${report.digest}`),
      heldBack: heldBackRefs(report),
      ...sign.outcome(),
    });
  } finally {
    for (const warning of step.signing.cleanup()) core.warning(warning);
  }
}
