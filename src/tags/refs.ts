import type { Context } from '../context/context.js';

/** The branch of a `refs/heads/...` ref, or '' for any other ref. */
export function branchOf(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
}

/** The git tag of a `refs/tags/...` ref, or '' for any other ref. */
export function tagOf(ref: string): string {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '';
}

/** The pull request number of a `refs/pull/<n>/...` ref, or ''. */
export function pullRequestOf(ref: string): string {
  const m = /^refs\/pull\/([^/]+)\//.exec(ref);
  return m ? m[1] : '';
}

/** The target branch: the PR base, or for a pushed tag the payload's `base_ref`; else ''. */
export function baseRefOf(context: Context): string {
  if (context.pullRequest) return context.pullRequest.baseRef;
  if (tagOf(context.ref) !== '' && typeof context.payload.base_ref === 'string') {
    return context.payload.base_ref.replace(/^refs\/heads\//, '');
  }
  return '';
}

/** True when the ref is the repository's default branch. */
export function isDefaultBranch(context: Context): boolean {
  const branch = branchOf(context.ref);
  return branch !== '' && branch === context.repository.defaultBranch;
}

// Words that mark a version as not final, as separate tokens: 1.0.0-rc.1, 20200110-RC2, 1.1beta2.
const PRE_RELEASE_WORD =
  /(?:^|[^a-z])(?:alpha|beta|rc|pre|preview|dev|snapshot|canary|nightly|next|insiders|experimental)(?=[^a-z]|$)/i;
// A SemVer-style pre-release part after the version numbers: 1.2.3-0.3.7, v2.0.8-beta.67.
const SEMVER_PRE_RELEASE = /\d+\.\d+\.\d+-[0-9A-Za-z]/;

/**
 * True when a git tag looks like a pre-release. metadata-action gives such tags `latest`
 * through type=match and type=ref,event=tag; we do not.
 */
export function looksLikePreRelease(tag: string): boolean {
  return PRE_RELEASE_WORD.test(tag) || SEMVER_PRE_RELEASE.test(tag);
}
