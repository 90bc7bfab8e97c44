import { readFileSync } from 'node:fs';
// @ts-expect-error scripts/readme.mjs is plain JavaScript without type declarations
import { renderTables, updateReadme } from '../../scripts/readme.mjs';

const root = new URL('../../', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, root), 'utf8');

type Render = (yml: string) => Record<string, string>;
type Update = (readme: string, tables: Record<string, string>) => string;

test('README input and output tables match action.yml (run node scripts/readme.mjs)', () => {
  const readme = read('README.md');
  const tables = (renderTables as Render)(read('action.yml'));
  expect(readme).toEqual((updateReadme as Update)(readme, tables));
});

test('every action.yml input is documented in the table', () => {
  const tables = (renderTables as Render)(read('action.yml'));
  for (const name of ['images', 'tags', 'flavor', 'tag-pattern', 'dry-run', 'push']) {
    expect(tables.inputs).toContain(`| \`${name}\` |`);
  }
});
