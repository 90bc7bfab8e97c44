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

/** metadata-action's bake-file outputs: the output name and the file name's suffix. */
export const BAKE_FILES = [
  ['bake-file-tags', '-tags'],
  ['bake-file-labels', '-labels'],
  ['bake-file-annotations', '-annotations'],
  ['bake-file', ''],
] as const;

/**
 * The bake definitions metadata-action writes (`docker-metadata-action-bake*.json`), by output
 * name, for `docker buildx bake -f`. Annotations carry their levels (default `manifest`). Pure.
 */
export function bakeDefinitions(meta: Meta, target: string): Record<string, string> {
  const labels = metaJson(meta).labels;
  const args = { DOCKER_META_IMAGES: meta.images.join(','), DOCKER_META_VERSION: meta.version };
  const file = (definition: unknown): string =>
    JSON.stringify({ target: { [target]: definition } }, null, 2);
  return {
    'bake-file-tags': file({ tags: meta.tags, args }),
    'bake-file-labels': file({ labels }),
    'bake-file-annotations': file({ annotations: levelled(meta.annotations) }),
    'bake-file': file({ tags: meta.tags, labels, args }),
  };
}

function levelled(annotations: string[]): string[] {
  return annotations.map((a) => (LEVELLED.test(a) ? a : `manifest:${a}`));
}

/** The name of the environment variable metadata-action exports for an output. */
export function metadataEnvName(output: string): string {
  return `DOCKER_METADATA_OUTPUT_${output.replace(/\W/g, '_').toUpperCase()}`;
}

/**
 * The DOCKER_METADATA_OUTPUT_* variables with the values metadata-action gives them: its
 * annotations carry their level (`manifest:` when DOCKER_METADATA_ANNOTATIONS_LEVELS is unset).
 * The bake files' variables are added by the caller, which writes the files. Pure.
 */
export function metadataEnv(
  meta: Meta,
  sep: { tags: string; labels: string; annotations: string },
): Record<string, string> {
  const outputs = metaOutputs({ ...meta, annotations: levelled(meta.annotations) }, sep);
  const env: Record<string, string> = {};
  for (const name of METADATA_ENV_OUTPUTS) env[metadataEnvName(name)] = outputs[name];
  return env;
}

const LEVELLED = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:/;
