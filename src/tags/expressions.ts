import type { Context } from '../context/context.js';
import { baseRefOf, branchOf, isDefaultBranch, tagOf } from './refs.js';
import { dateHelper, type Scope } from './template.js';

/**
 * The global expressions available in rule values, prefixes, suffixes, `enable`, flavor,
 * labels and annotations: `{{branch}}`, `{{tag}}`, `{{sha}}`, `{{base_ref}}`,
 * `{{is_default_branch}}`, `{{is_not_default_branch}}`, `{{run_number}}`,
 * `{{date 'FORMAT' tz='ZONE'}}` (the clock) and `{{commit_date 'FORMAT'}}` (the commit).
 */
export function globalScope(context: Context, now: Date): Scope {
  const isDefault = isDefaultBranch(context);
  return {
    vars: {
      branch: branchOf(context.ref),
      tag: tagOf(context.ref),
      sha: context.sha.slice(0, context.shortShaLength),
      base_ref: baseRefOf(context),
      is_default_branch: String(isDefault),
      is_not_default_branch: String(!isDefault),
      run_number: context.runNumber,
    },
    helpers: { date: dateHelper(now), commit_date: dateHelper(context.commitDate) },
  };
}

/** The scope extended with extra variables (the version parts of semver/pep440 patterns). */
export function withVars(scope: Scope, vars: Record<string, string>): Scope {
  return { vars: { ...scope.vars, ...vars }, helpers: scope.helpers };
}
