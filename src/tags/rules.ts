import { splitFields, splitKeyValue } from './csv.js';
import { compileRegExp, inputError, type Where } from './errors.js';

export const RULE_TYPES = [
  'schedule',
  'semver',
  'pep440',
  'match',
  'edge',
  'ref',
  'raw',
  'sha',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const REF_EVENTS = ['branch', 'tag', 'pr'] as const;
export type RefEvent = (typeof REF_EVENTS)[number];

/** One parsed line of the `tags` input, with metadata-action's defaults filled in. */
export interface Rule {
  type: RuleType;
  /** Attributes as written (keys lower-cased), plus the type's defaults. */
  attrs: Record<string, string>;
  priority: number;
  line: string;
}

// metadata-action's default priorities: they order the tags and pick the version output.
const PRIORITY: Record<RuleType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix', 'moving'];
const ATTRIBUTES: Record<RuleType, string[]> = {
  schedule: [...COMMON, 'pattern'],
  semver: [...COMMON, 'pattern', 'value', 'match'],
  pep440: [...COMMON, 'pattern', 'value', 'match'],
  match: [...COMMON, 'pattern', 'group', 'value'],
  edge: [...COMMON, 'branch'],
  ref: [...COMMON, 'event'],
  raw: [...COMMON, 'value'],
  sha: [...COMMON, 'format'],
};

/**
 * Parses one rule line; a line without `type=` is a raw tag (`foo` = `type=raw,value=foo`).
 * An attribute the type does not know is left out with a warning (metadata-action ignores it).
 */
export function parseRule(line: string, warnings: string[] = []): Rule {
  const where: Where = { input: 'tags', line };
  const attrs: Record<string, string> = {};
  let bareValue = false;
  for (const field of splitFields(line, 'tags')) {
    const { key, value } = splitKeyValue(field);
    // A bare field is the value: `type=raw,foo` is `type=raw,value=foo`.
    const name = key ?? 'value';
    if (name === '') throw inputError(where, `"${field}" has no attribute name`, 'key=value');
    if (Object.hasOwn(attrs, name)) {
      throw inputError(
        where,
        key === undefined ? `"${field}" is a second value` : `attribute "${name}" is given twice`,
        key === undefined ? 'one value (one tag) per line' : 'each attribute once',
      );
    }
    attrs[name] = value;
    if (key === undefined) bareValue = true;
  }
  const type = (attrs.type ?? 'raw') as RuleType;
  if (!RULE_TYPES.includes(type)) {
    throw inputError(where, `unknown type "${attrs.type}"`, `one of ${RULE_TYPES.join(', ')}`);
  }
  for (const key of Object.keys(attrs)) {
    if (!ATTRIBUTES[type].includes(key)) {
      const what =
        key === 'value' && bareValue
          ? `type=${type} takes no bare value ("${attrs[key]}")`
          : `type=${type} has no attribute "${key}"`;
      warnings.push(
        inputError(
          where,
          `${what}; it is ignored, as metadata-action ignores it`,
          `attributes among ${ATTRIBUTES[type].join(', ')}`,
        ).message,
      );
      delete attrs[key];
    }
  }
  attrs.enable ??= 'true';
  let priority = PRIORITY[type];
  if (attrs.priority !== undefined) {
    if (!/^-?\d+$/.test(attrs.priority)) {
      throw inputError(where, `invalid priority "${attrs.priority}"`, 'a whole number such as 500');
    }
    priority = Number(attrs.priority);
  }
  if (attrs.moving !== undefined && !/^(true|false)$/.test(attrs.moving)) {
    throw inputError(
      where,
      `invalid moving "${attrs.moving}"`,
      'moving=true (the tag is expected to change: pushed only after verification, forward only) or moving=false (it names one image for good)',
    );
  }
  applyTypeDefaults(type, attrs, where);
  return { type, attrs, priority, line };
}

function applyTypeDefaults(type: RuleType, attrs: Record<string, string>, where: Where): void {
  switch (type) {
    case 'schedule':
      if (!attrs.pattern) attrs.pattern = 'nightly';
      break;
    case 'semver':
    case 'pep440':
      // metadata-action requires a pattern; an empty one gives no tag (see the engine).
      attrs.pattern ??= '{{version}}';
      if (attrs.match !== undefined) compileRegExp(attrs.match, where);
      break;
    case 'match':
      if (!attrs.pattern) {
        throw inputError(
          where,
          'type=match needs a pattern',
          'pattern=<regular expression>, e.g. pattern=v(\\d+\\.\\d+\\.\\d+),group=1',
        );
      }
      compileRegExp(attrs.pattern, where);
      attrs.group ??= '0';
      if (!/^\d+$/.test(attrs.group)) {
        throw inputError(
          where,
          `invalid group "${attrs.group}"`,
          'a capture group number such as 0 or 1',
        );
      }
      break;
    case 'ref':
      if (attrs.event === undefined) {
        throw inputError(where, 'type=ref needs an event', 'event=branch, event=tag or event=pr');
      }
      if (!(REF_EVENTS as readonly string[]).includes(attrs.event)) {
        throw inputError(
          where,
          `unknown event "${attrs.event}"`,
          `one of ${REF_EVENTS.join(', ')}`,
        );
      }
      if (attrs.event === 'pr') attrs.prefix ??= 'pr-';
      break;
    case 'raw':
      if (attrs.value === undefined) {
        throw inputError(where, 'type=raw needs a value', 'type=raw,value=<tag> or type=raw,<tag>');
      }
      break;
    case 'sha':
      attrs.format ??= 'short';
      if (attrs.format !== 'short' && attrs.format !== 'long') {
        throw inputError(where, `unknown format "${attrs.format}"`, 'format=short or format=long');
      }
      attrs.prefix ??= 'sha-';
      break;
    case 'edge':
      break;
  }
}

/** Parses the rule lines, highest priority first (stable for equal priorities). */
export function parseRules(lines: string[], warnings: string[] = []): Rule[] {
  return lines
    .filter((line) => line.trim() !== '')
    .map((line) => parseRule(line, warnings))
    .sort((a, b) => b.priority - a.priority);
}
