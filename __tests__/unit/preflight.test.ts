import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPlatforms, engineUnreachable, parseBuilderDriver } from '../../src/docker/builder.js';
import { checkBuildSources, isRemoteContext } from '../../src/docker/preflight.js';

describe('checkBuildSources', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'btp-preflight-'));
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app', 'Dockerfile'), 'FROM scratch\n');
    mkdirSync(join(root, 'lower'));
    writeFileSync(join(root, 'lower', 'dockerfile'), 'FROM scratch\n');
    mkdirSync(join(root, 'empty'));
    writeFileSync(join(root, 'npmrc'), 'token');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  type Sources = Parameters<typeof checkBuildSources>[0];
  const none: Sources = { context: '.', file: '', secrets: [], secretFiles: [] };
  const check = (inputs: Partial<Sources>): (() => void) => {
    return () => checkBuildSources({ ...none, ...inputs }, root);
  };

  test.each([
    ['a context with a Dockerfile', { context: 'app' }],
    ['a context with a lower-case dockerfile', { context: './lower' }],
    ['file given relative to the workspace', { context: 'empty', file: 'app/Dockerfile' }],
    ['a Git context is not looked at', { context: 'https://github.com/acme/app.git#main' }],
    ['an ssh Git context', { context: 'git@github.com:acme/app.git' }],
    ['a readable secret file', { context: 'app', secretFiles: [{ id: 'npmrc', value: 'npmrc' }] }],
  ])('%s passes', (_name, inputs) => {
    expect(check(inputs)).not.toThrow();
  });

  test.each([
    [
      'a context that does not exist',
      { context: './nope' },
      `context: "./nope" is not a directory (no such file or directory); expected the build context's directory, relative to the workspace ROOT, or a Git URL`,
    ],
    [
      'a context that is a file',
      { context: 'npmrc' },
      `context: "npmrc" is not a directory (it is a file); expected the build context's directory, relative to the workspace ROOT, or a Git URL`,
    ],
    [
      'a file that does not exist',
      { context: 'app', file: 'Dockerfile.prod' },
      `file: "Dockerfile.prod" is not a file (no such file or directory); expected the Dockerfile's path, relative to the workspace ROOT`,
    ],
    [
      'a file that is a directory',
      { context: 'app', file: 'app' },
      `file: "app" is not a file (it is a directory); expected the Dockerfile's path, relative to the workspace ROOT`,
    ],
    [
      'no file and no Dockerfile in the context',
      { context: 'empty' },
      `file: empty, and the context "empty" has no Dockerfile; expected a Dockerfile in the context, or file set to the Dockerfile's path`,
    ],
    [
      'a secret file that does not exist',
      { context: 'app', secretFiles: [{ id: 'npmrc', value: '/nope/npmrc' }] },
      `secret-files: the file "/nope/npmrc" of secret "npmrc" cannot be read (no such file or directory); expected ID=PATH to a readable file`,
    ],
    [
      'a secret id buildx cannot take',
      { context: 'app', secrets: [{ id: 'a,b', value: 'hidden-value' }] },
      `secrets: secret id "a,b" has characters buildx cannot take; expected letters, digits, ".", "_" or "-"`,
    ],
    [
      'a secret id given twice',
      {
        context: 'app',
        secrets: [{ id: 'npmrc', value: 'x' }],
        secretFiles: [{ id: 'npmrc', value: 'npmrc' }],
      },
      `secret-files: secret id "npmrc" is given twice (secrets and secret-files share ids)`,
    ],
  ])('%s fails naming the input', (_name, inputs, message) => {
    expect(check(inputs)).toThrow(message.replace('ROOT', root));
  });

  test('a secret value is never in the error', () => {
    expect(check({ context: 'app', secrets: [{ id: 'a b', value: 'hunter2-value' }] })).toThrow(
      /^(?!.*hunter2)/,
    );
  });

  test.each([
    ['https://github.com/acme/app.git#main', true],
    ['git://example.org/app.git', true],
    ['git@github.com:acme/app.git', true],
    ['.', false],
    ['./app', false],
    ['C:app', false],
  ])('isRemoteContext(%s) is %s', (context, remote) => {
    expect(isRemoteContext(context)).toBe(remote);
  });
});

describe('the Docker engine', () => {
  const away =
    'Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?';

  test('an engine that does not answer is named by DOCKER_HOST', () => {
    expect(engineUnreachable(`ERROR: ${away}`, 'unix:///nonexistent.sock')).toBe(
      'the Docker engine does not answer at DOCKER_HOST=unix:///nonexistent.sock; start dockerd, or set DOCKER_HOST to the address of a running engine',
    );
  });

  test('without DOCKER_HOST, the address docker tried is named as the default', () => {
    expect(
      engineUnreachable(
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
        undefined,
      ),
    ).toBe(
      'the Docker engine does not answer at unix:///var/run/docker.sock (DOCKER_HOST is not set; that is the default); start dockerd, or set DOCKER_HOST to the address of a running engine',
    );
  });

  test('other errors are not about the engine', () => {
    expect(engineUnreachable('ERROR: failed to solve: exit code: 1', undefined)).toBeUndefined();
  });

  test('buildx inspect of an engine that is away has an empty Driver line', () => {
    const output = `Name:          default\nDriver:        \nLast Activity: 2026-01-01\nError:         ${away}\n`;
    expect(parseBuilderDriver(output)).toBeUndefined();
  });
});

describe('checkPlatforms', () => {
  const store = (kind: 'containerd' | 'classic') => {
    const asked: string[] = [];
    return {
      asked,
      read: () => {
        asked.push(kind);
        return Promise.resolve(kind);
      },
    };
  };
  const both = ['linux/amd64', 'linux/arm64'];

  test('several platforms on the docker driver of a classic store: an error naming the input, before any build', async () => {
    const classic = store('classic');
    await expect(checkPlatforms(both, 'docker', classic.read)).rejects.toThrow(
      'platforms: "linux/amd64,linux/arm64" needs a builder that makes multi-platform images; the docker driver of this engine (classic image store) builds one platform at a time. Turn on the containerd image store',
    );
  });

  test('the containerd store builds several platforms on the docker driver', async () => {
    await expect(checkPlatforms(both, 'docker', store('containerd').read)).resolves.toBeUndefined();
  });

  test.each([
    ['one platform', ['linux/arm64'], 'docker'],
    ['no platform', [], 'docker'],
    ['another driver', both, 'docker-container'],
  ])('%s: the engine is not even asked', async (_, platforms, driver) => {
    const classic = store('classic');
    await expect(checkPlatforms(platforms, driver, classic.read)).resolves.toBeUndefined();
    expect(classic.asked).toEqual([]);
  });
});
