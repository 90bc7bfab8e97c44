/** The merge-group route: one platform built and tested, pushed by digest, recorded for the merge. */
import * as core from '@actions/core';
import { join } from 'node:path';
import {
  deleteRunArtifact,
  downloadFile,
  listRunArtifacts,
  uploadFiles,
} from '../artifact/client.js';
import { noArtifactService } from '../artifact/name.js';
import type { Context } from '../context/context.js';
import type { BuildResult } from '../docker/build.js';
import { pullImage, testReusedImage, type Tested } from '../gate/run.js';
import { pushTestedImage } from '../gate/push-tested.js';
import { copyImage, promoteStep } from '../publish/promote.js';
import { enginePlatform } from '../docker/test-run.js';
import { fingerprintTag } from '../fingerprint/index.js';
import type { Inputs } from '../inputs/inputs.js';
import { outcome } from '../report/outcome.js';
import { jobPlatform, platformArtifactName } from '../release/merge.js';
import {
  failureReason,
  parseRecord,
  RECORD_FILE,
  RECORD_SCHEMA,
  type PlatformRecord,
} from '../release/merge-records.js';
import type { Outcome } from '../report/outcome.js';
import type { GroupArtifact, Step } from '../step.js';
import { digestOutput, type TestReport } from '../gate/spec.js';
import { TestError } from '../gate/run.js';
import { findReusable } from './fingerprint.js';
import { reportingTests, testPhase, type BuildWith } from './test.js';
import { errorText } from '../error-text.js';

/**
 * A platform job's platform and artifact, claimed before the build: a job of this run attempt
 * that already built the platform is an error; a record of an earlier attempt (the job is
 * rerun) is deleted, so that the merge never takes an image this attempt did not make.
 */
export async function claimPlatform(
  inputs: Inputs,
  context: Context,
  dockerConfig: string,
  tempDir: string,
  push: boolean,
): Promise<GroupArtifact> {
  const group = inputs.mergeGroup;
  const native = inputs.platforms.length === 1 ? '' : await enginePlatform(dockerConfig);
  const platform = jobPlatform(inputs.platforms, native, group);
  if (!push) return { platform, artifact: '' };
  const artifact = platformArtifactName(group, platform);
  const unavailable = noArtifactService(process.env);
  if (unavailable) {
    throw new Error(
      `merge-group: a platform job hands its digest to the merge step in a workflow artifact, and ${unavailable}; nothing was built or pushed. Build every platform in one job instead (platforms: linux/amd64,linux/arm64 on the containerd image store, or a docker-container builder)`,
    );
  }
  const timeoutMs = inputs.networkTimeoutMs;
  const existing = (await listRunArtifacts(timeoutMs)).find((a) => a.name === artifact);
  if (!existing) return { platform, artifact };
  const attempt = Number(context.runAttempt) || 1;
  const record = parseRecord(
    await downloadFile(existing, RECORD_FILE, tempDir, timeoutMs),
    artifact,
  );
  if (record.runAttempt >= attempt) {
    throw new Error(
      `merge-group: the job "${record.job}" of this run already built ${platform} for the group "${group}" (artifact "${artifact}"); nothing was built or pushed. Give each job of the group its own platform`,
    );
  }
  await deleteRunArtifact(artifact, timeoutMs);
  core.info(
    `merge-group: removed "${artifact}" of run attempt ${record.runAttempt} (${record.status === 'failed' ? 'failed' : record.digest}): this attempt's ${platform} replaces it`,
  );
  return { platform, artifact };
}

/** The platform image in every repository by digest: what was pushed and how. */
interface Placed {
  digest: string;
  result?: BuildResult;
  tested?: Tested;
  /** The test of a reused image. */
  test?: TestReport;
  /** The fingerprint tag it was promoted from; absent when built. */
  reused?: { tag: string; image: string };
}

/**
 * A platform job of a merge group: builds and tests its one platform on this runner (or
 * promotes the image of the same fingerprint), puts it in every image repository by digest,
 * checks each holds the tested image, and records the digest in the group's artifact. No tag
 * is written but the fingerprint tag of `reuse`; the merge step writes the others.
 */
export async function platformJob(
  step: Step,
  group: GroupArtifact,
  buildWith: BuildWith,
  fingerprint: string,
): Promise<Outcome> {
  const { inputs, plan, tempDir } = step;
  const { platform } = group;
  const images = plan.meta.images;
  const started = Date.now();
  const common = recordOf(step, platform, fingerprint);
  let placed: Placed;
  try {
    placed = await place(step, platform, buildWith, fingerprint);
    await readBack(step, placed);
  } catch (error) {
    // The merge must not release the group's other platforms without this one, with or
    // without `platforms`: the job's failure is recorded for it.
    await uploadFailure(step, group.artifact, common, error);
    throw error;
  }
  const { digest, result, tested, test } = placed;
  core.info(`${platform}: ${digest} is in ${images.join(', ')} by digest, with no tag`);

  const record: PlatformRecord = {
    ...common,
    status: 'pushed',
    digest,
    test: placed.reused
      ? test
        ? 'reused, tested again'
        : 'reused'
      : step.gated
        ? 'passed'
        : 'skipped',
    testDurationMs: (tested?.report ?? test)?.runs.reduce((sum, r) => sum + r.durationMs, 0) ?? 0,
    reusedFrom: placed.reused ? `${placed.reused.image}:${placed.reused.tag}` : '',
  };
  await core.group(`Upload the digest for merge-group ${inputs.mergeGroup}`, async () => {
    try {
      await uploadFiles(
        group.artifact,
        { [RECORD_FILE]: JSON.stringify(record, null, 2) + '\n' },
        tempDir,
        inputs.networkTimeoutMs,
      );
    } catch (error) {
      const reason = errorText(error);
      throw new Error(
        `merge-group: could not upload "${group.artifact}" (${reason}); ${digest} is in the registries by digest, with no tag, and the merge step will not find it. Rerun this job`,
      );
    }
  });
  return outcome({
    digest,
    imageId: tested?.configDigest ?? result?.imageId ?? '',
    metadata: result?.metadata ?? JSON.stringify({ 'containerimage.digest': digest }),
    platforms: [platform],
    durationMs: result?.durationMs ?? Date.now() - started,
    pushed: true,
    refs: images.map((image) => `${image}@${digest}`),
    // A build without test or test-target ran no test, though it went through the gate's build.
    test: step.gated ? (tested?.report ?? test) : undefined,
    fingerprint,
    ...(placed.reused ? { reused: placed.reused } : {}),
    platformJob: { group: inputs.mergeGroup, platform, artifact: group.artifact },
  });
}

/** What every record of this job says, pushed or failed. */
function recordOf(step: Step, platform: string, fingerprint: string): PlatformRecord {
  const { inputs, context, plan } = step;
  return {
    schema: RECORD_SCHEMA,
    group: inputs.mergeGroup,
    platform,
    status: 'failed',
    reason: '',
    digest: '',
    images: plan.meta.images,
    revision: context.sha,
    runId: context.runId,
    runAttempt: Number(context.runAttempt) || 1,
    job: process.env.GITHUB_JOB ?? '',
    runner: {
      name: process.env.RUNNER_NAME ?? '',
      os: process.env.RUNNER_OS ?? '',
      arch: process.env.RUNNER_ARCH ?? '',
    },
    test: '',
    testDurationMs: 0,
    reusedFrom: '',
    fingerprint,
  };
}

/** What every repository holds, read back: the record names only a digest that is there. */
async function readBack(step: Step, { digest, tested }: Placed): Promise<void> {
  // A tested image was checked in every repository by its push already.
  await Promise.all(
    (tested && !tested.pushed ? [] : step.plan.meta.images).map(async (image) => {
      const held = await step.registry.manifestDigest(image, digest);
      if (held !== digest) {
        throw new Error(
          `${image}@${digest} is ${held ? `the image ${held}` : 'missing'} after the push: nothing is recorded for the merge step`,
        );
      }
    }),
  );
}

/** Every secret value of the inputs: none may reach the record. */
function secretValues(inputs: Step['inputs']): string[] {
  return [
    inputs.password,
    inputs.githubToken,
    inputs.signKey,
    inputs.signKeyPassword,
    ...inputs.registryAuth.map((a) => a.password),
    ...inputs.secrets.map((s) => s.value),
    ...inputs.testEnv.map((v) => v.value),
  ];
}

/** The failed job's record, uploaded for the merge step; a failed upload only warns. */
async function uploadFailure(
  step: Step,
  artifact: string,
  common: PlatformRecord,
  error: unknown,
): Promise<void> {
  const message = errorText(error);
  const record: PlatformRecord = {
    ...common,
    status: 'failed',
    reason: failureReason(message, secretValues(step.inputs)),
    test: error instanceof TestError ? 'failed' : step.gated ? 'not run' : 'skipped',
    testDurationMs:
      error instanceof TestError ? error.report.runs.reduce((sum, r) => sum + r.durationMs, 0) : 0,
  };
  await core.group(`Record the failure for merge-group ${common.group}`, async () => {
    try {
      await uploadFiles(
        artifact,
        { [RECORD_FILE]: JSON.stringify(record, null, 2) + '\n' },
        step.tempDir,
        step.inputs.networkTimeoutMs,
      );
      core.info(`${common.platform}: recorded as failed, so the merge step refuses the group`);
    } catch (upload) {
      core.warning(
        `merge-group: could not record the failure in "${artifact}" (${errorText(upload)}); a merge step without platforms would not see this platform is missing: give the merge step platforms`,
      );
    }
  });
}

/** The platform image put in every repository by digest: promoted, tested and pushed, or built by digest. */
async function place(
  step: Step,
  platform: string,
  buildWith: BuildWith,
  fingerprint: string,
): Promise<Placed> {
  const { inputs, plan, registry, dockerConfig, driver } = step;
  const images = plan.meta.images;
  const fpTag = inputs.reuse && fingerprint ? fingerprintTag(fingerprint) : '';
  const fpRefs = fpTag ? images.map((image) => `${image}:${fpTag}`) : [];
  const found = fpTag ? await findReusable(registry, images[0], fpTag) : undefined;
  if (found) {
    const ref = `${images[0]}@${found}`;
    let test: TestReport | undefined;
    if (step.gated && inputs.testOnReuse) {
      const imageId = await pullImage(ref, dockerConfig);
      test = await reportingTests(inputs, plan, (onContainer) =>
        testReusedImage(inputs, ref, imageId, { dockerConfig, onContainer, platform }),
      );
    }
    const digest = await core.group(`Promote ${images[0]}:${fpTag}`, () =>
      promoteStep(registry, images[0], found)(fpRefs),
    );
    return { digest, test, reused: { tag: fpTag, image: images[0] } };
  }
  if (driver === 'docker') {
    const tested = await testPhase(step, [], buildWith, platform);
    const layout = join(step.tempDir, 'image');
    const digest = await pushTestedImage(tested, fpRefs, dockerConfig, registry, layout, images);
    return { digest, tested, result: tested.result };
  }
  if (step.gated) {
    // Pushed untagged to the first repository, pulled and tested there, then copied.
    const tested = await testPhase(step, [], buildWith, platform, images[0]);
    const digest = tested.configDigest;
    for (const image of images.slice(1)) {
      await registry.putManifest(
        image,
        digest,
        await copyImage(registry, images[0], image, digest),
      );
    }
    await promoteStep(registry, images[0], digest)(fpRefs);
    return { digest, tested, result: tested.result };
  }
  const result = await buildWith(
    { tags: [], push: false, load: false, platforms: [platform], outputs: [digestOutput(images)] },
    'Build and push by digest',
  );
  if (!result.digest) throw new Error('buildx reported no digest for the image pushed by digest');
  await promoteStep(registry, images[0], result.digest)(fpRefs);
  return { digest: result.digest, result };
}
