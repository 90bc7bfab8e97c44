import type { Context } from '../context/context.js';
import { compileRegExp } from './errors.js';
import { globalScope } from './expressions.js';
import { parseFlavor } from './flavor.js';
import { imageEntries } from './images.js';
import { mergeEntries, ociEntries, withLevels } from './labels.js';
import { parseRules } from './rules.js';
import { referenceRules } from './references.js';
import { planTags, type PlannedTag } from './engine.js';

export { resolveNow } from './clock.js';
export type { PlannedTag } from './engine.js';

/** The tag-related inputs, already split into list entries. */
export interface TagInputs {
  /** One entry per list item: `ghcr.io/owner/app` or `name=...,enable=...`. */
  images: string[];
  /** Rule lines in metadata-action's syntax; empty means metadata-action's defaults. */
  tags: string[];
  flavor: string[];
  labels: string[];
  annotations: string[];
  /** Regular expression a git tag must match to be a release; '' for none. */
  tagPattern: string;
}

/** Everything computed from the inputs, the context and the clock. */
export interface Meta {
  /** The version output ('' when no rule applies). */
  version: string;
  /** Enabled image names, validated and lower-cased. */
  images: string[];
  /** Full references `image:tag`, image by image, in tag order. */
  tags: string[];
  /** Bare tag names, in order, unique. */
  tagNames: string[];
  /** The same names with their push order: immutable ones first when pushing. */
  planned: PlannedTag[];
  /** `key=value`, sorted; user labels replace the generated OCI ones. */
  labels: string[];
  /** Like labels; prefixed with their levels (`manifest:...`) when levels are given. */
  annotations: string[];
  /** What metadata-action would pass over in silence (an attribute a rule does not know, ...). */
  warnings?: string[];
}

/** The `tags` default of build-tag-push (DESIGN.md), used by the caller when the input is empty. */
export const DEFAULT_TAG_RULES: string[] = [
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=sha',
];

/** metadata-action's defaults, which computeMeta applies when given no rules at all. */
export const METADATA_ACTION_DEFAULT_TAG_RULES: string[] = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
];

/**
 * Computes version, tags, labels and annotations the way docker/metadata-action does, with
 * build-tag-push's corrections (no `latest` on pre-releases, unique tags, tags that Docker
 * accepts) and additions (tag-pattern, `{{run_number}}`). Pure: same inputs, same result.
 */
export function computeMeta(
  inputs: TagInputs,
  context: Context,
  now: Date,
  options?: { annotationLevels?: string[] },
): Meta {
  const entries = imageEntries(inputs.images);
  const images = [...new Set(entries.filter((e) => e.enable).map((e) => e.name))];
  const lines = referenceRules(
    inputs.tags.filter((line) => line.trim() !== ''),
    entries,
  );
  const warnings: string[] = [];
  const rules = parseRules(lines.length > 0 ? lines : METADATA_ACTION_DEFAULT_TAG_RULES, warnings);
  const flavor = parseFlavor(inputs.flavor.filter((line) => line.trim() !== ''));
  const tagPattern = inputs.tagPattern
    ? compileRegExp(inputs.tagPattern, { input: 'tag-pattern', line: '' })
    : undefined;
  const scope = globalScope(context, now);
  const { version, planned } = planTags(rules, flavor, context, scope, tagPattern, warnings);
  const tagNames = planned.map((t) => t.name);
  const tags =
    images.length > 0
      ? images.flatMap((image) => tagNames.map((name) => `${image}:${name}`))
      : tagNames;
  const oci = ociEntries(context, now, version);
  return {
    version,
    images,
    tags,
    tagNames,
    planned,
    labels: mergeEntries(oci, inputs.labels, scope, 'labels'),
    annotations: withLevels(
      mergeEntries(oci, inputs.annotations, scope, 'annotations'),
      options?.annotationLevels,
    ),
    warnings,
  };
}
