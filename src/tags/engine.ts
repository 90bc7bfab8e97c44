import type { Context } from '../context/context.js';
import { boundedExec, compileRegExp, inputError, type Where } from './errors.js';
import { withVars } from './expressions.js';
import type { Flavor } from './flavor.js';
import { parsePep440 } from './pep440.js';
import { branchOf, looksLikePreRelease, pullRequestOf, tagOf } from './refs.js';
import type { Rule } from './rules.js';
import { fitTag, MAX_TAG_LENGTH, type Segment } from './sanitize.js';
import { parseSemver } from './semver.js';
import { expressionsOf, hasExpressions, render, type Scope } from './template.js';
import type { VersionParts } from './version.js';

/** A tag to push, and whether it moves from image to image (pushed after the immutable ones). */
export interface PlannedTag {
  name: string;
  moving: boolean;
}

/** What the rules give for one ref: the version output and the ordered tag names. */
export interface TagPlan {
  version: string;
  planned: PlannedTag[];
}

/** The value a rule produces, before prefix, suffix and sanitising. */
interface Outcome {
  value: string;
  /** Made from the ref, the commit or the clock (may be shortened), not written by the user. */
  derived: boolean;
  moving: boolean;
  /** Whether this rule, when it decides, asks for `latest` under latest=auto. */
  latestAuto: boolean;
}

interface Env {
  context: Context;
  scope: Scope;
  tagPattern: RegExp | undefined;
  warnings: string[];
}

/**
 * The version a git tag stands for under `tag-pattern`: the group named `version`, else the
 * first capture group, else the whole match; undefined when the tag does not match.
 */
export function releaseVersion(tag: string, tagPattern: RegExp | undefined): string | undefined {
  if (!tagPattern) return tag;
  const m = boundedExec(tagPattern, tag, { input: 'tag-pattern', line: '' });
  if (!m) return undefined;
  return m.groups?.version ?? m[1] ?? m[0];
}

/**
 * Runs the rules (already in priority order) against the context. The first tag produced is
 * the version; under latest=auto the first rule that produces a tag decides on `latest`, as in
 * metadata-action, except that a pre-release-looking git tag never gets `latest`.
 */
export function planTags(
  rules: Rule[],
  flavor: Flavor,
  context: Context,
  scope: Scope,
  tagPattern: RegExp | undefined,
  warnings: string[] = [],
): TagPlan {
  const env: Env = { context, scope, tagPattern, warnings };
  const flavorWhere = (key: string, value: string): Where => ({
    input: 'flavor',
    line: `${key}=${value}`,
  });
  const flavorPrefix = segment(flavor.prefix, scope, flavorWhere('prefix', flavor.prefix));
  const flavorSuffix = segment(flavor.suffix, scope, flavorWhere('suffix', flavor.suffix));
  const tags: PlannedTag[] = [];
  let latest: boolean | undefined;

  for (const rule of rules) {
    const where: Where = { input: 'tags', line: rule.line };
    if (!isEnabled(rule.attrs.enable, scope, where)) continue;
    const outcome = produce(rule, env, where);
    // An empty value (no branch, no sha, ...) means the rule does not apply here.
    if (!outcome || outcome.value === '') continue;
    const prefix =
      rule.attrs.prefix === undefined ? flavorPrefix : segment(rule.attrs.prefix, scope, where);
    const suffix =
      rule.attrs.suffix === undefined ? flavorSuffix : segment(rule.attrs.suffix, scope, where);
    // A tag made too long by the flavor's prefix or suffix is the flavor's error.
    const byFlavor =
      (rule.attrs.prefix === undefined && flavor.prefix !== '') ||
      (rule.attrs.suffix === undefined && flavor.suffix !== '');
    const name = fit(
      [prefix, { text: outcome.value, derived: outcome.derived }, suffix],
      byFlavor ? { input: 'flavor', line: '' } : where,
      byFlavor ? ` (rule "${rule.line}" with the flavor's prefix and suffix)` : '',
    );
    if (name === '') continue;
    // `moving=` on the rule is the user's word on what the tag means; it wins.
    const moving = rule.attrs.moving === undefined ? outcome.moving : rule.attrs.moving === 'true';
    tags.push({ name, moving });
    if (latest === undefined) {
      latest = flavor.latest === 'auto' ? outcome.latestAuto : flavor.latest === 'true';
    }
  }
  if (tags.length === 0) return { version: '', planned: [] };
  if (latest) {
    const name = fit(
      [
        flavor.prefixLatest ? flavorPrefix : { text: '', derived: false },
        { text: 'latest', derived: false },
        flavor.suffixLatest ? flavorSuffix : { text: '', derived: false },
      ],
      { input: 'flavor', line: '' },
    );
    tags.push({ name, moving: true });
  }
  return { version: tags[0].name, planned: unique(tags) };
}

function segment(template: string, scope: Scope, where: Where): Segment {
  return { text: render(template, scope, where), derived: hasExpressions(template) };
}

function fit(segments: Segment[], where: Where, from = ''): string {
  const result = fitTag(segments);
  if ('overflow' in result) {
    throw inputError(
      where,
      `the tag "${result.overflow}"${from} is ${result.overflow.length} characters long, over Docker's limit of ${MAX_TAG_LENGTH} characters for a tag`,
      `a value, prefix and suffix of at most ${MAX_TAG_LENGTH} characters together`,
    );
  }
  return result.tag;
}

function isEnabled(template: string, scope: Scope, where: Where): boolean {
  const value = render(template, scope, where).trim();
  if (!/^(true|false)$/i.test(value)) {
    throw inputError(
      where,
      `invalid enable "${value}"${value === template ? '' : ` (from "${template}")`}`,
      'enable=true or enable=false, after expressions such as {{is_default_branch}}',
    );
  }
  return /^true$/i.test(value);
}

/** Merges repeated names, keeping the first position; a name that is immutable anywhere is immutable. */
function unique(tags: PlannedTag[]): PlannedTag[] {
  const byName = new Map<string, PlannedTag>();
  for (const tag of tags) {
    const seen = byName.get(tag.name);
    if (seen) seen.moving &&= tag.moving;
    else byName.set(tag.name, { ...tag });
  }
  return [...byName.values()];
}

function produce(rule: Rule, env: Env, where: Where): Outcome | undefined {
  const { context, scope } = env;
  const { attrs } = rule;
  switch (rule.type) {
    case 'schedule':
      if (context.eventName !== 'schedule') return undefined;
      return one(render(attrs.pattern, scope, where), hasExpressions(attrs.pattern), true, false);
    case 'semver':
    case 'pep440':
      return produceVersion(rule, env, where);
    case 'match':
      return produceMatch(rule, env, where);
    case 'edge': {
      const branch = branchOf(context.ref);
      const target = attrs.branch || context.repository.defaultBranch;
      if (branch === '' || branch !== target) return undefined;
      return one('edge', false, true, false);
    }
    case 'ref': {
      if (attrs.event === 'branch') return one(branchOf(context.ref), true, true, false);
      if (attrs.event === 'pr') return one(pullRequestOf(context.ref), true, true, false);
      // A git tag that is a full version (`v1.2.3`) names one release; `v1` or `stable` is
      // re-pointed from release to release, so it moves.
      const tag = tagOf(context.ref);
      const version = tag === '' ? undefined : releaseVersion(tag, env.tagPattern);
      const full = version !== undefined && isFullVersion(version);
      return one(tag, true, !full, isReleaseTag(tag, env));
    }
    case 'raw': {
      // A raw value moves unless it is a full version; `moving=false` marks others immutable.
      const value = render(attrs.value, scope, where);
      return one(value, hasExpressions(attrs.value), !isFullVersion(value), false);
    }
    case 'sha': {
      const sha =
        attrs.format === 'long' ? context.sha : context.sha.slice(0, context.shortShaLength);
      return one(sha, true, false, false);
    }
  }
}

function one(value: string, derived: boolean, moving: boolean, latestAuto: boolean): Outcome {
  return { value, derived, moving, latestAuto };
}

/**
 * True when `text` names exactly one version: major, minor and patch written out (`1.2.3`,
 * `v2.0.0-rc.1`, `1.2.3+build.4`), as SemVer or PEP 440 (`1.2.3rc1`). `1`, `1.2`, `latest` and
 * branch names are not. Pure.
 */
export function isFullVersion(text: string): boolean {
  if (!/^v?\d+\.\d+\.\d+(?![.\d])/.test(text)) return false;
  return parseSemver(text) !== undefined || parsePep440(text) !== undefined;
}

/** A git tag that counts as a final release: it matches tag-pattern and is no pre-release. */
function isReleaseTag(tag: string, env: Env): boolean {
  return (
    tag !== '' && releaseVersion(tag, env.tagPattern) !== undefined && !looksLikePreRelease(tag)
  );
}

/** The text a semver/pep440/match rule reads: its `value`, or else the pushed git tag. */
function sourceOf(
  rule: Rule,
  env: Env,
  where: Where,
): { text: string; gitTag: boolean } | undefined {
  if (rule.attrs.value) return { text: render(rule.attrs.value, env.scope, where), gitTag: false };
  const tag = tagOf(env.context.ref);
  return tag === '' ? undefined : { text: tag, gitTag: true };
}

function produceVersion(rule: Rule, env: Env, where: Where): Outcome | undefined {
  const source = sourceOf(rule, env, where);
  if (!source) return undefined;
  let text: string | undefined = source.text;
  if (source.gitTag) text = releaseVersion(text, env.tagPattern);
  if (text === undefined) return undefined;
  if (rule.attrs.match) {
    const m = boundedExec(compileRegExp(rule.attrs.match, where), text, where);
    if (!m) return undefined;
    text = m[1] ?? m[0];
  }
  const parts: VersionParts | undefined =
    rule.type === 'semver' ? parseSemver(text) : parsePep440(text);
  if (!parts) return undefined;
  let pattern = rule.attrs.pattern;
  if (pattern.trim() === '') {
    env.warnings.push(
      `tags: the pattern is empty in "${rule.line}", so the rule gives no tag (as in metadata-action); expected a pattern such as {{version}} or {{major}}.{{minor}}`,
    );
    return undefined;
  }
  let names = new Set(expressionsOf(pattern, where).map((e) => e.name));
  const full = (n: Set<string>): boolean =>
    n.has('version') || n.has('raw') || (n.has('major') && n.has('minor') && n.has('patch'));
  // A pre-release only gets its full version: `{{major}}.{{minor}}` of 2.0.8-beta.67 would
  // otherwise move 2.0 onto a beta.
  if (!parts.final && !(names.has('version') || names.has('raw'))) {
    pattern = '{{version}}';
    names = new Set(['version']);
  }
  const { raw, version, major, minor, patch } = parts;
  const value = render(pattern, withVars(env.scope, { raw, version, major, minor, patch }), where);
  return one(value, true, !full(names), parts.final);
}

function produceMatch(rule: Rule, env: Env, where: Where): Outcome | undefined {
  const source = sourceOf(rule, env, where);
  if (!source) return undefined;
  const m = boundedExec(compileRegExp(rule.attrs.pattern, where), source.text, where);
  const value = m?.[Number(rule.attrs.group)];
  if (value === undefined) return undefined;
  const release = source.gitTag
    ? isReleaseTag(source.text, env)
    : !looksLikePreRelease(source.text);
  // A captured group such as `1` (of v1.2.3) is a partial version, re-pointed by every release
  // of that line: it moves unless it is a full version itself.
  return one(value, true, !isFullVersion(value), release);
}
