// The bundled action building and pushing for real: dockerd + buildx, a
// registry with htpasswd authentication, the artifact service stand-in. Each
// scenario asserts on what the registry holds, read through its API.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  releasedTags,
  assertNoCredentialsLeft,
  assertNoSecrets,
  busyboxDockerfile,
  makeContext,
  processListWhile,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startArtifactServer,
  startRegistry,
  type ActionRun,
  type ArtifactServer,
  type Registry,
  type RunOptions,
} from './harness/index.js';

const user = 'releaser';
const password = 'pw-e2e-Zq81-not-in-any-log';
const token = 'ghs_e2eBuildPushTokenThatMustNotLeak';
const repo = 'acme/app';

let registry: Registry;
let artifacts: ArtifactServer;
let context: string;
const runs: ActionRun[] = [];
const commandLinesSeen: string[] = [];
const wrong = 'wrong-pw-9Xk2-must-not-leak';
const sha = '1234567890abcdef1234567890abcdef12345678';

beforeAll(async () => {
  registry = await startRegistry({ user, password });
  artifacts = await startArtifactServer();
  context = (await makeContext({ 'hello.txt': 'hello\n' })).dir;
});

afterAll(async () => {
  await registry?.stop();
  await artifacts?.stop();
  await removeTempDirs();
});

function image(): string {
  return `${registry.url}/${repo}`;
}

async function step(options: RunOptions): Promise<{ main: ActionRun; post: ActionRun }> {
  // One artifact name per step: a workflow run holds each name once.
  const artifactName = `image-digest-${runs.length / 2}`;
  const { result: main, commandLines } = await processListWhile(() =>
    runAction({
      token,
      ...options,
      inputs: {
        'artifact-name': artifactName,
        images: image(),
        registry: registry.url,
        username: user,
        password,
        context,
        ...options.inputs,
      },
      env: { ...artifacts.env, ...options.env },
    }),
  );
  commandLinesSeen.push(...commandLines);
  const post = await runPost(main);
  runs.push(main, post);
  assertNoCredentialsLeft(main);
  return { main, post };
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

async function digests(tags: string[]): Promise<Record<string, string | undefined>> {
  const found: Record<string, string | undefined> = {};
  for (const tag of tags) found[tag] = await registry.manifestDigest(repo, tag);
  return found;
}

let releaseDigest = '';

test('tag push v1.2.3: five tags, one verified digest, artifact, summary, credentials gone after post', async () => {
  const { main, post } = await step({
    event: pushEvent('refs/tags/v1.2.3', { sha }),
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);

  const digest = main.outputs.digest;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  releaseDigest = digest;
  const tags = ['1.2.3', '1.2', '1', 'latest', 'sha-1234567'];
  expect(await releasedTags(registry, repo)).toEqual([...tags].sort());
  expect(await digests(tags)).toEqual(Object.fromEntries(tags.map((t) => [t, digest])));

  expect(main.outputs.pushed).toBe('true');
  expect(main.outputs.refs).toBe(`${image()}@${digest}`);
  expect(main.outputs.imageid).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(JSON.parse(main.outputs.metadata)).toMatchObject({ 'containerimage.digest': digest });

  const config = await registry.imageConfig(repo, '1.2.3');
  expect(config).toMatchObject({
    config: {
      Labels: expect.objectContaining({
        'org.opencontainers.image.version': '1.2.3',
        'org.opencontainers.image.revision': sha,
      }) as unknown,
    },
  });

  expect(main.summary).toContain(`- digest: \`${digest}\``);
  expect(main.summary).toContain(`docker pull ${image()}@${digest}`);

  const upload = artifacts.uploads.at(-1);
  expect(upload?.name).toBe('image-digest-0');
  expect(main.outputs['artifact-id']).toBe(String(upload?.id));
  const record = JSON.parse(upload?.files['image-digest.json']?.toString() ?? '{}') as Record<
    string,
    unknown
  >;
  expect(record).toMatchObject({
    images: [image()],
    digest,
    refs: [`${image()}@${digest}`],
    version: '1.2.3',
    revision: sha,
    source: 'https://github.com/acme/app',
  });
  expect(upload?.files['digest.txt']?.toString()).toBe(`${digest}\n`);

  expect(main.state.dockerConfig).toBeTruthy();
  expect(existsSync(main.state.dockerConfig)).toBe(false);
  expect(existsSync(main.state.tempDir)).toBe(false);
  expect(post.exitCode).toBe(0);
  expect(errors(post)).toEqual([]);
});

test("the user's Docker config is byte-identical before and after", async () => {
  const seed = await makeContext();
  const home = join(seed.dir, 'home');
  const userConfig = JSON.stringify({
    auths: { 'example.org': { auth: 'dXNlcjpwYXNz' } },
    detachKeys: 'ctrl-e',
  });
  await mkdir(join(home, '.docker'), { recursive: true });
  await writeFile(join(home, '.docker', 'config.json'), userConfig);
  const { main } = await step({
    event: pushEvent('refs/heads/main', { sha }),
    env: { HOME: home },
  });
  expect(main.exitCode).toBe(0);
  expect(await readFile(join(home, '.docker', 'config.json'), 'utf8')).toBe(userConfig);
});

test('pre-release v2.0.0-rc.1 pushes its own tags and leaves latest, 2 and 2.0 alone', async () => {
  const { main } = await step({
    event: pushEvent('refs/tags/v2.0.0-rc.1', { sha: 'ab'.repeat(20) }),
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  const digest = main.outputs.digest;
  expect(digest).not.toBe(releaseDigest);
  expect(await digests(['2.0.0-rc.1', 'sha-abababa', 'latest', '2', '2.0'])).toEqual({
    '2.0.0-rc.1': digest,
    'sha-abababa': digest,
    latest: releaseDigest,
    '2': undefined,
    '2.0': undefined,
  });
});

test('push to main pushes main and sha-<7>', async () => {
  const { main } = await step({ event: pushEvent('refs/heads/main', { sha: 'cd'.repeat(20) }) });
  expect(main.exitCode).toBe(0);
  expect(main.outputs['tag-names'].split('\n')).toEqual(['main', 'sha-cdcdcdc']);
  expect(await digests(['main', 'sha-cdcdcdc'])).toEqual({
    main: main.outputs.digest,
    'sha-cdcdcdc': main.outputs.digest,
  });
});

test('pull request: built, nothing pushed', async () => {
  const before = await registry.tags(repo);
  const { main } = await step({ event: pullRequestEvent(42, { headSha: 'ef'.repeat(20) }) });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.pushed).toBe('false');
  expect(main.outputs.refs).toBe('');
  expect(main.summary).toContain('- pushed: no');
  expect(await registry.tags(repo)).toEqual(before);
});

test('wrong password: clear error naming the registry, nothing pushed', async () => {
  const before = await registry.tags(repo);
  const { main } = await step({
    event: pushEvent('refs/tags/v3.0.0'),
    inputs: { password: wrong },
  });
  expect(main.exitCode).toBe(1);
  const [message, ...more] = errors(main);
  expect(more).toEqual([]);
  expect(message).toContain(registry.url);
  expect(main.masks).toContain(wrong);
  assertNoSecrets([main], { 'wrong password': wrong });
  expect(await registry.tags(repo)).toEqual(before);
});

test('a Dockerfile that fails to build: buildx error in the step error, nothing pushed', async () => {
  const before = await registry.tags(repo);
  const broken = await makeContext({
    Dockerfile: busyboxDockerfile('RUN echo "compiling went wrong" >&2 && exit 7'),
  });
  const { main } = await step({
    event: pushEvent('refs/tags/v4.0.0'),
    inputs: { context: broken.dir },
  });
  expect(main.exitCode).toBe(1);
  const [message] = errors(main);
  expect(message).toContain('docker buildx build failed');
  expect(message).toContain('exit code: 7');
  expect(await registry.tags(repo)).toEqual(before);
});

test('no secret appears in any log, output, summary, state, env file, artifact, file left or command line of any scenario', () => {
  expect(runs.length).toBeGreaterThanOrEqual(12);
  expect(commandLinesSeen.some((line) => line.includes('buildx build'))).toBe(true);
  assertNoSecrets(
    runs,
    { password, token, 'wrong password': wrong },
    { artifacts: artifacts.uploads, commandLines: commandLinesSeen },
  );
});
