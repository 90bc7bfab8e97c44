import * as core from '@actions/core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../context/context.js';
import type { Inputs } from '../inputs/inputs.js';
import { listRunArtifacts, uploadFiles } from '../artifact/client.js';
import { noArtifactService } from '../artifact/name.js';
import type { PlatformRecord } from '../release/merge-records.js';
import { Output } from '../names.js';
import type { PushReport } from '../release/stage.js';
import type { SignatureResult } from '../sign/signer.js';
import type { AttestationPush } from '../sign/referrers.js';
import { parseReference } from '../oci/reference.js';
import type { Plan } from '../plan.js';
import { escapeMarkdown } from '../gate/spec.js';
import { oneLine } from '../untrusted.js';
import {
  BAKE_FILES,
  bakeDefinitions,
  metadataEnv,
  metadataEnvName,
  metaOutputs,
} from '../tags/outputs.js';
import {
  formatDuration,
  SKIPPED,
  testMarkdown,
  testOutputs,
  type TestReport,
  type TestResult,
} from '../gate/spec.js';

/** What the build and push produced; absent in a dry run. */
export interface Outcome {
  digest: string;
  imageId: string;
  /** buildx's metadata file, as JSON text. */
  metadata: string;
  platforms: string[];
  durationMs: number;
  pushed: boolean;
  /** `image@digest`, one per image, when pushed. */
  refs: string[];
  /** The test gate; absent: no test ran. */
  test?: TestReport;
  /** The source fingerprint (sha256 hex); absent or '' when it could not be computed. */
  fingerprint?: string;
  /** Set when no build ran: the tags were added to the image of this fingerprint tag. */
  reused?: Reuse;
  /** Moving tags (`image:tag`) left where they were: they hold a newer release. */
  heldBack?: string[];
  /** A platform job of a merge group: its image is in the registries by digest, with no tag. */
  platformJob?: { group: string; platform: string; artifact: string };
  /** The merge step of a group: the platform images its index holds, one per platform job. */
  merged?: { group: string; platforms: PlatformRecord[] };
  /** What signing did; absent when no signer ran and none was asked for. */
  signing?: SigningReport;
  /** The ID of the build provenance attestation (`attest`). */
  attestationId?: string;
  /** Where the attestation went in each image repository (`attest`). */
  attestations?: AttestationPush[];
  /** A chain of bake targets (files, targets): what each released target got. */
  chain?: ChainTargetOutcome[];
}

/** One released target of a chain. */
export interface ChainTargetOutcome {
  target: string;
  /** The targets it is built FROM. */
  parents: string[];
  repositories: string[];
  digest: string;
  /** `repository@digest`, one per repository, when pushed. */
  refs: string[];
  /** Promoted from the image of the same fingerprint instead of built. */
  reused: boolean;
  test: TestResult;
}

/** Signatures of the release, per image repository. */
export interface SigningReport {
  /** One entry per image when a signer ran. */
  results: SignatureResult[];
  /** Why nothing was signed ('' when a signer ran). */
  skipped: string;
  /** The public key of `sign-key` (PEM); '' for keyless. */
  publicKey: string;
}

/** Where a reused image came from. */
export interface Reuse {
  /** The fingerprint tag it was found under (`fp-...`). */
  tag: string;
  /** The image repository it was found in. */
  image: string;
}

/** The content of `image-digest.json`. */
export interface DigestRecord {
  images: string[];
  tags: string[];
  digest: string;
  refs: string[];
  version: string;
  revision: string;
  source: string;
  created: string;
  /** The source fingerprint; '' when none was computed. */
  fingerprint: string;
  /** The merge step of a merge-group: each platform image of the index, as its job pushed it. */
  platforms?: { platform: string; digest: string }[];
  /** A chain of bake targets: each released target's digest and references. */
  targets?: { target: string; digest: string; refs: string[]; reused: boolean }[];
}

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

/** The summary's lines on where the attestation is in each registry. Pure. */
export function attestationsMarkdown(attestations: AttestationPush[]): string[] {
  if (attestations.length === 0) return [];
  return [
    '- attestations in the registries (OCI referrers of the image):',
    ...attestations.map((a) =>
      a.failure
        ? `  - ${code(a.image)}: not stored: ${escapeMarkdown(oneLine(a.failure))}`
        : `  - ${code(a.image)}: ${code(a.reference)}, listed by ${a.listedBy.includes(' ') ? a.listedBy : code(a.listedBy)}`,
    ),
  ];
}

/** The summary's signing section: per image its signature and the command that verifies it. Pure. */
export function signingMarkdown(signing: SigningReport): string[] {
  if (signing.results.length === 0) return ['', `- signed: no (${signing.skipped})`];
  const out = ['', '### Signatures', '', '| image | signature |', '| --- | --- |'];
  for (const r of signing.results) {
    out.push(
      `| ${code(r.image)} | ${r.failure ? `not signed: ${escapeMarkdown(oneLine(r.failure))}` : code(r.reference)} |`,
    );
  }
  const signed = signing.results.filter((r) => !r.failure);
  if (signed.length > 0) {
    out.push('', 'Verify:', '', '```sh', ...signed.map((r) => r.verifyCommand), '```');
  }
  if (signing.publicKey) {
    out.push(
      '',
      '`cosign.pub`, the public key of `sign-key`:',
      '',
      '```text',
      signing.publicKey.trim(),
      '```',
    );
  }
  return out;
}

/** The test outputs; set alone when a failed test ends the step. */
export function setTestOutputs(report: TestReport): void {
  const outputs = testOutputs(report);
  core.setOutput(Output.testResult, outputs.result);
  core.setOutput(Output.testExitCode, outputs.exitCode);
  core.setOutput(Output.testDuration, outputs.duration);
}

function labelValue(labels: string[], key: string): string {
  const prefix = `${key}=`;
  return labels.find((label) => label.startsWith(prefix))?.slice(prefix.length) ?? '';
}

/** The record that consumers use to verify what they run. Pure. */
export function digestRecord(plan: Plan, context: Context, outcome: Outcome): DigestRecord {
  return {
    images: plan.meta.images,
    tags: plan.meta.tags,
    digest: outcome.digest,
    refs: outcome.refs,
    version: plan.meta.version,
    revision: context.sha,
    source: context.repository.htmlUrl,
    created: labelValue(plan.meta.labels, 'org.opencontainers.image.created'),
    fingerprint: outcome.fingerprint ?? '',
    ...(outcome.chain
      ? {
          targets: outcome.chain.map((t) => ({
            target: t.target,
            digest: t.digest,
            refs: t.refs,
            reused: t.reused,
          })),
        }
      : {}),
    ...(outcome.merged
      ? {
          platforms: outcome.merged.platforms.map((p) => ({
            platform: p.platform,
            digest: p.digest,
          })),
        }
      : {}),
  };
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** The job summary as Markdown. Pure. */
export function summaryMarkdown(plan: Plan, outcome: Outcome | undefined): string {
  const { meta } = plan;
  const out: string[] = [];
  const job = outcome?.platformJob;
  const title = job
    ? `## Platform image built: ${code(job.platform)} of merge-group ${code(job.group)}`
    : outcome?.merged
      ? `## Multi-platform image released: merge-group ${code(outcome.merged.group)}`
      : outcome?.reused
        ? '## Image promoted'
        : '## Image built';
  out.push(outcome ? title : '## Image plan (dry run)', '');
  if (job) {
    out.push(
      `No tag was written: the image is in every repository by digest, and its digest is in the artifact ${code(job.artifact)} for the merge step, which writes the tags.`,
      '',
    );
  }
  out.push('| image | tags |', '| --- | --- |');
  for (const image of meta.images) {
    const tags = job ? '(none: by digest)' : meta.tagNames.map(code).join(' ') || '(none)';
    out.push(`| ${code(image)} | ${tags} |`);
  }
  out.push('');
  if (outcome?.chain) {
    out.push(
      '| target | built FROM | rebuilt or reused | test | digest |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const t of outcome.chain) {
      out.push(
        `| ${code(t.target)} | ${t.parents.map(code).join(' ') || '-'} | ${t.reused ? 'reused' : 'rebuilt'} | ${t.test} | ${code(t.digest)} |`,
      );
    }
    out.push('');
  }
  if (outcome?.merged) {
    out.push('| platform | runner | test | digest |', '| --- | --- | --- | --- |');
    for (const p of outcome.merged.platforms) {
      const runner = [p.runner.name, p.runner.os && `${p.runner.os}/${p.runner.arch}`]
        .filter(Boolean)
        .join(', ');
      const test =
        p.test === 'passed' && p.testDurationMs > 0
          ? `passed in ${formatDuration(p.testDurationMs)}`
          : p.test;
      const reused = p.reusedFrom ? ` (reused: ${code(p.reusedFrom)})` : '';
      out.push(
        `| ${code(p.platform)} | ${runner || p.job || '?'} | ${test}${reused} | ${code(p.digest)} |`,
      );
    }
    out.push('');
  }
  out.push(`- version: ${meta.version ? code(meta.version) : '(none)'}`);
  if (outcome) {
    out.push(`- digest: ${code(outcome.digest)}`);
    out.push(
      `- platforms: ${outcome.platforms.length ? outcome.platforms.map(code).join(', ') : 'the runner\u2019s'}`,
    );
    if (outcome.merged) {
      out.push(
        `- merge time: ${formatDuration(outcome.durationMs)} (no build: the index of the platform images)`,
      );
    } else if (outcome.reused) {
      out.push(
        `- reused: promoted from ${code(`${outcome.reused.image}:${outcome.reused.tag}`)}, built earlier from the same source fingerprint; no build ran (promotion time: ${formatDuration(outcome.durationMs)})`,
      );
    } else {
      out.push(`- build time: ${formatDuration(outcome.durationMs)}`);
    }
    if (outcome.fingerprint) out.push(`- fingerprint: ${code(outcome.fingerprint)}`);
    out.push(`- pushed: ${outcome.pushed ? 'yes' : 'no'} (${plan.pushReason})`);
    if (outcome.heldBack && outcome.heldBack.length > 0) {
      out.push(
        `- held back (they hold a newer release; moving tags move only forward): ${outcome.heldBack.map(code).join(' ')}`,
      );
    }
    if (outcome.pushed && outcome.refs.length > 0) {
      out.push('', 'Pull exactly this image:', '', '```sh');
      for (const ref of outcome.refs) out.push(`docker pull ${ref}`);
      out.push('```');
    }
    if (outcome.signing) out.push(...signingMarkdown(outcome.signing));
    if (outcome.attestationId) {
      out.push(
        '',
        `- build provenance attestation: ID ${code(outcome.attestationId)}; check it with ${code(`gh attestation verify oci://${outcome.refs[0] ?? ''} --repo ${repositoryOf(labelValue(meta.labels, 'org.opencontainers.image.source'))}`)}`,
      );
    }
    if (outcome.attestations) out.push(...attestationsMarkdown(outcome.attestations));
    if (outcome.test) out.push(...testMarkdown(outcome.test));
  } else {
    out.push(`- would push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
  }
  return out.join('\n') + '\n';
}

/** The job summary of a test that failed: nothing was pushed. Pure. */
export function failedTestMarkdown(plan: Plan, report: TestReport): string {
  const out = ['## Image test failed', '', 'Nothing was pushed.'];
  out.push('', `- version: ${plan.meta.version ? code(plan.meta.version) : '(none)'}`);
  out.push(...testMarkdown(report));
  return out.join('\n') + '\n';
}

/**
 * The job summary of a push that stopped part way: per registry and image, the tags it got
 * and the ones it did not, then why the push stopped. Pure.
 */
export function failedPushMarkdown(plan: Plan, report: PushReport, cause: string): string {
  const out = [
    '## Image push failed',
    '',
    cause.split('\n')[0],
    '',
    '| registry | image | pushed | not pushed |',
    '| --- | --- | --- | --- |',
  ];
  for (const image of report.images) {
    const pushed = [
      ...image.pushed.map(code),
      ...image.unverified.map((t) => `${code(t)} (not verified)`),
    ];
    const restored = new Set(image.restored ?? []);
    const missing = [
      ...(image.unknown ?? []).map((t) => `${code(t)} (unknown: registry not readable)`),
      ...image.notPushed.map((t) =>
        restored.has(t) ? `${code(t)} (moved, then put back)` : code(t),
      ),
      ...(image.heldBack ?? []).map((t) => `${code(t)} (held back: holds a newer release)`),
      ...(image.notRestored ?? []).map((t) => `${code(t)} (moved, NOT put back)`),
    ];
    out.push(
      `| ${code(registryOf(image.image))} | ${code(image.image)} | ${pushed.join(' ') || 'nothing'} | ${missing.join(' ') || 'nothing'} |`,
    );
  }
  out.push(
    '',
    'Moving tags (`latest`, major, minor, branch) are written only after the image is verified in every registry, and a failure while writing them puts back those already moved. A tag marked "not verified" is in the registry, but the push stopped before its digest was checked against the build.',
  );
  const details = cause.split('\n').slice(1);
  if (details.length > 0) {
    out.push('', '<details><summary>Error</summary>', '', '```text');
    out.push(...details.map((line) => line.replace(/```/g, "'''")), '```', '', '</details>');
  }
  out.push('', `- version: ${plan.meta.version ? code(plan.meta.version) : '(none)'}`);
  if (report.digest) out.push(`- digest: ${code(report.digest)}`);
  return out.join('\n') + '\n';
}

/** `owner/repo` of a repository URL (`https://github.com/acme/app`); `OWNER/REPO` if none. */
function repositoryOf(url: string): string {
  const match = /^https?:\/\/[^/]+\/([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url);
  return match?.[1] ?? 'OWNER/REPO';
}

function registryOf(image: string): string {
  try {
    return parseReference(image).registry;
  } catch {
    return image.split('/')[0];
  }
}

/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is skipped. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set; no job summary written');
    return;
  }
  await core.summary.addRaw(markdown).write();
}

/**
 * Uploads `image-digest.json` and `digest.txt` as a workflow artifact with @actions/artifact and
 * returns its ID. Where there is no artifact service (GitHub Enterprise Server, outside GitHub
 * Actions) it gives one notice and returns ''.
 */
export async function uploadDigestArtifact(
  name: string,
  record: DigestRecord,
  tempRoot: string,
  /** Bound of the whole upload (`network-timeout`); the client itself waits for ever. */
  timeoutMs: number,
): Promise<string> {
  const unavailable = noArtifactService(process.env);
  if (unavailable) {
    core.notice(
      `artifact-name: no artifact "${name}" uploaded: ${unavailable}; the digest is in the step outputs (digest, refs) and the job summary`,
    );
    return '';
  }
  return uploadFiles(
    name,
    {
      'image-digest.json': JSON.stringify(record, null, 2) + '\n',
      'digest.txt': record.digest + '\n',
    },
    tempRoot,
    timeoutMs,
  );
}

/**
 * Whether this workflow run already holds an artifact called `name` (uploaded by another job or
 * an earlier step): checked before the build, so a name that cannot be uploaded fails the step
 * before anything is pushed. False where there is no artifact service.
 */
export async function artifactExists(name: string, timeoutMs: number): Promise<boolean> {
  if (noArtifactService(process.env)) return false;
  const artifacts = await listRunArtifacts(timeoutMs);
  return artifacts.some((artifact) => artifact.name === name);
}
