// Reads the project's markdown the way GitHub renders it: headings and their anchors, links,
// and fenced code blocks, outside code. For the tests that keep README.md and docs/ honest.
import { readdirSync, readFileSync } from 'node:fs';

export const root = new URL('../../', import.meta.url);
export const read = (name: string): string => readFileSync(new URL(name, root), 'utf8');

/** README.md, SECURITY.md and every page of docs/ (not docs/pending/, whose pages are drafts). */
export function documents(): string[] {
  const pages = readdirSync(new URL('docs/', root)).filter((name) => name.endsWith('.md'));
  return ['README.md', 'SECURITY.md', ...pages.sort().map((name) => `docs/${name}`)];
}

export interface Block {
  lang: string;
  text: string;
  line: number;
}

/** The text outside fenced code, and the fenced blocks with their language and first line. */
export function split(markdown: string): { prose: string[]; blocks: Block[] } {
  const prose: string[] = [];
  const blocks: Block[] = [];
  let open: Block | undefined;
  markdown.split('\n').forEach((line, index) => {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence && !open) open = { lang: fence[1], text: '', line: index + 2 };
    else if (fence && open) {
      blocks.push(open);
      open = undefined;
    } else if (open) open.text += line + '\n';
    else prose.push(line);
  });
  return { prose, blocks };
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a page has, numbered as GitHub numbers repeated headings. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const line of split(markdown).prose) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = slug(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

/** The targets of the inline links of a page, outside code. */
export function links(markdown: string): string[] {
  const text = split(markdown)
    .prose.join('\n')
    .replace(/`[^`]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

/** A YAML block of an example with its common indentation removed (steps are often shown alone). */
export function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}
