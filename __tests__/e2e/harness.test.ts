// The harness itself, against the real engine, a real registry, the real
// @actions/core and @actions/artifact clients: if these pass, a failing e2e
// test of the action is about the action.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertNoSecrets,
  busyboxDockerfile,
  docker,
  makeContext,
  makeTempDir,
  parseFileCommand,
  processListWhile,
  pullRequestEvent,
  pushEvent,
  readActionDefinition,
  removeTempDirs,
  repoRoot,
  runAction,
  runPost,
  startArtifactServer,
  startRegistry,
  type ActionRun,
} from './harness/index.js';

const fixture = join(repoRoot, '__tests__', 'e2e', 'harness', 'fixture');

function json(run: ActionRun, output: string): Record<string, string> {
  const text = run.outputs[output];
  if (text === undefined) throw new Error(`no output ${output}; stderr: ${run.stderr}`);
  return JSON.parse(text) as Record<string, string>;
}

afterAll(removeTempDirs);

describe('runAction and runPost', () => {
  test('the main step gets every input, the runner variables and fresh files', async () => {
    const event = pushEvent('v1.2.3', { repository: 'acme/widget' });
    const run = await runAction({
      actionDir: fixture,
      event,
      inputs: { images: 'ghcr.io/acme/widget', 'dry-run': true },
      token: 'ghs_token_for_test',
      env: { E2E_EXTRA: 'extra' },
    });
    expect(run.exitCode).toBe(0);
    expect(json(run, 'inputs')).toEqual({
      INPUT_IMAGES: 'ghcr.io/acme/widget',
      'INPUT_DRY-RUN': 'true',
      INPUT_RETRIES: '3',
      'INPUT_GITHUB-TOKEN': 'ghs_token_for_test',
      INPUT_MY_INPUT: 'spaced',
      INPUT_ARTIFACT: '',
    });
    const github = json(run, 'github');
    expect(github).toMatchObject({
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/tags/v1.2.3',
      GITHUB_REF_NAME: 'v1.2.3',
      GITHUB_REF_TYPE: 'tag',
      GITHUB_SHA: event.sha,
      GITHUB_REPOSITORY: 'acme/widget',
      GITHUB_REPOSITORY_OWNER: 'acme',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_WORKSPACE: run.dirs.workspace,
      GITHUB_OUTPUT: run.dirs.files.output,
      GITHUB_STATE: run.dirs.files.state,
      GITHUB_STEP_SUMMARY: run.dirs.files.summary,
    });
    expect(github.GITHUB_RUN_ID).toMatch(/^\d+$/);
    expect(JSON.parse(await readFile(github.GITHUB_EVENT_PATH ?? '', 'utf8'))).toEqual(
      event.payload,
    );
    expect(json(run, 'runner')).toMatchObject({
      RUNNER_TEMP: run.dirs.runnerTemp,
      RUNNER_TOOL_CACHE: run.dirs.toolCache,
      RUNNER_OS: 'Linux',
    });
    expect(json(run, 'misc')).toEqual({
      cwd: run.dirs.workspace,
      home: run.dirs.home,
      ci: 'true',
      node: process.version,
      extra: 'extra',
    });
    expect(run.outputs.multi).toBe('line one\nline two');
    expect(run.state).toEqual({ isPost: 'true', saved: 'from main' });
    expect(run.exportedEnv).toEqual({ FROM_MAIN: 'exported' });
    expect(run.envFile).toContain('FROM_MAIN<<');
    expect(run.path).toEqual(['/opt/e2e-bin']);
    expect(run.summary).toContain('<h1>Fixture</h1>');
    expect(run.masks).toEqual(['hunter2']);
  });

  test('the post step gets the saved state, exported variables and PATH, and the inputs', async () => {
    const main = await runAction({ actionDir: fixture, inputs: { images: 'a/b' } });
    const post = await runPost(main);
    expect(post.phase).toBe('post');
    expect(post.exitCode).toBe(0);
    expect(post.outputs).toEqual({
      saved: 'from main',
      'from-main': 'exported',
      'path-head': '/opt/e2e-bin',
      images: 'a/b',
    });
    expect(post.dirs.files.output).not.toBe(main.dirs.files.output);
    expect(post.dirs.runnerTemp).toBe(main.dirs.runnerTemp);
  });

  test('a failing step is reported, not thrown; variables of the host do not leak in', async () => {
    process.env.INPUT_LEAKED = 'from the test process';
    try {
      const run = await runAction({
        actionDir: fixture,
        event: pullRequestEvent(7, { fromFork: true }),
        inputs: { images: 'a/b' },
        env: { E2E_FAIL: 'yes' },
      });
      expect(run.exitCode).toBe(1);
      expect(run.commands).toContainEqual({
        command: 'error',
        properties: {},
        message: 'failing as asked: yes',
      });
      expect(json(run, 'inputs').INPUT_LEAKED).toBeUndefined();
      expect(json(run, 'github')).toMatchObject({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REF: 'refs/pull/7/merge',
        GITHUB_HEAD_REF: 'feature',
        GITHUB_BASE_REF: 'main',
      });
    } finally {
      delete process.env.INPUT_LEAKED;
    }
  });

  test('an input action.yml does not declare is a test error', async () => {
    await expect(runAction({ actionDir: fixture, inputs: { imagse: 'x' } })).rejects.toThrow(
      'action.yml has no input "imagse"',
    );
  });

  test("the project's action.yml is read as the runner reads it", async () => {
    const action = await readActionDefinition();
    expect(action.using).toBe('node24');
    expect(action.main).toBe(join(repoRoot, 'dist', 'index.js'));
    expect(action.post).toBe(join(repoRoot, 'dist', 'post', 'index.js'));
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(['images', 'dry-run', 'push']),
    );
  });
});

describe('parseFileCommand', () => {
  test.each([
    ['a=1\nb=x=y\n', { a: '1', b: 'x=y' }],
    ['a<<EOF\nline 1\nline 2\nEOF\n', { a: 'line 1\nline 2' }],
    ['a=<<not a heredoc\n', { a: '<<not a heredoc' }],
    ['a=1\na=2\n', { a: '2' }],
    ['a<<D\r\n\r\nD\r\n', { a: '' }],
  ])('%j', (text, expected) => {
    expect(parseFileCommand(text)).toEqual(expected);
  });

  test('an unclosed heredoc is an error', () => {
    expect(() => parseFileCommand('a<<EOF\nvalue\n', 'GITHUB_OUTPUT')).toThrow(
      'GITHUB_OUTPUT: "a<<EOF" is never closed',
    );
  });
});

describe('artifact service stand-in', () => {
  test('the real @actions/artifact client uploads through the four requests', async () => {
    const server = await startArtifactServer();
    try {
      const run = await runAction({
        actionDir: fixture,
        inputs: { images: 'a/b', artifact: 'image-digest' },
        env: server.env,
      });
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      expect(server.requests.map((r) => `${r.kind} ${r.status}`)).toEqual([
        'CreateArtifact 200',
        'block 201',
        'blocklist 201',
        'FinalizeArtifact 200',
      ]);
      expect(server.uploads).toHaveLength(1);
      const [upload] = server.uploads;
      expect(upload?.name).toBe('image-digest');
      expect(String(upload?.id)).toBe(run.outputs['artifact-id']);
      expect(upload?.hash).toBe(upload?.receivedHash);
      expect(upload?.size).toBe(upload?.blob.length);
      expect(Object.keys(upload?.files ?? {}).sort()).toEqual(['digest.txt', 'image-digest.json']);
      expect(upload?.files['digest.txt']?.toString()).toBe('sha256:0123\n');

      // The real service refuses a second artifact of the same name in a run.
      const again = await runAction({
        actionDir: fixture,
        inputs: { images: 'a/b', artifact: 'image-digest' },
        env: server.env,
      });
      expect(again.exitCode).toBe(1);
      expect(again.stdout).toContain('already exists');
    } finally {
      await server.stop();
    }
  });

  test('a refused upload fails fast with the JSON error', async () => {
    const server = await startArtifactServer({ failOn: 'CreateArtifact' });
    try {
      const started = Date.now();
      const run = await runAction({
        actionDir: fixture,
        inputs: { images: 'a/b', artifact: 'image-digest' },
        env: server.env,
      });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('CreateArtifact refused');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(server.uploads).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('registry and test images on the real engine', () => {
  test('an image built FROM scratch with busybox runs, is pushed, and its digest is read back', async () => {
    const registry = await startRegistry({ user: 'e2e', password: 'e2e-pass' });
    const config = await makeTempDir('docker-config');
    const context = await makeContext({
      Dockerfile: busyboxDockerfile(
        'ARG STAMP',
        'RUN echo "hello $STAMP" > /hello',
        'LABEL org.example.test=harness',
        'CMD ["cat", "/hello"]',
      ),
    });
    const env = { DOCKER_CONFIG: config };
    const image = `${registry.url}/e2e/busybox`;
    const stamp = String(Date.now());
    try {
      expect(await registry.tags('e2e/busybox')).toEqual([]);
      const anonymous = await fetch(`http://${registry.url}/v2/`);
      expect(anonymous.status).toBe(401);

      await docker(['login', '--username', 'e2e', '--password-stdin', registry.url], {
        input: 'e2e-pass',
        env,
      });
      const metadataFile = join(context.dir, 'metadata.json');
      await docker(
        [
          'buildx',
          'build',
          '--push',
          '--build-arg',
          `STAMP=${stamp}`,
          '--metadata-file',
          metadataFile,
          '-t',
          `${image}:1.0.0`,
          '-t',
          `${image}:latest`,
          context.dir,
        ],
        { env },
      );
      const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, string>;
      const digest = metadata['containerimage.digest'];
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await registry.manifestDigest('e2e/busybox', '1.0.0')).toBe(digest);
      expect(await registry.manifestDigest('e2e/busybox', 'latest')).toBe(digest);
      expect(await registry.manifestDigest('e2e/busybox', 'missing')).toBeUndefined();
      expect(await registry.tags('e2e/busybox')).toEqual(['1.0.0', 'latest']);
      const imageConfig = (await registry.imageConfig('e2e/busybox', '1.0.0')) as {
        config?: { Labels?: Record<string, string> };
      };
      expect(imageConfig.config?.Labels).toMatchObject({ 'org.example.test': 'harness' });

      const ran = await docker(['run', '--rm', `${image}:1.0.0`], { env });
      expect(ran.stdout).toBe(`hello ${stamp}\n`);
    } finally {
      await docker(['rmi', '-f', `${image}:1.0.0`], { check: false, env });
      await registry.stop();
    }
  });

  test('an open registry needs no login', async () => {
    const registry = await startRegistry();
    try {
      const response = await fetch(`http://${registry.url}/v2/`);
      expect(response.status).toBe(200);
      expect(await registry.tags('nothing/here')).toEqual([]);
    } finally {
      await registry.stop();
    }
  });
});

describe('processListWhile', () => {
  test('sees the command line of a short-lived child', async () => {
    const marker = `e2e-marker-${process.pid}`;
    const sampled = await processListWhile(
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)', marker]);
          child.on('close', resolve);
        }),
    );
    expect(sampled.result).toBe(0);
    expect(sampled.samples).toBeGreaterThan(1);
    expect(sampled.commandLines.some((line) => line.includes(marker))).toBe(true);
  });
});

describe('assertNoSecrets', () => {
  test('finds a secret in an output, names the place and the label, never the value; ignores ::add-mask::', async () => {
    const token = 'ghs_scanMeIfYouCan_0123456789';
    const run = await runAction({ actionDir: fixture, token, inputs: { images: 'x' } });
    expect(run.exitCode).toBe(0);
    // The fixture writes its INPUT_* variables, the token among them, to an output.
    expect(() => assertNoSecrets([run], { 'the token': token })).toThrow(
      /^secrets leaked:\n- the token in run 1 \(main\) GITHUB_OUTPUT: \.\.\..*<the token>/,
    );
    expect(() => assertNoSecrets([run], { 'the token': token })).not.toThrow(new RegExp(token));
    // `hunter2` is masked, and is in no other place.
    expect(() => assertNoSecrets([run], { mask: 'hunter2' })).toThrow('shorter than 8');
    expect(run.masks).toEqual(['hunter2']);
    expect(() =>
      assertNoSecrets([run], { other: 'not-there-at-all' }, { commandLines: [] }),
    ).toThrow('commandLines is empty');
    expect(() =>
      assertNoSecrets([run], { other: 'not-there-at-all' }, { commandLines: ['docker x'] }),
    ).not.toThrow();
  });
});
