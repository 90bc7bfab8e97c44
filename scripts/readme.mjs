// Renders the input and output tables of docs/reference.md from action.yml, so the two cannot drift.
// `node scripts/readme.mjs` rewrites the tables there; the unit tests fail when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The page that holds the generated tables, relative to the repository root. */
export const referencePage = 'docs/reference.md';

const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

function showDefault(value) {
  if (value === undefined) return '';
  if (value === '') return '';
  return '`' + JSON.stringify(value).slice(1, -1).replace(/`/g, "'") + '`';
}

export function renderTables(actionYml) {
  const action = parse(actionYml);
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.required ? 'yes' : ''} | ${showDefault(spec.default)} | ${cell(spec.description)} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return {
    inputs: [
      '| input | required | default | description |',
      '| --- | --- | --- | --- |',
      ...inputs,
    ].join('\n'),
    outputs: ['| output | description |', '| --- | --- |', ...outputs].join('\n'),
  };
}

export function updateTables(page, tables) {
  let text = page;
  for (const [name, table] of Object.entries(tables)) {
    const start = `<!-- ${name}:start -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from)
      throw new Error(`${referencePage}: markers ${start} ... ${end} are missing`);
    text = text.slice(0, from + start.length) + '\n' + table + '\n' + text.slice(to);
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = new URL('../', import.meta.url);
  const pagePath = new URL(referencePage, root);
  const tables = renderTables(readFileSync(new URL('action.yml', root), 'utf8'));
  writeFileSync(pagePath, updateTables(readFileSync(pagePath, 'utf8'), tables));
}
