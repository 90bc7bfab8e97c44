// The records of a merge group as data: what a platform job uploads (its pushed digest, or that
// it failed), and every check the merge makes of them before anything is written. Pure.
import { samePlatform } from '../gate/spec.js';
import { groupArtifactPrefix, platformArtifactName } from './merge.js';

export const RECORD_SCHEMA = 'build-tag-push/platform-record/v2';
export const RECORD_FILE = 'platform.json';

/** What a platform job of a merge group uploads (`platform.json` in its artifact). */
export interface PlatformRecord {
  schema: typeof RECORD_SCHEMA;
  group: string;
  /** `linux/arm64`: the platform the job built and tested. */
  platform: string;
  /** `pushed`: the image is in `images` by `digest`; `failed`: the job failed, `reason` says how. */
  status: 'pushed' | 'failed';
  /** Why the job failed; '' when it pushed. */
  reason: string;
  /** What the job put in every image repository, by digest: a manifest, or an index (attestations). '' when it failed. */
  digest: string;
  images: string[];
  /** The commit it was built from: the merge refuses a record of another commit. */
  revision: string;
  /** `GITHUB_RUN_ID`: the merge refuses a record of another workflow run. */
  runId: string;
  /** `GITHUB_RUN_ATTEMPT` of the job: a rerun replaces the record of an earlier attempt. */
  runAttempt: number;
  job: string;
  runner: { name: string; os: string; arch: string };
  /** `passed`, `skipped` (no test), `reused` (promoted from the fingerprint tag, `test` run again or not), or `failed`. */
  test: string;
  testDurationMs: number;
  /** The fingerprint tag the image was promoted from; '' when it was built. */
  reusedFrom: string;
  fingerprint: string;
}

/** A value of a record as the log shows it: quoted, one line, bounded. */
export function shown(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/**
 * Why a platform job failed, as its record says it: the error's first line (the rest, such as
 * test output, stays in the job's log), with every secret value taken out, since an artifact is
 * not masked as the log is. Pure.
 */
export function failureReason(message: string, secrets: string[]): string {
  let line = message.split('\n')[0] ?? '';
  for (const secret of secrets.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) {
    line = line.split(secret).join('***');
  }
  // eslint-disable-next-line no-control-regex
  line = line.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return (line || 'the job failed').slice(0, 500);
}

/**
 * Reads one downloaded `platform.json`; throws only when it is no record of build-tag-push at
 * all (not JSON, another schema). Its fields are checked by {@link checkRecords}. Pure.
 */
export function parseRecord(text: string, artifact: string): PlatformRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`the artifact "${artifact}" holds no JSON ${RECORD_FILE}`);
  }
  const schema = (doc as { schema?: unknown } | null)?.schema;
  if (typeof doc !== 'object' || doc === null || schema !== RECORD_SCHEMA) {
    throw new Error(
      `the artifact "${artifact}" is not a platform record of this version of build-tag-push (schema ${shown(schema)}, expected ${RECORD_SCHEMA}): give the platform jobs and the merge step the same version of the action`,
    );
  }
  return doc as PlatformRecord;
}

/** What the merge step expects of every record: its own run, attempt, commit and group. */
export interface MergeRun {
  group: string;
  runId: string;
  runAttempt: number;
  revision: string;
  /** `platforms` of the merge step; empty: every platform of the group. */
  platforms: string[];
}

/** One artifact of the group as downloaded: its record, or why it could not be read. */
export interface FoundRecord {
  artifact: string;
  record?: PlatformRecord;
  problem?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PLATFORM = /^[a-z0-9._-]+\/[a-z0-9._-]+(\/[a-z0-9._-]+)?$/i;
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Every field of `record` that is missing, empty or of another run, commit, attempt or group. Pure. */
export function recordProblems(record: PlatformRecord, artifact: string, run: MergeRun): string[] {
  const problems: string[] = [];
  const at = `the artifact "${artifact}"`;
  for (const field of ['group', 'platform', 'revision', 'runId', 'job'] as const) {
    if (!nonEmpty(record[field])) problems.push(`${at}: ${field} is ${shown(record[field])}`);
  }
  if (nonEmpty(record.platform) && !PLATFORM.test(record.platform)) {
    problems.push(`${at}: platform is ${shown(record.platform)}, expected os/arch[/variant]`);
  }
  if (record.status !== 'pushed' && record.status !== 'failed') {
    problems.push(`${at}: status is ${shown(record.status)}, expected "pushed" or "failed"`);
  }
  if (!Number.isInteger(record.runAttempt) || record.runAttempt < 1) {
    problems.push(`${at}: runAttempt is ${shown(record.runAttempt)}`);
  } else if (record.runAttempt > run.runAttempt) {
    problems.push(
      `${at}: a record of run attempt ${record.runAttempt}, later than this step's ${run.runAttempt}`,
    );
  }
  if (record.status === 'pushed') {
    if (typeof record.digest !== 'string' || !DIGEST.test(record.digest)) {
      problems.push(`${at}: digest is ${shown(record.digest)}, expected sha256:<64 hex>`);
    }
    if (!Array.isArray(record.images) || record.images.length === 0) {
      problems.push(
        `${at}: images is ${shown(record.images)}, expected the repositories it pushed to`,
      );
    } else if (!record.images.every(nonEmpty)) {
      problems.push(`${at}: images holds an empty name (${shown(record.images)})`);
    }
  }
  if (record.status === 'failed' && !nonEmpty(record.reason)) {
    problems.push(`${at}: a failed job's record with reason ${shown(record.reason)}`);
  }
  if (nonEmpty(record.group) && record.group !== run.group) {
    problems.push(`${at}: a record of the group ${shown(record.group)}, not "${run.group}"`);
  }
  if (nonEmpty(record.runId) && record.runId !== run.runId) {
    problems.push(
      `${at}: a record of the workflow run ${shown(record.runId)}, not this run (${run.runId || 'GITHUB_RUN_ID unset'})`,
    );
  }
  if (nonEmpty(record.revision) && record.revision !== run.revision) {
    problems.push(
      `${at}: built from ${shown(record.revision.slice(0, 40))}, not this run's commit ${run.revision.slice(0, 12) || '(GITHUB_SHA unset)'}`,
    );
  }
  if (
    nonEmpty(record.group) &&
    PLATFORM.test(String(record.platform)) &&
    artifact !== platformArtifactName(record.group, record.platform)
  ) {
    problems.push(
      `${at}: its record names ${shown(record.platform)}, whose platform job uploads "${platformArtifactName(record.group, record.platform)}"`,
    );
  }
  return problems;
}

/** The group's records checked: those to merge (in order), and every problem found. */
export interface CheckedRecords {
  records: PlatformRecord[];
  problems: string[];
  /** Artifacts of another group whose name starts with this group's prefix: not this group's. */
  skipped: string[];
}

/**
 * The group's records checked against the merge step: each of this run, attempt, commit and
 * group with no empty field; one per platform; none of a failed job; every expected platform
 * there (none expected: every one found). Returns the records to merge in the order of
 * `platforms` (else of the platforms' names), and every problem at once. Pure.
 */
export function checkRecords(found: FoundRecord[], run: MergeRun): CheckedRecords {
  const problems: string[] = [];
  const skipped: string[] = [];
  const good: PlatformRecord[] = [];
  const all: { artifact: string; record: PlatformRecord }[] = [];
  for (const { artifact, record, problem } of found) {
    if (!record) {
      problems.push(problem ?? `the artifact "${artifact}" could not be read`);
      continue;
    }
    // The group "app-platform-x" is another group, though its names start with "app-platform-".
    if (
      nonEmpty(record.group) &&
      record.group !== run.group &&
      record.group.startsWith(groupArtifactPrefix(run.group)) &&
      nonEmpty(record.platform) &&
      artifact === platformArtifactName(record.group, record.platform)
    ) {
      skipped.push(artifact);
      continue;
    }
    const own = recordProblems(record, artifact, run);
    problems.push(...own);
    if (nonEmpty(record.platform) && PLATFORM.test(record.platform)) all.push({ artifact, record });
    if (own.length === 0 && record.status === 'pushed') good.push(record);
  }
  for (const { artifact, record } of all) {
    if (record.status !== 'failed') continue;
    problems.push(
      `${record.platform}: its platform job ${shown(record.job)} (attempt ${shown(record.runAttempt)}, artifact "${artifact}") failed: ${shown(record.reason, 500)}; fix it and rerun that job, then this step`,
    );
  }
  const seen = new Set<string>();
  for (const { record } of all) {
    const same = all.filter((o) => samePlatform(o.record.platform, record.platform));
    const key = same.map((o) => o.artifact).join(', ');
    if (same.length > 1 && !seen.has(key)) {
      seen.add(key);
      problems.push(
        `${record.platform}: ${same.length} records of one platform (${key}); one platform job per platform`,
      );
    }
  }
  const foundPlatforms = all.map((o) => o.record.platform);
  const expected = run.platforms;
  const missing = expected.filter((p) => !foundPlatforms.some((f) => samePlatform(f, p)));
  const extra = expected.length
    ? foundPlatforms.filter((f) => !expected.some((p) => samePlatform(f, p)))
    : [];
  const foundText = foundPlatforms.length > 0 ? foundPlatforms.join(', ') : 'none';
  if (missing.length > 0) {
    problems.push(
      `no digest for ${missing.join(', ')} (found: ${foundText}): its platform job failed before its build, was skipped or cancelled, or has another merge-group; a failed platform job can be rerun alone, then this step`,
    );
  }
  if (extra.length > 0) {
    problems.push(
      `${extra.join(', ')} built by a job of the group but not in platforms (${expected.join(', ')}): add it to platforms, or remove its job`,
    );
  }
  if (all.length === 0 && found.length === skipped.length && expected.length === 0) {
    problems.push(
      `no platform job of the group uploaded a digest (no artifact named ${groupArtifactPrefix(run.group)}*); set platforms to the platforms to expect`,
    );
  }
  const order = expected.length > 0 ? expected : good.map((r) => r.platform).sort();
  const records = order
    .map((p) => good.find((r) => samePlatform(r.platform, p)))
    .filter((r): r is PlatformRecord => r !== undefined);
  return { records, problems, skipped };
}

/** The merge's refusal: every problem, one a line, and that nothing was pushed. Pure. */
export function mergeRefused(group: string, problems: string[]): Error {
  return new Error(
    `merge: the merge-group "${group}" cannot be released:\n${problems.map((p) => `- ${p}`).join('\n')}\nNothing was pushed.`,
  );
}
