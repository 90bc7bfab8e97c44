import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { getInputs } from '../../src/inputs/inputs.js';
import { imageList, platformList } from '../../src/inputs/values.js';

type ActionYml = { inputs: Record<string, { default?: string }> };
const action = parse(
  readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'),
) as ActionYml;

// Sets INPUT_* the way the runner does: every input with its action.yml default, then overrides.
function setInputs(overrides: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  const all: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) all[name] = spec.default ?? '';
  all['github-token'] = '';
  Object.assign(all, overrides);
  for (const [name, value] of Object.entries(all)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
}

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

test('defaults from action.yml give a usable Inputs', async () => {
  setInputs({ images: 'ghcr.io/acme/app' });
  const inputs = await getInputs();
  expect(inputs).toMatchObject({
    images: ['ghcr.io/acme/app'],
    tags: [],
    flavor: ['latest=auto'],
    context: '.',
    push: 'auto',
    dryRun: false,
    summary: true,
    load: false,
    artifactName: 'image-digest-{{image}}-{{job}}',
    sepTags: '\n',
    logout: true,
  });
});

test('secrets are masked before use and parsed as id=value', async () => {
  const writes: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  setInputs({ images: 'a/b', password: 'pw-123', secrets: 'npm=tok=en\nother=x' });
  const inputs = await getInputs();
  expect(inputs.secrets).toEqual([
    { id: 'npm', value: 'tok=en' },
    { id: 'other', value: 'x' },
  ]);
  expect(writes.join('')).toContain('::add-mask::pw-123');
  expect(writes.join('')).toContain('::add-mask::tok=en');
});

test.each([
  [{ push: 'maybe' }, 'push: "maybe" is not a push mode; expected auto, true or false'],
  [{ 'dry-run': 'yes' }, 'dry-run: "yes" is not a boolean; expected true or false'],
  [{ 'no-cache': 'ture' }, 'no-cache: "ture" is not a boolean; expected true or false'],
  [
    { platforms: 'linux/amd64,linx-arm64' },
    'platforms: "linx-arm64" is not a platform; expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, comma separated',
  ],
  [
    { secrets: 'justavalue' },
    'secrets: entry 1 (value hidden) has no ID before "="; expected ID=VALUE, one per line, a value with commas or line breaks in double quotes ("ID=a,b")',
  ],
  [
    { secrets: '=s3cr3t-value-not-shown' },
    'secrets: entry 1 (value hidden) has no ID before "="; expected ID=VALUE, one per line, a value with commas or line breaks in double quotes ("ID=a,b")',
  ],
  [
    { 'secret-files': 'npmrc' },
    'secret-files: entry "npmrc" has no "="; expected ID=PATH, one per line',
  ],
  [
    { file: '-' },
    'file: "-" would make buildx read the Dockerfile from standard input, which a step does not have; expected the path of a Dockerfile, such as ./Dockerfile or docker/app.Dockerfile',
  ],
  [
    { registry: '--help' },
    'registry: "--help" is not a registry host; expected a host such as ghcr.io, docker.io or host:port, without a path',
  ],
  [
    { 'buildx-version': '0.19' },
    'buildx-version: "0.19" is not a buildx release; expected a version such as 0.19.3, or latest',
  ],
  [
    { 'merge-group': 'my app' },
    'merge-group: "my app" is not a group name; expected up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit (for example "app")',
  ],
  [
    { merge: 'true' },
    'merge: true needs merge-group: the name the platform jobs were given, whose digests this step merges into one index',
  ],
  [{ merge: 'yes' }, 'merge: "yes" is not a boolean; expected true or false'],
])('bad input %j fails with a clear error', async (overrides, message) => {
  setInputs({ images: 'a/b', ...overrides });
  await expect(getInputs()).rejects.toThrow(message);
});

test('merge-group and merge', async () => {
  setInputs({ images: 'a/b', 'merge-group': 'web.api_2-x', merge: 'true' });
  expect(await getInputs()).toMatchObject({ mergeGroup: 'web.api_2-x', merge: true });
  setInputs({ images: 'a/b' });
  expect(await getInputs()).toMatchObject({ mergeGroup: '', merge: false });
});

test('a secret without "=" is not echoed in the error', async () => {
  setInputs({ images: 'a/b', secrets: 'hunter2' });
  await expect(getInputs()).rejects.toThrow(/^(?!.*hunter2)/);
});

test.each([
  ['ghcr.io/a/b', ['ghcr.io/a/b']],
  ['a/b, c/d\n e/f ', ['a/b', 'c/d', 'e/f']],
  ['name=a/b,enable=false\nc/d', ['name=a/b,enable=false', 'c/d']],
  ['# comment\na/b\n\n', ['a/b']],
])('imageList(%j)', (value, expected) => {
  expect(imageList(value)).toEqual(expected);
});

test.each([
  ['', []],
  ['linux/amd64', ['linux/amd64']],
  ['linux/amd64,linux/arm64/v8\nlinux/arm/v7', ['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']],
])('platformList(%j)', (value, expected) => {
  expect(platformList(value)).toEqual(expected);
});

describe('registry-auth and retries', () => {
  const auth = '- registry: quay.io\n  username: bot\n  password: quay-pw-123\n- registry: ghcr.io';

  test('registry-auth is parsed; its passwords are the first thing masked', async () => {
    const writes: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    setInputs({ images: 'quay.io/a/b', 'registry-auth': auth });
    const inputs = await getInputs();
    expect(inputs.registryAuth).toEqual([
      { registry: 'quay.io', username: 'bot', password: 'quay-pw-123' },
      { registry: 'ghcr.io', username: '', password: '' },
    ]);
    expect(writes[0]).toBe('::add-mask::quay-pw-123\n');
    expect(inputs.retries).toBe(3);
  });

  test('a malformed registry-auth masks what it can read and names the entry', async () => {
    const writes: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    setInputs({
      images: 'a/b',
      'registry-auth': '- registry: quay.io\n  password: quay-pw-123\n  user: bot',
    });
    await expect(getInputs()).rejects.toThrow(
      'registry-auth: entry 1 has an unknown key "user"; expected registry, username and password',
    );
    expect(writes).toContain('::add-mask::quay-pw-123\n');
  });

  test.each([
    [{ registry: 'ghcr.io' }, 'registry-auth: cannot be combined with registry;'],
    [
      { username: 'u', password: 'p' },
      'registry-auth: cannot be combined with username, password;',
    ],
  ])('mixed with %j: an error', async (single, message) => {
    setInputs({ images: 'a/b', 'registry-auth': auth, ...single });
    await expect(getInputs()).rejects.toThrow(message);
  });

  test.each([
    ['0', 0],
    ['5', 5],
    [' 10 ', 10],
  ])('retries %j is %i', async (value, expected) => {
    setInputs({ images: 'a/b', retries: value });
    expect((await getInputs()).retries).toBe(expected);
  });

  test.each(['-1', '11', 'three', '1.5', ''])('retries %j is refused', async (value) => {
    setInputs({ images: 'a/b', retries: value });
    await expect(getInputs()).rejects.toThrow(
      `retries: "${value}" is not a retry count; expected a whole number from 0 (no retries) to 10`,
    );
  });
});
