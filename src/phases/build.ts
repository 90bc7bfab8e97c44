/**
 * The default route: the image built (and tested), then released by the transaction; or, with
 * `reuse`, the image of the same source fingerprint promoted without a build.
 */
import * as core from '@actions/core';
import { join } from 'node:path';
import { evaluatesOnly } from '../inputs/buildx.js';
import { build, type BuildResult } from '../docker/build.js';
import { refName } from '../release/stage.js';
import { immutableRefs } from '../release/immutable.js';
import { buildxArgs } from '../docker/buildx-args.js';
import { pushTestedImage } from '../gate/push-tested.js';
import { promoteStep } from '../publish/promote.js';
import { RegistryClient } from '../registry/client.js';
import { removeSecretFiles, writeSecretFiles, type SecretFile } from '../docker/secrets.js';
import { fingerprintTag } from '../fingerprint/index.js';
import { withIndexDefaults } from '../tags/index-level.js';
import { builtOutcome } from '../report/outcome.js';
import type { Outcome } from '../report/outcome.js';
import type { Step } from '../step.js';
import { findReusable, reportFingerprint, sourceFingerprint } from './fingerprint.js';
import { platformJob } from './platform-job.js';
import { guardImmutable, readHeld, recordPartialPush, recordSource } from './immutable.js';
import { heldBackRefs, orderOf, releasePhase } from './release.js';
import { warmMoving } from './read-ahead.js';
import { errorText } from '../error-text.js';
import { promotePhase } from './reuse.js';
import { testPhase, type BuildWith } from './test.js';

/** Builds (tests) and releases the image, or promotes the one of the same fingerprint. */
export async function buildOrReuse(step: Step): Promise<Outcome> {
  const { inputs, plan, tempDir, signing } = step;
  const secretsDir = join(tempDir, 'secrets');
  const buildWith = builds(step, writeSecretFiles(inputs.secrets, inputs.secretFiles, secretsDir));
  // Beside the build: how each registry authenticates (a token for the push), so the checks
  // after the build start authenticated. Given up at the end of this phase: a registry that does
  // not answer must not keep a failed step waiting.
  const warmUp = new AbortController();
  try {
    if (evaluatesOnly(inputs.call)) {
      // `call: check` and the like: buildx reports on the build and makes no image to test or push.
      const result = await buildWith(
        { tags: [], push: false, load: false },
        `Build (call ${inputs.call})`,
      );
      core.info(`buildx evaluated the build (call ${inputs.call}); no image was made`);
      return builtOutcome(result, { pushed: false, platforms: inputs.platforms });
    }
    if (plan.push) void step.registry.warmUp(plan.meta.images, warmUp.signal);
    return await route(step, buildWith);
  } finally {
    warmUp.abort();
    for (const warning of signing.cleanup()) core.warning(warning);
    for (const warning of removeSecretFiles(secretsDir)) core.warning(warning);
  }
}

/** One build with the step's build arguments; files of their own per build. */
function builds(step: Step, secrets: SecretFile[]): BuildWith {
  const { inputs, plan, tempDir, dockerConfig, driver } = step;
  let count = 0;
  return async (overrides, title) => {
    // Files of their own per build: one that buildx leaves unwritten is not read from the last.
    count++;
    const metadataFile = join(tempDir, `metadata-${count}.json`);
    const iidFile = join(tempDir, `iid-${count}.txt`);
    const platforms = overrides.platforms ?? inputs.platforms;
    const args = buildxArgs({
      ...inputs,
      labels: plan.meta.labels,
      // An index of several platforms carries the description, source and version too.
      annotations: withIndexDefaults(plan.meta.annotations, platforms),
      tags: [],
      push: false,
      load: inputs.load,
      secrets,
      metadataFile,
      iidFile,
      driver,
      ...overrides,
    });
    return core.group(title, () => build(args, { dockerConfig, metadataFile, iidFile }));
  };
}

async function route(step: Step, buildWith: BuildWith): Promise<Outcome> {
  const { inputs, plan, group, gated } = step;
  // Needed before the build only to look for an image to reuse; otherwise it is computed beside
  // the build (base image lookups are network round trips) and logged after it.
  const reuse = inputs.reuse && plan.push;
  // Beside the build, the lookups are not retried and wait 10 s at most: a slow base registry
  // must not hold up a finished build, nor the end of a failed one.
  const lookups = reuse
    ? step.registry
    : new RegistryClient({
        credentials: step.credentials.lookup,
        timeoutMs: Math.min(inputs.networkTimeoutMs, 10_000),
      });
  const fingerprinting = sourceFingerprint(step, lookups);
  const fingerprint = reuse ? reportFingerprint(await fingerprinting, true) : '';
  const withFingerprint = async (outcome: Outcome): Promise<Outcome> =>
    reuse ? outcome : { ...outcome, fingerprint: reportFingerprint(await fingerprinting, false) };

  if (!plan.push) {
    // Without images the tags are planned bare (outputs only): the engine's image gets none.
    const tags = group || plan.meta.images.length === 0 ? [] : plan.meta.tags;
    const tested = gated ? await testPhase(step, tags, buildWith, group?.platform) : undefined;
    const result =
      tested?.result ??
      (await buildWith(
        group ? { tags: [], push: false, platforms: [group.platform] } : { tags, push: false },
        'Build',
      ));
    core.info(`built ${result.imageId}; not pushed: ${plan.pushReason}`);
    return withFingerprint(
      builtOutcome(result, { pushed: false, platforms: inputs.platforms, fingerprint }, tested),
    );
  }
  if (group?.artifact) {
    return platformJob(step, group, buildWith, fingerprint).then(withFingerprint);
  }
  // With reuse, every image also gets the fingerprint tag, an immutable one.
  const fpTag = inputs.reuse && fingerprint ? fingerprintTag(fingerprint) : '';
  const order = orderOf(
    step,
    fpTag ? [...plan.meta.planned, { name: fpTag, moving: false }] : plan.meta.planned,
  );
  // Beside the signing set-up: what each immutable tag holds (a re-run, a changed source).
  const immutable = immutableRefs(order, fpTag);
  const held = readHeld(step.before ?? step.registry, immutable);
  warmMoving(step.registry, order.moving);
  // Set up before the build (cosign found or installed, the key read): a key that cannot be
  // read fails before anything is pushed. Every release call below gets its hook.
  const sign = await step.signing.prepare({
    dockerConfig: step.dockerConfig,
    tempDir: step.tempDir,
    registry: step.registry,
  });
  const found = fpTag ? await findReusable(step.registry, plan.meta.images[0], fpTag) : undefined;
  const kept = await guardImmutable(
    step.registry,
    plan.meta.images,
    await held,
    () => fingerprinting,
    inputs.force,
  );
  if (kept) return promotePhase(step, order, { ...kept, sign, source: kept.image });
  if (found) return promotePhase(step, order, { digest: found, fingerprint, fpTag, sign });
  // Without reuse the fingerprint tag is not pushed by the build: it is recorded after it, so a
  // re-run can tell that the image its immutable tags hold came from the same source.
  const heldBefore = await held;
  const recording = async (): Promise<string> => {
    const { hash } = await fingerprinting;
    return fpTag || !hash || immutable.length === 0 ? '' : fingerprintTag(hash);
  };
  // With `scan` the image is staged untagged and scanned first: its source is recorded only
  // once the release passed the scan, so a failed scan leaves no tag at all.
  const recordNow = async (digest: string): Promise<void> => {
    const tag = await recording();
    if (tag) await recordSource(step.registry, plan.meta.images, digest, tag);
  };
  const recordBeside = (digest: string): Promise<void> =>
    recordNow(digest).catch((error: unknown) => {
      core.warning(`could not record the source of ${digest}: ${errorText(error)}`);
    });
  // A release that failed after its push (part of it, or before its checks, its signature or
  // its moving tags passed): what the immutable tags now hold is recorded, so a re-run of the
  // same source can release it.
  const recordFailed = async <T>(push: Promise<T>): Promise<T> =>
    push.catch(async (error: unknown) => {
      const tag = await recording();
      if (tag) await recordPartialPush(step.registry, immutable, heldBefore, tag);
      throw error;
    });

  // With a test gate the image is built and tested first; the release sends that image.
  // Other drivers than docker push the image untagged to the first repository and test that.
  const tested = gated
    ? await testPhase(step, order.stage.map(refName), buildWith, undefined, plan.meta.images[0])
    : undefined;
  let result: BuildResult | undefined = tested?.result;
  const report = await recordFailed(
    releasePhase(step, order, {
      build: async (refs) => {
        if (tested?.pushed) {
          const { image, digest } = tested.pushed;
          await promoteStep(step.registry, image, digest)(refs);
          return digest;
        }
        if (tested) {
          return pushTestedImage(
            tested,
            refs,
            step.dockerConfig,
            step.registry,
            join(step.tempDir, 'image'),
          );
        }
        result = await buildWith({ tags: refs, push: true }, 'Build');
        return result.digest;
      },
      registry: step.registry,
      sign: sign.hook,
      // Beside the moving tags' writes; with `scan`, once the scan passed (below).
      ...(inputs.scan ? {} : { record: recordBeside }),
    }),
  );
  if (inputs.scan) await recordNow(report.digest);
  if (!result) throw new Error('the push finished without a build');
  const refs = plan.meta.images.map((image) => `${image}@${report.digest}`);
  core.info(`pushed and verified ${report.digest}: ${plan.meta.tags.join(', ')}`);
  return withFingerprint(
    builtOutcome(
      { ...result, digest: report.digest },
      {
        pushed: true,
        platforms: inputs.platforms,
        refs,
        fingerprint,
        heldBack: heldBackRefs(report),
        ...sign.outcome(),
      },
      tested,
    ),
  );
}
