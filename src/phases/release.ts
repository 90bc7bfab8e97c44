/** The release phase: the transaction in a log group, its forward-only options, the failed-push summary. */
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { otherRunsInProgress } from '../github/runs.js';
import { PushError, refName } from '../release/stage.js';
import { retryPolicy } from '../retry.js';
import { isAncestor } from '../git/ancestry.js';
import { identityOf, pushedAncestry } from '../release/forward.js';
import { releaseOrder, stagingTag, type ReleaseOrder } from '../release/order.js';
import {
  release,
  type ReleaseReport,
  type ReleaseOptions,
  type ReleaseRunner,
} from '../release/transaction.js';
import { MOVED_RECORD } from '../names.js';
import { failedPushMarkdown, writeSummary } from '../report/summary.js';
import type { RaceCheck } from '../release/move.js';
import type { PostRecord } from './recheck.js';
import type { Step } from '../step.js';
import { withScan } from './scan.js';
import { retriedBuild, type BuildRetry } from './build-retry.js';
import type { PlannedTag } from '../tags/index.js';
import { errorText } from '../error-text.js';

/** The release order of every image of the plan under `tags`, with this run's staging tag. */
export function orderOf(step: Step, tags: PlannedTag[]): ReleaseOrder {
  const { context } = step;
  return releaseOrder(
    step.plan.meta.images.map((image) => ({ image, tags })),
    stagingTag(context.runId, context.runAttempt, new Date(), randomBytes(4).toString('hex')),
  );
}

/** How the build step of a release is retried for these inputs, and its refusals explained. */
export function buildRetry(step: Step): BuildRetry {
  return { retry: retryPolicy(step.inputs.retries), credentials: step.credentials.lookup };
}

/** How the release transaction runs for these inputs: forward-only moves. */
export function releaseOptions(step: Step): ReleaseOptions {
  const { inputs, plan, context } = step;
  const labels = Object.fromEntries(
    plan.meta.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  return {
    move: {
      ours: identityOf(labels),
      force: inputs.forceMovingTags,
      // The checkout's history first; then what the push event says about its commits.
      ancestry: async (older, newer) => {
        const found = await isAncestor(workspace, older, newer, inputs.networkTimeoutMs);
        return found === 'unknown' ? pushedAncestry(context.payload, older, newer) : found;
      },
      racing: () => racing(step),
      settleMs: MOVE_SETTLE_MS,
    },
  };
}

/**
 * How long the moving-tag step waits before reading its tags back when another run of the
 * workflow is known to be in progress: longer than another run takes between reading a tag and
 * writing it, so a race between two runs ends with the newer.
 */
const MOVE_SETTLE_MS = 1500;

/** Whether another run of this workflow is in progress, asked of the GitHub API. */
async function racing(step: Step): Promise<RaceCheck> {
  try {
    const others = await otherRunsInProgress({
      apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
      repository: step.context.repository.fullName,
      workflowRef: process.env.GITHUB_WORKFLOW_REF ?? '',
      runId: step.context.runId,
      token: step.inputs.githubToken,
      timeoutMs: step.inputs.networkTimeoutMs,
    });
    return others === 0
      ? { others: 'none', detail: 'no other run of this workflow is in progress' }
      : { others: 'some', detail: `${others} other run(s) of this workflow in progress` };
  } catch (error) {
    const reason = errorText(error);
    return {
      others: 'unknown',
      detail: `whether another run of this workflow is in progress could not be read (${reason}); the post step reads the moved tags once more (give the job actions: read, or a concurrency group)`,
    };
  }
}

/**
 * Leaves the moved tags for the post step to read once more, when another run may have raced
 * this one: an older release's write that landed after the read-back is undone there.
 */
function leaveForPost(step: Step, report: ReleaseReport, options: ReleaseOptions): void {
  const refs = report.moved;
  if (refs.length === 0 || options.move.force || report.race?.others === 'none') return;
  const record: PostRecord = {
    digest: report.digest,
    ours: options.move.ours,
    refs,
    timeoutMs: step.inputs.networkTimeoutMs,
    retries: step.inputs.retries,
  };
  writeFileSync(join(step.tempDir, MOVED_RECORD), JSON.stringify(record));
  core.info('the post step reads the moved tags once more: another run may have raced this one');
}

/**
 * The release transaction (src/release/) in a log group; a failure writes the failed-push
 * summary (what each registry got, what was put back) and fails the step.
 */
export async function releasePhase(
  step: Step,
  order: ReleaseOrder,
  runner: ReleaseRunner,
  title = 'Release',
): Promise<ReleaseReport> {
  const { inputs, plan } = step;
  try {
    // With `scan`, nothing is tagged before the staged digest passed the scan.
    const scanned = {
      ...runner,
      build: withScan(step, retriedBuild(runner.build, buildRetry(step))),
    };
    const options = releaseOptions(step);
    const report = await core.group(title, () => release(order, scanned, options));
    leaveForPost(step, report, options);
    for (const held of report.heldBack) {
      core.warning(
        `held back ${refName(held.ref)}: ${held.reason}; set force-moving-tags: true to move it anyway`,
      );
    }
    return report;
  } catch (error) {
    if (error instanceof PushError && inputs.summary) {
      await writeSummary(failedPushMarkdown(plan, error.report, error.reason));
    }
    throw error;
  }
}

/** The moving tags a release left where they were, as `image:tag`. */
export function heldBackRefs(report: ReleaseReport): string[] {
  return report.heldBack.map((h) => refName(h.ref));
}
