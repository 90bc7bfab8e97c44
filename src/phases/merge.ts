/** The merge route: the group's platform records checked, one index made of them, released. */
import * as core from '@actions/core';
import { downloadFile, listRunArtifacts } from '../artifact/client.js';
import { noArtifactService } from '../artifact/name.js';
import { copyImage, splitTagRef } from '../publish/promote.js';
import {
  buildIndex,
  checkRecords,
  configPlatform,
  groupArtifactPrefix,
  indexAnnotations,
  indexEntries,
  parseRecord,
  RECORD_FILE,
  type IndexEntry,
  type PlatformRecord,
} from '../release/merge.js';
import { outcome } from '../outcome.js';
import type { Outcome } from '../report/report.js';
import type { Step } from '../step.js';
import { heldBackRefs, orderOf, releasePhase } from './release.js';

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
  const records = await core.group(`Digests of merge-group ${group}`, () => groupRecords(step));
  const index = await core.group(`Index of ${records.map((r) => r.platform).join(', ')}`, () =>
    mergedIndex(step, records),
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

/** The group's platform records from this run's artifacts, checked before anything is written. */
async function groupRecords(step: Step): Promise<PlatformRecord[]> {
  const { inputs, context, tempDir } = step;
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
  const found: PlatformRecord[] = [];
  for (const artifact of artifacts) {
    const record = parseRecord(
      await downloadFile(artifact, RECORD_FILE, tempDir, timeoutMs),
      artifact.name,
    );
    core.info(
      `${artifact.name}: ${record.platform} ${record.digest} (job ${record.job || '?'}, attempt ${record.runAttempt}, test ${record.test})`,
    );
    found.push(record);
  }
  return checkRecords(found, inputs.platforms, group, context.sha);
}

/** Every platform image made present in every repository; the index of them, not yet written. */
async function mergedIndex(
  step: Step,
  records: PlatformRecord[],
): Promise<ReturnType<typeof buildIndex>> {
  const { registry, plan } = step;
  const images = plan.meta.images;
  // Where each platform image is: checked in every repository before anything is written.
  const holders = new Map<string, string[]>();
  for (const record of records) {
    const held: string[] = [];
    for (const image of images) {
      if ((await registry.manifestDigest(image, record.digest)) === record.digest) held.push(image);
    }
    if (held.length === 0) {
      throw new Error(
        `merge: the ${record.platform} image ${record.digest} is in none of ${images.join(', ')} (its job pushed to ${record.images.join(', ') || 'nothing'}); give the merge step and the platform jobs the same images. Nothing was pushed`,
      );
    }
    holders.set(record.digest, held);
  }
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
