import {
  digestOutput,
  escapeMarkdown,
  formatDuration,
  manifestConfig,
  parseDuration,
  parseTestEnv,
  pushedDigest,
  samePlatform,
  SKIPPED,
  testFailure,
  testMarkdown,
  testOutputs,
  testPlatform,
  testRunArgs,
  type TestReport,
  type TestRun,
} from '../../src/gate/spec.js';

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['500ms', 500],
    ['1.5m', 90_000],
    ['90', 90_000],
    ['2.5', 2_500],
    [' 3s ', 3_000],
  ])('%j is %i ms', (value, ms) => {
    expect(parseDuration('test-timeout', value)).toBe(ms);
  });

  test.each([
    ['', 'is not a duration'],
    ['abc', 'is not a duration'],
    ['10 m', 'is not a duration'],
    ['10d', 'is not a duration'],
    ['m', 'is not a duration'],
    ['1e3', 'is not a duration'],
    ['0', 'is not a positive duration'],
    ['0s', 'is not a positive duration'],
    ['-5s', 'is not a positive duration'],
    ['-1', 'is not a positive duration'],
    ['1000h', 'is longer than 24 days'],
  ])('%j: %s, naming the input and the value', (value, problem) => {
    expect(() => parseDuration('test-timeout', value)).toThrow(
      `test-timeout: "${value}" ${problem}; expected a number of seconds or a duration such as 90s, 10m or 1h`,
    );
  });
});

describe('parseTestEnv', () => {
  test('NAME=value lines; the value keeps = and spaces inside', () => {
    expect(parseTestEnv(['API_URL=http://x/?a=b', 'TOKEN=s3 cr=t', 'EMPTY=', '_x1=1'])).toEqual([
      { name: 'API_URL', value: 'http://x/?a=b' },
      { name: 'TOKEN', value: 's3 cr=t' },
      { name: 'EMPTY', value: '' },
      { name: '_x1', value: '1' },
    ]);
  });

  test.each([
    ['no-equals-sEcReT', 'an entry (value hidden) has no NAME='],
    ['=sEcReT', 'an entry (value hidden) has no NAME='],
    ['1ABC=sEcReT', '"1ABC" is not a variable name'],
    ['MY-VAR=sEcReT', '"MY-VAR" is not a variable name'],
    ['DOCKER_HOST=sEcReT', 'DOCKER_HOST is read by the docker CLI'],
    ['docker_config=sEcReT', 'docker_config is read by the docker CLI'],
  ])('%j is refused without showing the value', (entry, message) => {
    let error: Error | undefined;
    try {
      parseTestEnv([entry]);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(`test-env: ${message}`);
    expect(error?.message).not.toContain('sEcReT');
  });

  test('a name given twice is an error', () => {
    expect(() => parseTestEnv(['A=1', 'A=2'])).toThrow('test-env: A is given twice');
  });
});

describe('testRunArgs', () => {
  test.each([
    [
      'a command runs through sh -c, env by name only',
      { name: 'c1', image: 'sha256:abc', command: 'make test && echo "ok"', envNames: ['A', 'B'] },
      'run --rm --name c1 --pull never --env A --env B --entrypoint sh sha256:abc -c make test && echo "ok"',
    ],
    [
      'no command: the image runs its own entrypoint and CMD',
      { name: 'c2', image: 'sha256:def', envNames: [] },
      'run --rm --name c2 --pull never sha256:def',
    ],
  ])('%s', (_, spec, expected) => {
    expect(testRunArgs(spec).join(' ')).toBe(expected);
  });

  test('the command is one argument, however it is quoted', () => {
    const args = testRunArgs({ name: 'c', image: 'i', command: 'a \'b\' "c"\nd', envNames: [] });
    expect(args.slice(-2)).toEqual(['-c', 'a \'b\' "c"\nd']);
  });
});

describe('platforms', () => {
  test.each([
    ['linux/amd64', 'linux/amd64', true],
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm/v7', 'linux/arm/v6', false],
    ['linux/arm64', 'linux/amd64', false],
    ['windows/amd64', 'linux/amd64', false],
  ])('samePlatform(%s, %s) is %s', (a, b, same) => {
    expect(samePlatform(a, b)).toBe(same);
  });

  test.each([
    [[], 'linux/amd64', undefined],
    [['linux/amd64'], 'linux/amd64', 'linux/amd64'],
    [['linux/arm64/v8', 'linux/amd64'], 'linux/amd64', 'linux/amd64'],
    [['linux/amd64', 'linux/arm64/v8'], 'linux/arm64', 'linux/arm64/v8'],
  ])('testPlatform(%j, %s) builds the test image for %s', (platforms, native, expected) => {
    expect(testPlatform(platforms, native)).toBe(expected);
  });

  test('a build without the runner platform cannot be tested', () => {
    expect(() => testPlatform(['linux/arm64', 'linux/s390x'], 'linux/amd64')).toThrow(
      "platforms: the test runs the image on the runner's platform linux/amd64, which is not among linux/arm64, linux/s390x",
    );
  });
});

describe('manifestConfig', () => {
  const config = 'sha256:' + 'c'.repeat(64);
  const amd = 'sha256:' + 'a'.repeat(64);
  const arm = 'sha256:' + 'b'.repeat(64);
  const index = JSON.stringify({
    manifests: [
      { digest: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { digest: amd, platform: { os: 'linux', architecture: 'amd64' } },
      {
        digest: 'sha256:' + 'd'.repeat(64),
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      },
    ],
  });

  test.each([
    [
      'an image manifest gives its config',
      JSON.stringify({ config: { digest: config } }),
      'linux/amd64',
      { config },
    ],
    ['an index gives the native manifest', index, 'linux/amd64', { manifest: amd }],
    ['an index, arm64 runner', index, 'linux/arm64', { manifest: arm }],
  ])('%s', (_, body, native, expected) => {
    expect(manifestConfig(Buffer.from(body), native)).toEqual(expected);
  });

  test.each([
    ['not json', 'not JSON'],
    [JSON.stringify({ manifests: [] }), 'no manifest for the tested platform linux/amd64'],
    [JSON.stringify({ layers: [] }), 'neither a config nor a list of manifests'],
  ])('%j fails', (body, message) => {
    expect(() => manifestConfig(body, 'linux/amd64')).toThrow(message);
  });
});

test.each([
  [
    `The push refers to repository [x]\n1.2.3: digest: sha256:${'f'.repeat(64)} size: 943\n`,
    `sha256:${'f'.repeat(64)}`,
  ],
  ['nothing here', ''],
])('pushedDigest(%j)', (output, digest) => {
  expect(pushedDigest(output)).toBe(digest);
});

test('digestOutput quotes the names as one CSV field', () => {
  expect(digestOutput(['ghcr.io/a/b', '127.0.0.1:5000/a/b'])).toBe(
    'type=image,"name=ghcr.io/a/b,127.0.0.1:5000/a/b",push-by-digest=true,name-canonical=true,push=true',
  );
});

function run(over: Partial<TestRun>): TestRun {
  return {
    kind: 'command',
    what: 'make check',
    image: 'sha256:1',
    exitCode: 0,
    durationMs: 1234,
    timedOut: false,
    ...over,
  };
}

describe('testFailure', () => {
  test.each([
    [{ exitCode: 3 }, 'test failed with exit code 3'],
    [
      { exitCode: 127 },
      'test failed with exit code 127 (the test runs `sh -c COMMAND` in the image: it needs a sh, and the command must exist in it)',
    ],
    [{ exitCode: 125 }, 'test failed with exit code 125 (docker could not start the container)'],
    [
      { kind: 'target' as const, what: 'test', exitCode: 4 },
      'test-target: stage "test" failed with exit code 4',
    ],
    [
      { kind: 'target' as const, what: 'test', exitCode: 125 },
      'test-target: stage "test" failed with exit code 125 (docker could not start the container; does the stage have a CMD or ENTRYPOINT?)',
    ],
    [
      { exitCode: null, timedOut: true },
      'test did not finish within 3s (test-timeout); its container was killed and removed',
    ],
  ])('%j: %s', (over, message) => {
    expect(testFailure(run(over), '3s')).toBe(message);
  });
});

describe('report', () => {
  const passed: TestReport = {
    result: 'passed',
    runs: [
      run({ kind: 'target', what: 'test', durationMs: 500 }),
      run({ what: 'echo a | tr a b', durationMs: 1500 }),
    ],
    configDigest: 'sha256:cfg',
    failure: '',
  };

  test.each([
    [SKIPPED, { result: 'skipped', exitCode: '', duration: '' }],
    [passed, { result: 'passed', exitCode: '0', duration: '2.0' }],
    [
      {
        ...passed,
        result: 'failed' as const,
        runs: [run({ exitCode: null, timedOut: true, durationMs: 3010 })],
      },
      { result: 'failed', exitCode: '', duration: '3.0' },
    ],
  ])('outputs of %j', (report, outputs) => {
    expect(testOutputs(report)).toEqual(outputs);
  });

  test('summary: one row per run, pipes escaped, the tested config', () => {
    expect(testMarkdown(passed)).toEqual([
      '',
      '### Test passed',
      '',
      '| test | exit code | duration |',
      '| --- | --- | --- |',
      '| stage `test` (its CMD) | 0 | 0.5 s |',
      '| `echo a \\| tr a b` | 0 | 1.5 s |',
      '',
      '- tested image config: `sha256:cfg`',
    ]);
    expect(testMarkdown(SKIPPED)).toEqual([]);
  });

  test.each([
    [400, '0.4 s'],
    [61_000, '1 min 1 s'],
  ])('formatDuration(%i) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('a failed test stage in the summary', () => {
  const failure = [
    'test-target: building stage "test" failed: docker buildx build failed (exit code 1):',
    '#7 0.3 <a href="https://evil.example/">click</a> [phish](https://evil.example/)',
    '```',
    '<img src=x onerror=alert(1)>',
  ].join('\n');

  test('the first line is text, the build output is fenced and never rendered', () => {
    const md = testMarkdown({ result: 'failed', runs: [], configDigest: '', failure }).join('\n');
    const fenced = md.slice(md.indexOf('```text'), md.lastIndexOf('```'));
    // Outside the fence: no HTML and no link from the build output.
    const outside = md.replace(fenced, '');
    expect(outside).not.toMatch(/<a |<img|\]\(https/);
    expect(fenced).toContain('<a href="https://evil.example/">click</a>');
    // The fence cannot be closed by the output.
    expect(fenced.split('\n').filter((l) => l.startsWith('```'))).toEqual(['```text']);
  });

  test('escapeMarkdown neutralises HTML and link syntax', () => {
    expect(escapeMarkdown('stage "<b>x</b>" [a](b)')).toBe(
      'stage "&lt;b&gt;x&lt;/b&gt;" \\[a\\]\\(b\\)',
    );
  });
});
