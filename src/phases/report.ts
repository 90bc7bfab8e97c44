/** The report phase: outputs, job summary and digest artifact, in that order; the dry run's plan. */
import * as core from '@actions/core';
import { expandArtifactName, jobRunId } from '../artifact/name.js';
import type { Inputs } from '../inputs/inputs.js';
import type { Plan } from '../plan.js';
import { artifactExists, digestRecord, uploadDigestArtifact } from '../report/artifact.js';
import { type Outcome } from '../report/outcome.js';
import { setArtifactId, setOutputs } from '../report/outputs.js';
import { summaryMarkdown, writeSummary } from '../report/summary.js';
import type { Step } from '../step.js';
import { errorText } from '../error-text.js';

/** dry-run: the plan as outputs and summary; nothing logged in, built or pushed. */
export async function reportPlan(inputs: Inputs, plan: Plan): Promise<void> {
  core.info('dry-run is true: no login, build or push');
  setOutputs(plan, inputs, undefined);
  if (inputs.summary) await writeSummary(summaryMarkdown(plan, undefined));
}

/** What the route produced: outputs and summary first, then the digest artifact. */
export async function report(step: Step, outcome: Outcome): Promise<void> {
  const { inputs, context, plan, tempDir, artifactName } = step;
  core.info(`digest: ${outcome.digest || '(none)'}`);
  // Outputs and summary first: when the upload fails, later steps still see what was pushed.
  setOutputs(plan, inputs, outcome);
  if (inputs.summary) await writeSummary(summaryMarkdown(plan, outcome));
  if (!artifactName || !outcome.digest) return;
  const record = digestRecord(plan, context, outcome);
  const id = await core.group('Upload digest artifact', async () => {
    try {
      return await uploadDigestArtifact(artifactName, record, tempDir, inputs.networkTimeoutMs);
    } catch (error) {
      const reason = errorText(error);
      throw new Error(
        `artifact-name: could not upload "${artifactName}" (${reason}); the image is pushed and its digest is in the outputs. A workflow run holds each artifact name once: give each job its own artifact-name, or set it empty for none`,
      );
    }
  });
  if (id) setArtifactId(id);
}

/** `artifact-name` with its placeholders filled in for this job and step; '' for none. */
export function digestArtifactName(inputs: Inputs, plan: Plan): string {
  if (!inputs.artifactName) return '';
  const name = expandArtifactName(inputs.artifactName, {
    image: plan.meta.images[0] ?? '',
    job: process.env.GITHUB_JOB ?? '',
    jobRunId: jobRunId(process.env.ACTIONS_RUNTIME_TOKEN ?? ''),
    step: process.env.GITHUB_ACTION ?? '',
  });
  core.debug(`digest artifact name: ${name}`);
  return name;
}

/**
 * Fails before the build when the run already holds an artifact of this name (each name is
 * taken once per workflow run): the upload after the push would fail. A listing that fails
 * only warns; the upload may still work.
 */
export async function checkArtifactName(name: string, timeoutMs: number): Promise<void> {
  if (!name) return;
  let exists = false;
  try {
    exists = await artifactExists(name, timeoutMs);
  } catch (error) {
    core.warning(
      `artifact-name: could not list this run's artifacts (${errorText(error)}); "${name}" is uploaded after the push`,
    );
    return;
  }
  if (exists) {
    throw new Error(
      `artifact-name: this workflow run already has an artifact "${name}" (uploaded by another job or an earlier step), and a run holds each name once; nothing was built or pushed. Give each job or step its own artifact-name (the default, image-digest-{{image}}-{{job}}, is one per image, job and step), or set it empty for none`,
    );
  }
}
