// Builders beyond one runner, on a real buildkitd (scripts/engine.sh buildkit): the `remote`
// driver with this engine's buildx, and `docker-container` on the containerd-store engine. A test
// gate pushes the image untagged, pulls and tests that very digest, then tags it everywhere.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  builderConfig,
  buildkit,
  busyboxBase,
  docker,
  engineName,
  makeContext,
  platformContext,
  pushEvent,
  removeTempDirs,
  runAction,
  realBuildkit,
  releasedTags,
  runPost,
  startArtifactServer,
  startRegistry,
  type ActionRun,
  type Registry,
  type RunOptions,
} from './harness/index.js';

const user = 'builder';
const password = 'pw-builders-Zu81-not-in-any-log';
const engine = engineName();
const { built, skipReason, unixAddress } = realBuildkit('builders.test.ts');

interface Builder {
  driver: string;
  name: string;
  create: string[];
}

const suffix = `${engine}-${randomBytes(3).toString('hex')}`;
const builders: Builder[] = [
  {
    driver: 'remote',
    name: `btp-e2e-remote-${suffix}`,
    create: ['--driver', 'remote', unixAddress],
  },
];
// On the classic dockerd 20.10 of this kernel privileged containers fail ("unable to apply
// caps"): buildkitd cannot run in a container there.
if (engine === 'containerd') {
  builders.push({
    driver: 'docker-container',
    name: `btp-e2e-container-${suffix}`,
    create: ['--driver', 'docker-container', '--driver-opt', 'network=host'],
  });
} else {
  process.stderr.write(
    'builders.test.ts: docker-container is not tested on the classic engine: its privileged containers fail on this kernel ("unable to apply caps")\n',
  );
}

let registry: Registry;
/** A second registry, for the merge group's images. */
let second: Registry;
/**
 * The user's Docker config directory, where `docker buildx create` (as setup-buildx-action)
 * records the builders: the steps get it as DOCKER_CONFIG, as a job's later steps would.
 */
let userConfig = '';
const asUser = (): { env: Record<string, string> } => ({ env: { DOCKER_CONFIG: userConfig } });

beforeAll(async () => {
  if (!built) return;
  userConfig = await builderConfig('builders');
  [registry, second] = await Promise.all([
    startRegistry({ user, password }),
    startRegistry({ user, password }),
  ]);
  if (engine === 'containerd' && !buildkit('image').ok) {
    throw new Error('scripts/engine.sh buildkit image failed');
  }
  for (const b of builders) {
    await docker(['buildx', 'create', '--name', b.name, '--bootstrap', ...b.create], asUser());
  }
}, 900_000);

afterAll(async () => {
  if (userConfig) {
    for (const b of builders) {
      await docker(['buildx', 'rm', '--force', b.name], { ...asUser(), check: false });
    }
  }
  await Promise.all([registry, second].map((r) => r?.stop()));
  await removeTempDirs();
});

const dockerfile = [
  ...busyboxBase,
  'COPY id.txt /id.txt',
  'RUN cat /proc/sys/kernel/random/uuid > /nonce',
  'CMD ["sh"]',
].join('\n');

async function context(): Promise<string> {
  return (await makeContext({ Dockerfile: dockerfile, 'id.txt': `${randomUUID()}\n` })).dir;
}

async function step(options: RunOptions & { context: string; repo: string }): Promise<ActionRun> {
  const main = await runAction({
    ...options,
    env: { DOCKER_CONFIG: userConfig },
    inputs: {
      images: `${registry.url}/${options.repo}`,
      registry: registry.url,
      username: user,
      password,
      context: options.context,
      'artifact-name': '',
      ...options.inputs,
    },
  });
  const post = await runPost(main);
  expect(post.exitCode).toBe(0);
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

/** The image manifests of `digest`: itself, or the images (not attestations) of its index. */
async function platformImages(r: Registry, name: string, digest: string): Promise<string[]> {
  const manifest = await r.manifest(name, digest);
  const index = manifest?.body.manifests as
    { digest: string; platform?: { os?: string } }[] | undefined;
  if (!index) return [digest];
  return index.filter((m) => m.platform?.os !== 'unknown').map((m) => m.digest);
}

const describeIf = built ? describe : describe.skip;

describeIf.each(builders)('$driver builder', (b) => {
  const repo = `acme/${b.driver}`;

  test('a release with a test gate: the pushed digest is the tested one, under every tag', async () => {
    const main = await step({
      repo,
      context: await context(),
      event: pushEvent('refs/tags/v1.2.3', { sha: 'b2'.repeat(20) }),
      inputs: { builder: b.name, test: 'echo "nonce=$(cat /nonce)"; test -s /id.txt' },
    });
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    const digest = main.outputs.digest;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // Tested by digest: the image the registry got, pulled back.
    expect(main.stdout).toContain(`testing image ${registry.url}/${repo}@${digest} on linux/amd64`);
    expect(main.stdout).toMatch(/nonce=[0-9a-f-]{36}/);
    const tags = ['1.2.3', '1.2', '1', 'latest', 'sha-b2b2b2b'];
    expect(await releasedTags(registry, repo)).toEqual([...tags].sort());
    for (const tag of tags) expect(await registry.manifestDigest(repo, tag)).toBe(digest);
    expect(main.outputs['test-result']).toBe('passed');
  });

  test('a failing test pushes no tag', async () => {
    const before = await registry.tags(repo);
    const main = await step({
      repo,
      context: await context(),
      event: pushEvent('refs/tags/v2.0.0'),
      inputs: { builder: b.name, test: 'exit 3' },
    });
    expect(main.exitCode).toBe(1);
    expect(errors(main)[0]).toMatch(
      new RegExp(
        `^test failed with exit code 3; no tag was pushed \\(the untested image is in ${registry.url}/${repo} by digest only, sha256:[0-9a-f]{64}, with no tag\\)$`,
      ),
    );
    expect(await registry.tags(repo)).toEqual(before);
    expect(main.outputs['test-result']).toBe('failed');
  });

  test('two platforms (linux/amd64, linux/arm64 under QEMU): the index is tested and tagged', async () => {
    const platRepo = `${repo}-multi`;
    const main = await step({
      repo: platRepo,
      context: await platformContext(),
      event: pushEvent('refs/tags/v1.0.0'),
      inputs: { builder: b.name, platforms: 'linux/amd64,linux/arm64', test: 'cat /marker' },
    });
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    expect(main.stdout).toContain('marker x86_64 amd64');
    const digest = main.outputs.digest;
    const index = await registry.manifest(platRepo, '1.0.0');
    const archs = ((index?.body.manifests ?? []) as { platform?: { architecture?: string } }[])
      .map((m) => m.platform?.architecture)
      .filter((a) => a === 'amd64' || a === 'arm64')
      .sort();
    expect(archs).toEqual(['amd64', 'arm64']);
    for (const tag of ['1.0.0', '1.0', '1', 'latest']) {
      expect(await registry.manifestDigest(platRepo, tag)).toBe(digest);
    }
  });

  test('a merge group: amd64 and arm64 platform jobs on the builder, then the merge: every tag at the index in both registries', async () => {
    const groupRepo = `${repo}-group`;
    const server = await startArtifactServer();
    const sha = 'c3'.repeat(20);
    const event = pushEvent('refs/tags/v5.0.0', { sha });
    const images = [registry, second].map((r) => `${r.url}/${groupRepo}`).join('\n');
    const auth = [registry, second]
      .map((r) => `- registry: ${r.url}\n  username: ${user}\n  password: ${password}\n`)
      .join('');
    const job = async (name: string, inputs: Record<string, string>): Promise<ActionRun> => {
      const main = await runAction({
        event,
        runId: '5151',
        env: {
          ...server.jobEnv(`${name}-attempt-1`),
          DOCKER_CONFIG: userConfig,
          GITHUB_JOB: name,
          GITHUB_RUN_ATTEMPT: '1',
        },
        inputs: { images, 'registry-auth': auth, 'merge-group': 'app', ...inputs },
      });
      expect((await runPost(main)).exitCode).toBe(0);
      return main;
    };
    try {
      const context = await platformContext();
      const jobs: ActionRun[] = [];
      for (const [arch, marker] of [
        ['amd64', 'marker x86_64 amd64'],
        ['arm64', 'marker aarch64 arm64'],
      ]) {
        const main = await job(`build-${arch}`, {
          builder: b.name,
          context,
          platforms: `linux/${arch}`,
          test: `cat /marker && grep -q "${marker}" /marker`,
        });
        expect(errors(main)).toEqual([]);
        expect(main.exitCode).toBe(0);
        // Pushed untagged by the builder, pulled by digest and tested on its platform.
        expect(main.stdout).toContain(marker);
        expect(main.stdout).toContain(`${registry.url}/${groupRepo}@${main.outputs.digest}`);
        expect(main.outputs['test-result']).toBe('passed');
        jobs.push(main);
      }
      // No tag yet; each platform image is in both registries by digest.
      for (const r of [registry, second]) {
        expect(await r.tags(groupRepo)).toEqual([]);
        for (const main of jobs) {
          expect(await r.manifestDigest(groupRepo, main.outputs.digest)).toBe(main.outputs.digest);
        }
      }
      const merge = await job('merge', { merge: 'true', platforms: 'linux/amd64,linux/arm64' });
      expect(errors(merge)).toEqual([]);
      expect(merge.exitCode).toBe(0);
      const digest = merge.outputs.digest;
      for (const r of [registry, second]) {
        for (const tag of ['5.0.0', '5.0', '5', 'latest', 'sha-c3c3c3c']) {
          expect(await r.manifestDigest(groupRepo, tag)).toBe(digest);
        }
        const tree = await r.imageTree(groupRepo, '5.0.0');
        expect(tree?.platforms).toEqual(['linux/amd64', 'linux/arm64']);
        expect(tree?.missing).toEqual([]);
        const index = await r.manifest(groupRepo, digest);
        const children = ((index?.body.manifests ?? []) as { digest: string }[]).map(
          (m) => m.digest,
        );
        // Each job's image (its own index's image, with buildx's provenance) is in the index.
        for (const main of jobs) {
          for (const image of await platformImages(r, groupRepo, main.outputs.digest)) {
            expect(children).toContain(image);
          }
        }
      }
    } finally {
      await server.stop();
    }
  });

  test('reuse: the same sources on the same builder promote the tested image without a build', async () => {
    const reuseRepo = `${repo}-reuse`;
    const dir = await context();
    const inputs = { builder: b.name, reuse: 'true', test: 'test -s /nonce' };
    const first = await step({
      repo: reuseRepo,
      context: dir,
      event: pushEvent('refs/tags/v1.4.0'),
      inputs,
    });
    expect(errors(first)).toEqual([]);
    expect(first.outputs.reused).toBe('false');
    const second = await step({
      repo: reuseRepo,
      context: dir,
      event: pushEvent('refs/tags/v1.4.1'),
      inputs,
    });
    expect(errors(second)).toEqual([]);
    expect(second.outputs.reused).toBe('true');
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(await registry.manifestDigest(reuseRepo, '1.4.1')).toBe(first.outputs.digest);
  });
});

const testIf = built ? test : test.skip;

testIf(
  'a remote builder that is down: the error names the builder, nothing is pushed',
  async () => {
    const name = `btp-e2e-down-${suffix}`;
    // A unix socket nobody listens on.
    await docker(
      ['buildx', 'create', '--name', name, '--driver', 'remote', 'unix:///nonexistent/bk.sock'],
      asUser(),
    );
    try {
      const main = await step({
        repo: 'acme/down',
        context: await context(),
        event: pushEvent('refs/tags/v1.0.0'),
        inputs: { builder: name, test: 'true' },
      });
      expect(main.exitCode).toBe(1);
      expect(errors(main).join('\n')).toContain(name);
      expect(await registry.tags('acme/down')).toEqual([]);
    } finally {
      await docker(['buildx', 'rm', '--force', name], { ...asUser(), check: false });
    }
  },
);

if (!built) test.skip(`builders: ${skipReason}`, () => undefined);
