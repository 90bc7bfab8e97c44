/** The step outputs, set in one place. */
import * as core from '@actions/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inputs } from '../inputs/inputs.js';
import { Output } from '../names.js';
import type { AttestationPush } from '../sign/referrers.js';
import type { Plan } from '../plan.js';
import {
  BAKE_FILES,
  bakeDefinitions,
  metadataEnv,
  metadataEnvName,
  metaOutputs,
} from '../tags/outputs.js';
import { SKIPPED, testOutputs, type TestReport } from '../gate/spec.js';

import type { ChainTargetOutcome, Outcome, SigningReport } from './outcome.js';

/** Sets every output of the step, in one place. */
export function setOutputs(plan: Plan, inputs: Inputs, outcome: Outcome | undefined): void {
  const meta = metaOutputs(plan.meta, {
    tags: inputs.sepTags,
    labels: inputs.sepLabels,
    annotations: inputs.sepAnnotations,
  });
  core.setOutput(Output.version, meta.version);
  core.setOutput(Output.tags, meta.tags);
  core.setOutput(Output.tagNames, meta['tag-names']);
  core.setOutput(Output.labels, meta.labels);
  core.setOutput(Output.annotations, meta.annotations);
  core.setOutput(Output.json, meta.json);
  if (plan.outputEnv) {
    // As metadata-action (DOCKER_METADATA_SET_OUTPUT_ENV=false turns it off): later steps read them.
    const sep = {
      tags: inputs.sepTags,
      labels: inputs.sepLabels,
      annotations: inputs.sepAnnotations,
    };
    for (const [name, value] of Object.entries(metadataEnv(plan.meta, sep))) {
      core.exportVariable(name, value);
    }
    // metadata-action's bake definitions, in files that outlive the step (as its own do).
    const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'docker-metadata-action-'));
    const definitions = bakeDefinitions(plan.meta, inputs.bakeTarget);
    for (const [output, suffix] of BAKE_FILES) {
      const file = join(dir, `docker-metadata-action-bake${suffix}.json`);
      writeFileSync(file, definitions[output]);
      core.exportVariable(metadataEnvName(output), file);
    }
  }
  core.setOutput(Output.digest, outcome?.digest ?? '');
  core.setOutput(Output.imageId, outcome?.imageId ?? '');
  core.setOutput(Output.metadata, outcome?.metadata ?? '');
  core.setOutput(Output.refs, (outcome?.refs ?? []).join('\n'));
  core.setOutput(Output.pushed, String(outcome?.pushed ?? false));
  core.setOutput(Output.reused, String(Boolean(outcome?.reused)));
  core.setOutput(Output.fingerprint, outcome?.fingerprint ?? '');
  core.setOutput(Output.heldBack, (outcome?.heldBack ?? []).join('\n'));
  const signing = outcome ? signingOutputs(plan.meta.images, outcome.signing) : undefined;
  core.setOutput(Output.signatures, signing?.signatures ?? '{}');
  core.setOutput(Output.verifyCommands, signing?.verifyCommands ?? '');
  core.setOutput(Output.publicKey, outcome?.signing?.publicKey ?? '');
  core.setOutput(Output.attestationId, outcome?.attestationId ?? '');
  core.setOutput(Output.attestations, attestationsOutput(outcome?.attestations));
  core.setOutput(Output.targets, chainOutput(outcome?.chain));
  setTestOutputs(outcome?.test ?? SKIPPED);
  // artifact-id is set by the upload, after these: a failed upload leaves every other output.
}

/** The `targets` output: one entry per released target of a chain; `{}` without one. Pure. */
export function chainOutput(chain: ChainTargetOutcome[] | undefined): string {
  return JSON.stringify(
    Object.fromEntries(
      (chain ?? []).map((t) => [
        t.target,
        {
          digest: t.digest,
          refs: t.refs,
          repositories: t.repositories,
          reused: t.reused,
          test: t.test,
        },
      ]),
    ),
  );
}

/**
 * The `signatures` output (a JSON object: image -> signature reference, or `not signed: why`)
 * and `verify-commands` (one per signed image). Pure.
 */
export function signingOutputs(
  images: string[],
  signing: SigningReport | undefined,
): { signatures: string; verifyCommands: string } {
  const entries: Record<string, string> = {};
  const commands: string[] = [];
  for (const image of images) {
    const result = signing?.results.find((r) => r.image === image);
    if (result && !result.failure) {
      entries[image] = result.reference;
      commands.push(result.verifyCommand);
    } else {
      entries[image] = `not signed: ${result?.failure || signing?.skipped || 'nothing was pushed'}`;
    }
  }
  return { signatures: JSON.stringify(entries), verifyCommands: commands.join('\n') };
}

/**
 * The `attestations` output: a JSON object, image -> the attestation's reference in the
 * registry, or `not stored: why`; `{}` when nothing was attested. Pure.
 */
export function attestationsOutput(attestations: AttestationPush[] | undefined): string {
  return JSON.stringify(
    Object.fromEntries(
      (attestations ?? []).map((a) => [
        a.image,
        a.failure ? `not stored: ${a.failure}` : a.reference,
      ]),
    ),
  );
}

/** The test outputs; set alone when a failed test ends the step. */
export function setTestOutputs(report: TestReport): void {
  const outputs = testOutputs(report);
  core.setOutput(Output.testResult, outputs.result);
  core.setOutput(Output.testExitCode, outputs.exitCode);
  core.setOutput(Output.testDuration, outputs.duration);
}

/** The ID of the uploaded digest artifact. */
export function setArtifactId(id: string): void {
  core.setOutput(Output.artifactId, id);
}
