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
