import { createHash } from 'node:crypto';

/** Docker's limit on the length of a tag. */
export const MAX_TAG_LENGTH = 128;

/** A piece of a tag: `derived` pieces come from the ref or the clock and may be shortened. */
export interface Segment {
  text: string;
  derived: boolean;
}

// Shortened pieces end in "-" and 7 hex digits of the whole piece's hash, so two long branch
// names that share a beginning still get different tags.
const HASH_LENGTH = 7;
const MIN_SHORTENED = HASH_LENGTH + 2;

/** Replaces each run of characters a Docker tag cannot hold with `-`. */
export function sanitizeTagText(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/** Shortens `text` to `length` characters: its beginning, `-`, and a hash of the whole. */
export function shorten(text: string, length: number): string {
  if (text.length <= length) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
  return `${text.slice(0, length - HASH_LENGTH - 1)}-${hash}`;
}

/**
 * Joins the segments of a tag into a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`):
 * invalid characters become `-`, a leading `.` or `-` is dropped, and derived segments are
 * shortened until the tag fits in 128 characters. Returns '' when nothing is left, and
 * `{ overflow }` when the written (non-derived) parts alone are too long.
 */
export function fitTag(segments: Segment[]): { tag: string } | { overflow: string } {
  const parts = segments.map((s) => ({ ...s, text: sanitizeTagText(s.text) }));
  for (const part of parts) {
    part.text = part.text.replace(/^[.-]+/, '');
    if (part.text !== '') break;
  }
  let excess = parts.reduce((n, p) => n + p.text.length, 0) - MAX_TAG_LENGTH;
  const byLength = parts.filter((p) => p.derived).sort((a, b) => b.text.length - a.text.length);
  for (const part of byLength) {
    if (excess <= 0) break;
    const cut = Math.min(excess, part.text.length - MIN_SHORTENED);
    if (cut <= 0) continue;
    part.text = shorten(part.text, part.text.length - cut);
    excess -= cut;
  }
  const tag = parts.map((p) => p.text).join('');
  return excess > 0 ? { overflow: tag } : { tag };
}
