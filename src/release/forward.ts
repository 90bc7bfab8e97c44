// Forward only: a moving tag moves to this release only when this release is newer than the
// image the tag points to now, by version where both have one, else by commit ancestry.
import type SemVer from 'semver/classes/semver.js';
import clean from 'semver/functions/clean.js';
import compare from 'semver/functions/compare.js';
import parse from 'semver/functions/parse.js';

/** What a release is: its version and its commit, as the image's labels or annotations say. */
export interface ReleaseIdentity {
  /** `org.opencontainers.image.version` ('' when absent). */
  version: string;
  /** `org.opencontainers.image.revision`, a commit SHA ('' when absent). */
  revision: string;
  /** `org.opencontainers.image.created`, an ISO date ('' when absent). */
  created?: string;
}

export const VERSION_KEY = 'org.opencontainers.image.version';
export const REVISION_KEY = 'org.opencontainers.image.revision';
export const CREATED_KEY = 'org.opencontainers.image.created';

/** Whether commit `older` is an ancestor of (or equal to) `newer`; `unknown` when the history at hand cannot say. */
export type Ancestry = 'yes' | 'no' | 'unknown';

export interface Decision {
  move: boolean;
  /** Why, for the log and the summary (`1.2.0 is newer than 1.1.5`). */
  reason: string;
}

/** The release identity read from `key=value` labels (the plan's, or an image's). Pure. */
export function identityOf(labels: Record<string, string>): ReleaseIdentity {
  return {
    version: labels[VERSION_KEY] ?? '',
    revision: labels[REVISION_KEY] ?? '',
    created: labels[CREATED_KEY] ?? '',
  };
}

/** A SemVer version (`1.2.3`, `v1.2.3-rc.1`), or undefined. Pure. */
function versionOf(text: string): SemVer | undefined {
  const cleaned = clean(text);
  return (cleaned && parse(cleaned)) || undefined;
}

/** Compares two releases by version: undefined when either has no SemVer version. Pure. */
export function compareVersions(ours: string, theirs: string): number | undefined {
  const a = versionOf(ours);
  const b = versionOf(theirs);
  if (!a || !b) return undefined;
  return compare(a, b);
}

const SHA = /^[0-9a-f]{7,64}$/;

/**
 * Decides whether a moving tag that points to the release `theirs` may move to `ours`:
 * - both have a SemVer version: only to a higher or equal one (a backport `1.1.5` after
 *   `1.2.0` does not move `latest` or `1`, it moves `1.1`);
 * - else by commit: only when their commit is an ancestor of ours (a branch moves to a
 *   descendant commit); diverged or unknown history holds the tag back.
 * `ancestry(older, newer)` asks the git history. Pure but for that question.
 */
export async function decideForward(
  ours: ReleaseIdentity,
  theirs: ReleaseIdentity,
  ancestry: (older: string, newer: string) => Promise<Ancestry>,
): Promise<Decision> {
  const order = compareVersions(ours.version, theirs.version);
  if (order !== undefined) {
    if (order > 0) return { move: true, reason: `${ours.version} is newer than ${theirs.version}` };
    if (order < 0)
      return { move: false, reason: `it holds ${theirs.version}, newer than ${ours.version}` };
    return { move: true, reason: `it holds the same version ${theirs.version}` };
  }
  if (!theirs.revision) {
    return {
      move: false,
      reason: `its image has no ${REVISION_KEY} label or annotation, so it cannot be known to be older`,
    };
  }
  if (theirs.revision === ours.revision) {
    return { move: true, reason: `it holds the same commit ${short(ours.revision)}` };
  }
  if (!SHA.test(theirs.revision) || !SHA.test(ours.revision)) {
    return {
      move: false,
      reason: `its revision "${theirs.revision}" is not a commit SHA that can be compared with ${ours.revision || '(none)'}`,
    };
  }
  const forward = await ancestry(theirs.revision, ours.revision);
  if (forward === 'yes') {
    return {
      move: true,
      reason: `${short(ours.revision)} descends from its commit ${short(theirs.revision)}`,
    };
  }
  if (forward === 'unknown') return byCreation(ours, theirs);
  const backward = await ancestry(ours.revision, theirs.revision);
  return backward === 'yes'
    ? {
        move: false,
        reason: `it holds ${short(theirs.revision)}, a newer commit than ${short(ours.revision)}`,
      }
    : {
        move: false,
        reason: `it holds ${short(theirs.revision)}, which ${short(ours.revision)} does not descend from (history diverged)`,
      };
}

/**
 * Without the history between the two commits (a shallow checkout), the run that started later
 * wins: a slow run of an older commit never overwrites a newer run's tag. An image without a
 * creation date is held back.
 */
function byCreation(ours: ReleaseIdentity, theirs: ReleaseIdentity): Decision {
  const missing = `the git history at hand does not say whether ${short(ours.revision)} descends from its commit ${short(theirs.revision)} (check out with fetch-depth: 0 to decide by history)`;
  const a = Date.parse(ours.created ?? '');
  const b = Date.parse(theirs.created ?? '');
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return { move: false, reason: `${missing}, and its image has no creation date` };
  }
  return a >= b
    ? { move: true, reason: `${missing}; this run started after it was built (${theirs.created})` }
    : {
        move: false,
        reason: `${missing}, and it was built by a run that started later (${theirs.created})`,
      };
}

/**
 * What a push event's payload says: `newer` is the pushed commit and `older` the branch's
 * commit before the push (or one of the pushed commits), and the push was not forced. Pure.
 */
export function pushedAncestry(
  payload: Record<string, unknown>,
  older: string,
  newer: string,
): Ancestry {
  if (payload.after !== newer || payload.forced !== false) return 'unknown';
  if (payload.before === older) return 'yes';
  const commits = Array.isArray(payload.commits) ? (payload.commits as unknown[]) : [];
  const ids = commits.map((c) =>
    typeof c === 'object' && c !== null ? (c as { id?: unknown }).id : undefined,
  );
  return ids.includes(older) ? 'yes' : 'unknown';
}

function short(sha: string): string {
  return SHA.test(sha) ? sha.slice(0, 7) : sha;
}
