import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  errorLines,
  isMissingBuildx,
  parseMetadata,
  unsupportedInput,
} from '../../src/docker/build.js';
import { parseBuilderDriver } from '../../src/docker/builder.js';
import { removeSecretFiles, writeSecretFiles } from '../../src/docker/secrets.js';

describe('errorLines', () => {
  // buildx 0.13 on dockerd 20.10, a RUN step that fails (plain progress).
  const failedRun = [
    '#4 [1/2] COPY busybox /bin/busybox',
    '#4 DONE 0.0s',
    '',
    '#5 [2/2] RUN exit 3',
    '#5 0.112 something printed by the step',
    '#5 ERROR: executor failed running [/bin/sh -c exit 3]: exit code: 3',
    '------',
    ' > [2/2] RUN exit 3:',
    '0.112 something printed by the step',
    '------',
    'Dockerfile:3',
    '--------------------',
    '   1 |     FROM scratch',
    '   2 |     COPY busybox /bin/busybox',
    '   3 | >>> RUN exit 3',
    '--------------------',
    'ERROR: failed to solve: executor failed running [/bin/sh -c exit 3]: exit code: 3',
  ];

  test('the step, its output and the Dockerfile excerpt, not only the last line', () => {
    const lines = errorLines(failedRun);
    expect(lines).toContain('#5 [2/2] RUN exit 3');
    expect(lines).toContain('#5 0.112 something printed by the step');
    expect(lines).toContain('   3 | >>> RUN exit 3');
    expect(lines[lines.length - 1]).toBe(
      'ERROR: failed to solve: executor failed running [/bin/sh -c exit 3]: exit code: 3',
    );
    expect(lines).toContain('...');
  });

  test('no marked line: the last non-empty lines', () => {
    expect(errorLines(['a', '', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  test('a long error keeps its end', () => {
    const many = Array.from({ length: 200 }, (_, i) => `error: ${i}`);
    const lines = errorLines(many);
    expect(lines).toHaveLength(40);
    expect(lines[39]).toBe('error: 199');
  });
});

describe('parseMetadata', () => {
  test('reads both digests', () => {
    expect(
      parseMetadata(
        JSON.stringify({
          'buildx.build.ref': 'default/default/x',
          'containerimage.config.digest': 'sha256:c',
          'containerimage.digest': 'sha256:m',
        }),
      ),
    ).toEqual({ digest: 'sha256:m', configDigest: 'sha256:c' });
  });
  test('empty file: no digests', () => {
    expect(parseMetadata('')).toEqual({ digest: '', configDigest: '' });
  });
  test('not JSON is an error', () => {
    expect(() => parseMetadata('{oops')).toThrow('buildx wrote a metadata file that is not JSON');
  });
});

describe('parseBuilderDriver', () => {
  test.each([
    ['Name:   default\nDriver: docker\n\nNodes:\nName: default\n', 'docker'],
    [
      'Name:          builder\nDriver:        docker-container\nLast Activity: ...',
      'docker-container',
    ],
    ['nothing', undefined],
  ])('%#', (output, driver) => {
    expect(parseBuilderDriver(output)).toBe(driver);
  });
});

describe('writeSecretFiles', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'btp-unit-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('values and copies of files, 0600 in a 0700 directory, named by position', () => {
    const source = join(root, 'npmrc');
    writeFileSync(source, '//registry/:_authToken=abc\n');
    const dir = join(root, 'secrets');
    const files = writeSecretFiles(
      [{ id: 'GITHUB_TOKEN', value: 'ghs_x=y' }],
      [{ id: 'npmrc', value: source }],
      dir,
    );
    expect(files).toEqual([
      { id: 'GITHUB_TOKEN', src: join(dir, 'secret-0') },
      { id: 'npmrc', src: join(dir, 'secret-1') },
    ]);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const { src } of files) expect(statSync(src).mode & 0o777).toBe(0o600);
    expect(readFileSync(files[0].src, 'utf8')).toBe('ghs_x=y');
    expect(readFileSync(files[1].src, 'utf8')).toBe('//registry/:_authToken=abc\n');
    expect(removeSecretFiles(dir)).toEqual([]);
    expect(() => statSync(dir)).toThrow();
  });

  test('no secrets: no directory', () => {
    expect(writeSecretFiles([], [], join(root, 'none'))).toEqual([]);
    expect(() => statSync(join(root, 'none'))).toThrow();
  });

  test.each([
    [[{ id: 'a,b', value: 'v' }], [], 'secrets: secret id "a,b" has characters buildx cannot take'],
    [
      [{ id: 'a', value: 'v' }],
      [{ id: 'a', value: '/x' }],
      'secret-files: secret id "a" is given twice',
    ],
    [
      [],
      [{ id: 'f', value: '/no/such/file' }],
      'secret-files: cannot read the file "/no/such/file" of secret "f" (no such file)',
    ],
  ])('%#: %s', (secrets, secretFiles, message) => {
    expect(() => writeSecretFiles(secrets, secretFiles, join(root, 's'))).toThrow(message);
  });

  test('an error never shows a secret value', () => {
    let message = '';
    try {
      writeSecretFiles([{ id: 'bad id', value: 'hunter2' }], [], join(root, 's'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('bad id');
    expect(message).not.toContain('hunter2');
  });
});

// buildx is not probed before the build; docker's own words for a missing plugin are recognised.
test.each([
  ["docker: 'buildx' is not a docker command.", true], // docker 20.10 to 24
  ['docker: unknown command: docker buildx', true], // docker 25 and later
  ['docker: unknown command: docker buildxx', false],
  ['ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully', false],
])('isMissingBuildx(%j) is %s', (line, expected) => {
  expect(isMissingBuildx(line)).toBe(expected);
});

describe('unsupportedInput', () => {
  test.each<[string[], string | undefined]>([
    [
      ['unknown flag: --call', "See 'docker buildx build --help'."],
      'call (buildx 0.15 or later): the buildx of this runner does not know --call; expected a newer buildx: set buildx-version: latest, or leave call out',
    ],
    [
      ['unknown flag: --no-cache-filter'],
      'no-cache-filters: the buildx of this runner does not know --no-cache-filter; expected a newer buildx: set buildx-version: latest, or leave no-cache-filters out',
    ],
    [
      [
        'ERROR: OCI exporter is not supported for the docker driver.',
        'Switch to a different driver, or turn on the containerd image store, and try again.',
      ],
      'outputs: the docker driver of this engine (the classic image store) cannot export type=oci; expected the containerd image store, a docker-container builder (docker/setup-buildx-action), or type=docker,dest=FILE (a docker save tarball)',
    ],
    [
      ['#5 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1'],
      undefined,
    ],
  ])('%j', (output, expected) => {
    expect(unsupportedInput(output)).toBe(expected);
  });
});
