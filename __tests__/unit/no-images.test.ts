// No `images`: metadata-action's cases with an empty images input run through the action's own
// inputs (INPUT_* as the runner sets them) and plan, for a dry run and push: false; a push fails.
import { jest } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { contextFrom, type Payload } from '../../src/context/context.js';
import { getInputs } from '../../src/inputs/inputs.js';
import { makePlan } from '../../src/plan.js';

interface Case {
  id: string;
  env: Record<string, string>;
  extraEnv: Record<string, string>;
  eventJson: string | null;
  effectiveInputs: { images: string[]; tags: string[]; flavor: string[]; labels: string[] };
  expected: { tags: string[] };
}

const root = fileURLToPath(
  new URL('../../../shared/conformance/metadata-action/', import.meta.url),
);
const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const divergences = JSON.parse(
  readFileSync(new URL('./conformance-divergences.json', import.meta.url), 'utf8'),
) as { id: string }[];

function setInputs(overrides: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const all: Record<string, string> = { 'github-token': '' };
  for (const [name, spec] of Object.entries(action.inputs)) all[name] = spec.default ?? '';
  Object.assign(all, { 'github-token': '' }, overrides);
  for (const [name, value] of Object.entries(all)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

const data = existsSync(`${root}cases.json`)
  ? (JSON.parse(readFileSync(`${root}cases.json`, 'utf8')) as {
      conventions: { frozenNow: string; frozenCommitDate: string };
      cases: Case[];
    })
  : undefined;
const fixture = (name: string): Payload =>
  JSON.parse(readFileSync(`${root}fixtures/${name}`, 'utf8')) as Payload;

const cases = (data?.cases ?? []).filter(
  (c) => c.effectiveInputs.images.length === 0 && !divergences.some((d) => d.id === c.id),
);

(data ? describe : describe.skip)('metadata-action cases without images', () => {
  test('there are such cases', () => expect(cases.length).toBeGreaterThanOrEqual(2));

  test.each(
    cases.flatMap((c) => [[c.id, 'dry-run', c] as const, [c.id, 'push false', c] as const]),
  )('%s (%s) plans the bare tags', async (_id, how, c) => {
    const now = new Date(data!.conventions.frozenNow);
    const payload: Payload = c.eventJson ? fixture(c.eventJson) : {};
    payload.repository = fixture('repo.json');
    const context = contextFrom({ ...c.env, ...c.extraEnv }, payload, now);
    context.commitDate = new Date(data!.conventions.frozenCommitDate);
    const { tags, flavor, labels } = c.effectiveInputs;
    setInputs({
      images: '',
      tags: tags.join('\n'),
      flavor: flavor.join('\n'),
      labels: labels.join('\n'),
      ...(how === 'dry-run' ? { 'dry-run': 'true' } : { push: 'false' }),
    });
    const plan = makePlan(await getInputs(), context, now);
    expect(plan.meta.tags).toEqual(c.expected.tags);
    expect(plan.push).toBe(false);
  });
});

describe('a push without images', () => {
  const context = contextFrom(
    { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3', GITHUB_SHA: 'abc' },
    {},
    new Date(),
  );

  test('push: true fails naming images', async () => {
    setInputs({ images: '', push: 'true' });
    await expect(getInputs().then((i) => makePlan(i, context, new Date()))).rejects.toThrow(
      'images: no image name given, but push is true; expected at least one name such as ghcr.io/acme/app, or push: false to build (or dry-run: true to plan) the bare tags without pushing',
    );
  });

  test('push: auto on a push event builds without pushing, and says why', async () => {
    setInputs({ images: '' });
    const plan = makePlan(await getInputs(), context, new Date());
    expect(plan.push).toBe(false);
    expect(plan.meta.tags).toEqual(['1.2.3', '1.2', '1', 'sha-abc', 'latest']);
    expect(plan.notice).toContain('images is empty');
  });
});
