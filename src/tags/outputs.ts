import type { Meta } from './index.js';

/** The metadata outputs as strings, joined with the separators of the sep-* inputs. */
export function metaOutputs(
  meta: Meta,
  sep: { tags: string; labels: string; annotations: string },
): {
  version: string;
  tags: string;
  'tag-names': string;
  labels: string;
  annotations: string;
  json: string;
} {
  return {
    version: meta.version,
    tags: meta.tags.join(sep.tags),
    'tag-names': meta.tagNames.join(sep.tags),
    labels: meta.labels.join(sep.labels),
    annotations: meta.annotations.join(sep.annotations),
    json: JSON.stringify(metaJson(meta)),
  };
}

/** The object of metadata-action's `json` output: tags, tag names, labels as a map, annotations. */
export function metaJson(meta: Meta): {
  tags: string[];
  'tag-names': string[];
  labels: Record<string, string>;
  annotations: string[];
} {
  const labels: Record<string, string> = {};
  for (const label of meta.labels) {
    const at = label.indexOf('=');
    labels[label.slice(0, at)] = label.slice(at + 1);
  }
  return { tags: meta.tags, 'tag-names': meta.tagNames, labels, annotations: meta.annotations };
}

/** metadata-action's outputs that it also exports as DOCKER_METADATA_OUTPUT_<NAME> variables. */
export const METADATA_ENV_OUTPUTS = [
  'version',
  'tags',
  'tag-names',
  'labels',
  'annotations',
  'json',
] as const;

/** The name of the environment variable metadata-action exports for an output. */
export function metadataEnvName(output: string): string {
  return `DOCKER_METADATA_OUTPUT_${output.replace(/\W/g, '_').toUpperCase()}`;
}

/**
 * The DOCKER_METADATA_OUTPUT_* variables with the values metadata-action gives them: its
 * annotations carry their level (`manifest:` when DOCKER_METADATA_ANNOTATIONS_LEVELS is unset).
 * Bake files are not made (this action does not run bake). Pure.
 */
export function metadataEnv(
  meta: Meta,
  sep: { tags: string; labels: string; annotations: string },
): Record<string, string> {
  const leveled = meta.annotations.map((a) => (LEVELLED.test(a) ? a : `manifest:${a}`));
  const outputs = metaOutputs({ ...meta, annotations: leveled }, sep);
  const env: Record<string, string> = {};
  for (const name of METADATA_ENV_OUTPUTS) env[metadataEnvName(name)] = outputs[name];
  return env;
}

const LEVELLED = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:/;
