import type { Context } from '../context/context.js';
import { inputError, type Where } from './errors.js';
import { render, type Scope } from './template.js';

const OCI = 'org.opencontainers.image';

/** The OCI labels/annotations generated from the repository, the commit and the version. */
export function ociEntries(context: Context, now: Date, version: string): string[] {
  const repo = context.repository;
  return [
    `${OCI}.created=${now.toISOString()}`,
    `${OCI}.description=${repo.description}`,
    `${OCI}.licenses=${repo.license}`,
    `${OCI}.revision=${context.sha}`,
    `${OCI}.source=${repo.htmlUrl}`,
    `${OCI}.title=${repo.name}`,
    `${OCI}.url=${repo.htmlUrl}`,
    `${OCI}.version=${version}`,
  ];
}

/**
 * Merges generated entries with the user's (`key=value`, global expressions allowed): a user
 * key replaces a generated one; an entry without `=` is ignored, as metadata-action does.
 * The result is sorted, which is the order metadata-action outputs.
 */
export function mergeEntries(
  generated: string[],
  user: string[],
  scope: Scope,
  input: string,
): string[] {
  const entries = new Map<string, string>();
  for (const entry of generated) add(entries, entry);
  for (const line of user) {
    if (line.trim() === '') continue;
    const where: Where = { input, line };
    const entry = render(line, scope, where);
    if (!entry.includes('=')) continue;
    if (entry.startsWith('=')) throw inputError(where, 'no key before "="', 'key=value');
    add(entries, entry);
  }
  return [...entries].map(([key, value]) => `${key}=${value}`).sort();
}

function add(entries: Map<string, string>, entry: string): void {
  const at = entry.indexOf('=');
  entries.set(entry.slice(0, at).trim(), entry.slice(at + 1));
}

const LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?$/;

/**
 * Prefixes annotations with their levels (`manifest:key=value`), one copy per level, as
 * metadata-action does with DOCKER_METADATA_ANNOTATIONS_LEVELS. No levels: unprefixed.
 */
export function withLevels(annotations: string[], levels: string[] | undefined): string[] {
  if (!levels || levels.length === 0) return annotations;
  for (const level of levels) {
    if (!LEVEL.test(level)) {
      throw new Error(
        `annotations: unknown level "${level}"; expected manifest, index, manifest-descriptor or index-descriptor`,
      );
    }
  }
  // An annotation written with its own level (`index:org.example=x`) keeps it, once.
  const own = annotations.filter((a) => LEVELLED.test(a));
  const plain = annotations.filter((a) => !LEVELLED.test(a));
  return [...levels.flatMap((level) => plain.map((a) => `${level}:${a}`)), ...own];
}

const LEVELLED = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:[^=]*=/;
