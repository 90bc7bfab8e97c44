// README.md and docs/ against action.yml: the generated input and output tables are current,
// every link between the pages resolves to a page and a heading, and every example parses
// and uses only real inputs. Run `node scripts/readme.mjs` when the tables drift.
import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { parse } from 'yaml';
// @ts-expect-error scripts/readme.mjs is plain JavaScript without type declarations
import { referencePage, renderTables, updateTables } from '../../scripts/readme.mjs';
import { anchors, dedent, documents, links, read, split } from './markdown.js';

type Render = (yml: string) => Record<string, string>;
type Update = (page: string, tables: Record<string, string>) => string;

const action = parse(read('action.yml')) as { inputs: Record<string, unknown> };
const inputs = new Set(Object.keys(action.inputs));

test(`${referencePage as string}: the input and output tables match action.yml (run node scripts/readme.mjs)`, () => {
  const page = read(referencePage as string);
  const tables = (renderTables as Render)(read('action.yml'));
  expect(page).toEqual((updateTables as Update)(page, tables));
});

test('every action.yml input is in the table', () => {
  const tables = (renderTables as Render)(read('action.yml'));
  for (const name of inputs) expect(tables.inputs).toContain(`| \`${name}\` |`);
});

test('the README stays a first screen: under 300 lines', () => {
  expect(read('README.md').split('\n').length).toBeLessThan(300);
});

test('every page of docs/ is linked from the README and from the docs index', () => {
  const pages = documents().filter((name) => name.startsWith('docs/') && name !== 'docs/README.md');
  expect(pages.length).toBeGreaterThanOrEqual(10);
  const page = (link: string): string => link.split('#')[0];
  const fromReadme = links(read('README.md')).map(page);
  const fromIndex = links(read('docs/README.md')).map(page);
  for (const name of pages) {
    expect([name, fromReadme.includes(name)]).toEqual([name, true]);
    expect([name, fromIndex.includes(name.slice('docs/'.length))]).toEqual([name, true]);
  }
});

describe.each(documents())('%s', (name) => {
  const text = read(name);

  test('every link to another page or a heading resolves', () => {
    const broken: string[] = [];
    for (const link of links(text)) {
      if (/^[a-z]+:/.test(link)) continue;
      const [path, anchor] = link.split('#');
      const target = path ? normalize(join(dirname(name), path)) : name;
      if (!existsSync(join(root(), target))) broken.push(`${link} (no file ${target})`);
      else if (anchor !== undefined && !anchors(read(target)).has(anchor))
        broken.push(`${link} (no heading #${anchor} in ${target})`);
    }
    expect(broken).toEqual([]);
  });

  test('every file of the repository it names is there', () => {
    const named = [...text.matchAll(/`((?:src|scripts|dist|__tests__)\/[\w./-]+)`/g)].map(
      (m) => m[1],
    );
    expect(named.filter((path) => !existsSync(join(root(), path)))).toEqual([]);
  });

  test('every YAML example parses, and this action is given only its own inputs', () => {
    for (const block of split(text).blocks.filter((b) => b.lang === 'yaml')) {
      const where = `${name}, the example at line ${block.line}`;
      let example: unknown;
      expect(() => (example = parse(dedent(block.text)) as unknown)).not.toThrow();
      const unknown = steps(example)
        .flatMap((step) => Object.keys(step.with ?? {}))
        .filter((key) => !inputs.has(key));
      expect([where, unknown]).toEqual([where, []]);
    }
  });
});

test('the examples use this action, with many of its inputs (the check above can fail)', () => {
  const used = new Set<string>();
  let count = 0;
  for (const name of documents()) {
    for (const block of split(read(name)).blocks.filter((b) => b.lang === 'yaml')) {
      for (const step of steps(parse(dedent(block.text)) as unknown)) {
        count++;
        for (const key of Object.keys(step.with ?? {})) used.add(key);
      }
    }
  }
  expect(count).toBeGreaterThanOrEqual(15);
  for (const key of ['images', 'registry-auth', 'test', 'merge-group', 'reuse', 'sign-key'])
    expect(used).toContain(key);
});

type Step = { uses: string; with?: Record<string, unknown> };

/** Every step of this action anywhere in a parsed example (a workflow, a job or a list of steps). */
function steps(node: unknown): Step[] {
  if (Array.isArray(node)) return node.flatMap(steps);
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const own =
    typeof record.uses === 'string' && record.uses.startsWith('acme/build-tag-push@')
      ? [record as Step]
      : [];
  return [...own, ...Object.values(record).flatMap(steps)];
}

function root(): string {
  return new URL('../../', import.meta.url).pathname;
}
