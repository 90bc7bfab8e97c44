/** The job summary: what was released, or what failed, as Markdown. */
import * as core from '@actions/core';
import type { PushReport } from '../release/stage.js';
import type { AttestationPush } from '../sign/referrers.js';
import { parseReference } from '../oci/reference.js';
import type { Plan } from '../plan.js';
import { escapeMarkdown } from '../gate/spec.js';
import { oneLine } from '../untrusted.js';
import { formatDuration, testMarkdown, type TestReport } from '../gate/spec.js';

import type { Outcome, SigningReport } from './outcome.js';

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

/** The value of the label `key` among `key=value` labels; '' when absent. Pure. */
export function labelValue(labels: string[], key: string): string {
  const prefix = `${key}=`;
  return labels.find((label) => label.startsWith(prefix))?.slice(prefix.length) ?? '';
}
