import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildxArgs } from '../../src/docker/buildx-args.js';
import { buildxPlan } from '../fixtures/buildx-plan.js';
import { getInputs } from '../../src/inputs/inputs.js';

type ActionYml = { inputs: Record<string, { default?: string }> };
const action = parse(
  readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'),
) as ActionYml;

// Sets INPUT_* the way the runner does: every input with its action.yml default, then overrides.
function setInputs(overrides: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) all[name] = spec.default ?? '';
  Object.assign(all, { 'github-token': '', images: 'a/b' }, overrides);
  for (const [name, value] of Object.entries(all)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

let writes: string[] = [];
beforeEach(() => {
  writes = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());

test('defaults: no test, a 10 minute timeout', async () => {
  setInputs({});
  expect(await getInputs()).toMatchObject({
    test: '',
    testTarget: '',
    testEnv: [],
    testTimeout: '10m',
    testTimeoutMs: 600_000,
  });
});

test('test, test-target, test-env and test-timeout are read; test-env values are masked', async () => {
  setInputs({
    test: 'make check\n./smoke.sh',
    'test-target': 'test',
    'test-env': 'API_TOKEN=tok-Secret-42\n# a comment\nMODE=ci',
    'test-timeout': '90s',
  });
  const inputs = await getInputs();
  expect(inputs).toMatchObject({
    test: 'make check\n./smoke.sh',
    testTarget: 'test',
    testEnv: [
      { name: 'API_TOKEN', value: 'tok-Secret-42' },
      { name: 'MODE', value: 'ci' },
    ],
    testTimeoutMs: 90_000,
  });
  expect(writes.join('')).toContain('::add-mask::tok-Secret-42');
  expect(writes.join('')).toContain('::add-mask::ci');
});

test.each([
  [{ 'test-timeout': 'soon' }, 'test-timeout: "soon" is not a duration'],
  [{ 'test-timeout': '0' }, 'test-timeout: "0" is not a positive duration'],
  [{ 'test-timeout': '-3s' }, 'test-timeout: "-3s" is not a positive duration'],
  [{ 'test-env': 'DOCKER_HOST=tcp://x' }, 'test-env: DOCKER_HOST is read by the docker CLI'],
])('bad input %j fails naming the input and the value', async (overrides, message) => {
  setInputs(overrides);
  await expect(getInputs()).rejects.toThrow(message);
});

test('buildxArgs: outputs go before the metadata file and the context', () => {
  const args = buildxArgs(
    buildxPlan('ctx', {
      metadataFile: 'm.json',
      iidFile: 'iid',
      outputs: ['type=image,"name=a,b",push-by-digest=true'],
    }),
  );
  expect(args.join(' ')).toBe(
    'buildx build --output type=image,"name=a,b",push-by-digest=true --metadata-file m.json --iidfile iid -- ctx',
  );
});
