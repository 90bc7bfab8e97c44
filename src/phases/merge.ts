/** The merge route: the group's platform records checked, one index made of them, released. */
import * as core from '@actions/core';
import { downloadFile, listRunArtifacts } from '../artifact/client.js';
import { noArtifactService } from '../artifact/name.js';
import { copyImage, splitTagRef } from '../publish/promote.js';
import {
  buildIndex,
  configPlatform,
  groupArtifactPrefix,
  indexAnnotations,
  indexEntries,
  type IndexEntry,
} from '../release/merge.js';
import {
  checkRecords,
  mergeRefused,
  parseRecord,
  RECORD_FILE,
  shown,
  type FoundRecord,
  type PlatformRecord,
} from '../release/merge-records.js';
import { revisionLabel, verifyRecords } from '../release/merge-verify.js';
import { outcome } from '../report/outcome.js';
import type { Outcome } from '../report/outcome.js';
import type { Step } from '../step.js';
import { heldBackRefs, orderOf, releasePhase } from './release.js';
import { errorText } from '../error-text.js';

/**
 * The merge step of a group: the platform jobs' records from the run's artifacts, checked
 * against `platforms`; every platform image made present in every image repository (copied
 * from another where a job did not push it); one index of them (attestations kept), released
 * by the transaction as a build is: immutable tags verified, then moving tags forward only.
 * Nothing is written before every record is checked.
 */
export async function mergeGroup(step: Step): Promise<Outcome> {
  if (step.gated) {
    core.warning(
      'merge: test and test-target do not run in the merge step, which builds nothing: each platform job ran them on its platform (see the table of platforms in the summary)',
    );
  }
  try {
    return await mergeRelease(step);
  } finally {
    for (const warning of step.signing.cleanup()) core.warning(warning);
  }
}

async function mergeRelease(step: Step): Promise<Outcome> {
  const { inputs, plan, registry } = step;
  const group = inputs.mergeGroup;
  const started = Date.now();
  if (!plan.push) {
    core.info(`merge: nothing to merge: ${plan.pushReason}, so the platform jobs pushed nothing`);
    return outcome({ digest: '', pushed: false, platforms: inputs.platforms });
  }
  const images = plan.meta.images;
  // Set up before anything is read or written: a key that cannot be read fails here.
  const sign = await step.signing.prepare({
    dockerConfig: step.dockerConfig,
    tempDir: step.tempDir,
    registry,
  });
  const { records, held } = await core.group(`Digests of merge-group ${group}`, () =>
    groupRecords(step),
  );
  const index = await core.group(`Index of ${records.map((r) => r.platform).join(', ')}`, () =>
    mergedIndex(step, records, held),
  );
  const report = await releasePhase(
    step,
    orderOf(step, plan.meta.planned),
    {
      build: async (refs) => {
        for (const ref of refs) {
          const [image, tag] = splitTagRef(ref);
          await registry.putManifest(image, tag, index);
          core.info(`tagged ${ref} (index ${index.digest})`);
        }
        return index.digest;
      },
      registry,
      sign: sign.hook,
    },
    `Release merge-group ${group}`,
  );
  core.info(
    `released ${report.digest} (${records.length} platforms): ${plan.meta.tags.join(', ')}`,
  );
  return outcome({
    digest: report.digest,
    metadata: JSON.stringify({
      'containerimage.digest': report.digest,
      'containerimage.descriptor': {
        mediaType: index.mediaType,
        digest: index.digest,
        size: index.body.length,
      },
      platforms: records.map((r) => ({ platform: r.platform, digest: r.digest })),
    }),
    platforms: records.map((r) => r.platform),
    durationMs: Date.now() - started,
    pushed: true,
    refs: images.map((image) => `${image}@${report.digest}`),
    heldBack: heldBackRefs(report),
    merged: { group, platforms: records },
    ...sign.outcome(),
  });
}

/**
 * The group's platform records from this run's artifacts, each checked on its own, against the
 * others and against what the registries hold; every problem refused at once, before anything
 * is written.
 */
async function groupRecords(
  step: Step,
): Promise<{ records: PlatformRecord[]; held: Map<string, string[]> }> {
  const { inputs, context, tempDir, plan, registry } = step;
  const group = inputs.mergeGroup;
  const timeoutMs = inputs.networkTimeoutMs;
  const unavailable = noArtifactService(process.env);
  if (unavailable) {
    throw new Error(
      `merge: the digests of merge-group "${group}" are workflow artifacts, and ${unavailable}; nothing was pushed`,
    );
  }
  const prefix = groupArtifactPrefix(group);
  const artifacts = (await listRunArtifacts(timeoutMs)).filter((a) => a.name.startsWith(prefix));
  const found: FoundRecord[] = [];
  for (const artifact of artifacts) {
    try {
      const text = await downloadFile(artifact, RECORD_FILE, tempDir, timeoutMs);
      const record = parseRecord(text, artifact.name);
      core.info(
        `${artifact.name}: ${shown(record.platform)} ${shown(record.status)} ${shown(record.digest)} (job ${shown(record.job)}, attempt ${shown(record.runAttempt)}, test ${shown(record.test)})`,
      );
      found.push({ artifact: artifact.name, record });
    } catch (error) {
      found.push({
        artifact: artifact.name,
        problem: errorText(error),
      });
    }
  }
  const checked = checkRecords(found, {
    group,
    runId: context.runId,
    runAttempt: Number(context.runAttempt) || 1,
    revision: context.sha,
    platforms: inputs.platforms,
  });
  for (const name of checked.skipped) core.info(`${name}: of another merge-group; not this one's`);
  const verified = await verifyRecords(
    checked.records,
    plan.meta.images,
    registry,
    revisionLabel(plan.meta.labels),
  );
  const problems = [...checked.problems, ...verified.problems];
  if (problems.length > 0) throw mergeRefused(group, problems);
  return { records: checked.records, held: verified.held };
}

/** Every platform image made present in every repository; the index of them, not yet written. */
async function mergedIndex(
  step: Step,
  records: PlatformRecord[],
  /** Per digest, the repositories that hold it (checked by groupRecords). */
  holders: Map<string, string[]>,
): Promise<ReturnType<typeof buildIndex>> {
  const { registry, plan } = step;
  const images = plan.meta.images;
  const entries: IndexEntry[] = [];
  for (const record of records) {
    const held = holders.get(record.digest)!;
    for (const image of images.filter((i) => !held.includes(i))) {
      const manifest = await copyImage(registry, held[0], image, record.digest);
      await registry.putManifest(image, record.digest, manifest);
      core.info(`${image}: copied ${record.platform} ${record.digest} from ${held[0]}`);
    }
    const manifest = await registry.getManifest(held[0], record.digest);
    const doc = JSON.parse(manifest.body.toString('utf8')) as { config?: { digest?: string } };
    const platform = doc.config?.digest
      ? configPlatform(await registry.getBlob(held[0], doc.config.digest))
      : undefined;
    entries.push(...indexEntries(manifest.body, record.digest, manifest.mediaType, platform));
  }
  const built = buildIndex(entries, indexAnnotations(plan.meta.annotations));
  core.info(`index ${built.digest} (${built.mediaType}): ${entries.length} manifests`);
  return built;
}
