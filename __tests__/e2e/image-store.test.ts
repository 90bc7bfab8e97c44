// What differs between the engines users have, on each of them: the containerd image store
// (Docker 29's default on ubuntu-latest), where an image ID is the digest of the image's
// manifest or index, buildx attaches provenance attestations by default and several platforms
// build and load on the docker driver; and the classic store (Docker 28 on ubuntu-24.04), where
// an image ID is the config digest and the docker driver builds one platform at a time.
// Several platforms are built for real: arm64 under QEMU (scripts/engine.sh install).
import { randomUUID } from 'node:crypto';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  busyboxDockerfile,
  containerdStore,
  docker,
  makeContext,
  platformContext,
  makeTempDir,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startRegistry,
  type ActionRun,
  type Registry,
  type RunOptions,
} from './harness/index.js';

const user = 'stores';
const password = 'pw-stores-Kx81-not-in-any-log';
const token = 'ghs_e2eImageStoreTokenNotPrinted1';

let registry: Registry;
const stopLater: Registry[] = [];
const runs: ActionRun[] = [];

beforeAll(async () => {
  registry = await startRegistry({ user, password });
});

afterAll(async () => {
  await registry?.stop();
  for (const other of stopLater) await other.stop();
  assertNoSecrets(runs, { password, token });
  await removeTempDirs();
});

async function step(repo: string, options: RunOptions): Promise<ActionRun> {
  const main = await runAction({
    token,
    ...options,
    inputs: {
      images: `${registry.url}/${repo}`,
      registry: registry.url,
      username: user,
      password,
      'artifact-name': '',
      ...options.inputs,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  expect(post.exitCode).toBe(0);
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

/** Runs `docker run --platform` of a pushed reference, logged in through a config of the test's own. */
async function runPushed(ref: string, platform: string): Promise<string> {
  const config = await makeTempDir('pull-config');
  const env = { DOCKER_CONFIG: config };
  await docker(['login', '--username', user, '--password-stdin', registry.url], {
    env,
    input: password,
  });
  await docker(['pull', '--platform', platform, ref], { env });
  const { stdout } = await docker(['run', '--rm', '--platform', platform, ref], { env });
  await docker(['image', 'rm', ref], { env, check: false });
  return stdout.trim();
}

const multiPlatform = 'linux/amd64,linux/arm64';

test('several platforms with a test: the tested index is pushed under every tag, arm64 built and run under QEMU', async () => {
  const repo = 'acme/multi';
  const main = await step(repo, {
    event: pushEvent('refs/tags/v5.0.0', { sha: '50'.repeat(20) }),
    inputs: {
      context: await platformContext(),
      platforms: multiPlatform,
      test: 'cat /marker && grep -q "marker x86_64 amd64" /marker',
    },
  });
  const tags = ['5.0.0', '5.0', '5', 'latest', 'sha-5050505'];
  if (!containerdStore()) {
    // The classic store's docker driver builds one platform at a time: the action says so
    // before anything is built, and nothing is pushed.
    expect(main.exitCode).toBe(1);
    expect(errors(main).join('\n')).toMatch(
      /^platforms: "linux\/amd64,linux\/arm64" needs a builder that makes multi-platform images; the docker driver of this engine \(classic image store\) builds one platform at a time/,
    );
    expect(await registry.tags(repo)).toEqual([]);
    return;
  }
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.stdout).toContain('marker x86_64 amd64');
  expect(main.outputs['test-result']).toBe('passed');

  // The registry holds the very index the engine tested: both platforms, their provenance.
  const digest = main.outputs.digest;
  const tested = /testing image (sha256:[0-9a-f]{64}) on linux\/amd64/.exec(main.stdout)?.[1];
  expect(tested).toBe(digest);
  for (const tag of tags) expect(await registry.manifestDigest(repo, tag)).toBe(digest);
  const tree = await registry.imageTree(repo, '5.0.0');
  expect(tree?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
  expect(tree?.platforms).toEqual(['linux/amd64', 'linux/arm64']);
  expect(tree?.predicateTypes).toEqual([
    'https://slsa.dev/provenance/v0.2',
    'https://slsa.dev/provenance/v0.2',
  ]);
  expect(tree?.missing).toEqual([]);
  expect(main.outputs.imageid).toBe(digest);
  const metadata = JSON.parse(main.outputs.metadata) as Record<string, unknown>;
  expect(metadata['containerimage.digest']).toBe(digest);
  expect(main.summary).toContain(digest);
  expect(main.summary).toContain(`- tested image: \`${digest}\``);

  // The pushed arm64 image is an arm64 image: it runs under QEMU and says so.
  expect(await runPushed(`${registry.url}/${repo}:5.0.0`, 'linux/arm64')).toBe(
    'marker aarch64 arm64',
  );
  expect(await runPushed(`${registry.url}/${repo}:5.0.0`, 'linux/amd64')).toBe(
    'marker x86_64 amd64',
  );
});

test('several platforms whose test fails on the runner: no tag at all in the registry', async () => {
  const repo = 'acme/multi-failing';
  const main = await step(repo, {
    event: pushEvent('refs/tags/v5.1.0', { sha: '51'.repeat(20) }),
    inputs: {
      context: await platformContext(),
      platforms: multiPlatform,
      test: 'grep -q arm64 /marker',
    },
  });
  expect(main.exitCode).toBe(1);
  expect(await registry.tags(repo)).toEqual([]);
  if (containerdStore()) {
    expect(main.outputs['test-result']).toBe('failed');
    expect(errors(main)).toEqual(['test failed with exit code 1; nothing was pushed']);
  }
});

/**
 * An SBOM generator of BuildKit's scanner protocol, in a local registry: it writes one in-toto
 * SPDX statement to $BUILDKIT_SCAN_DESTINATION. (`sbom: true` means Docker Hub's syft scanner,
 * which cannot be pulled here; on the runners it can.)
 */
async function sbomGenerator(): Promise<string> {
  const scanners = await startRegistry();
  stopLater.push(scanners);
  const script = [
    'set -e',
    'cat > "$BUILDKIT_SCAN_DESTINATION/spdx.json" <<EOF',
    '{"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://spdx.dev/Document",',
    ' "predicate": {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "e2e-scan",',
    '  "dataLicense": "CC0-1.0", "packages": [{"name": "busybox", "SPDXID": "SPDXRef-busybox"}]}}',
    'EOF',
  ].join('\n');
  const context = await makeContext({
    Dockerfile: busyboxDockerfile('COPY scan.sh /scan.sh', 'CMD ["sh", "/scan.sh"]'),
    'scan.sh': `${script}\n`,
  });
  const ref = `${scanners.url}/e2e/sbom-scanner:1`;
  await docker(['buildx', 'build', '--provenance=false', '--push', '--tag', ref, context.dir]);
  return ref;
}

test('provenance: false and sbom: the pushed index has the SBOM and no provenance', async () => {
  const repo = 'acme/sbom';
  const context = await makeContext({ 'id.txt': `${randomUUID()}\n` });
  const main = await step(repo, {
    event: pushEvent('refs/tags/v6.0.0', { sha: '60'.repeat(20) }),
    inputs: {
      context: context.dir,
      provenance: 'false',
      sbom: `generator=${await sbomGenerator()}`,
      test: 'true',
    },
  });
  if (!containerdStore()) {
    // Attestations need the containerd store (or another driver); buildx says so at the build.
    expect(main.exitCode).toBe(1);
    expect(errors(main).join('\n')).toMatch(/[Aa]ttestation/);
    expect(await registry.tags(repo)).toEqual([]);
    return;
  }
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  const tree = await registry.imageTree(repo, '6.0.0');
  expect(tree?.digest).toBe(main.outputs.digest);
  expect(tree?.platforms).toEqual(['linux/amd64']);
  expect(tree?.predicateTypes).toEqual(['https://spdx.dev/Document']);
  expect(tree?.missing).toEqual([]);
});

test('provenance: false with a test: a single manifest, whose digest is the tested image ID', async () => {
  const repo = 'acme/no-provenance';
  const context = await makeContext({ 'id.txt': `${randomUUID()}\n` });
  const main = await step(repo, {
    event: pushEvent('refs/tags/v6.1.0', { sha: '61'.repeat(20) }),
    inputs: { context: context.dir, provenance: 'false', test: 'test -x /bin/sh' },
  });
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  const digest = main.outputs.digest;
  const tree = await registry.imageTree(repo, '6.1.0');
  expect(tree?.digest).toBe(digest);
  expect(tree?.missing).toEqual([]);
  expect(tree?.predicateTypes).toEqual([]);
  const tested = /testing image (sha256:[0-9a-f]{64})/.exec(main.stdout)?.[1];
  // Without an attestation there is no index: one Docker image manifest, on both stores.
  expect(tree?.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  if (containerdStore()) {
    // The engine's ID of the image is the manifest's digest (buildx's iidfile has the config's).
    expect(tested).toBe(digest);
  } else {
    // The classic store: the image ID is the config the pushed manifest names.
    const manifest = await registry.manifest(repo, '6.1.0');
    expect((manifest?.body.config as { digest: string }).digest).toBe(tested);
  }
});

test('load: true with several platforms on a pull request: every platform is in the local image store', async () => {
  const repo = 'acme/loaded';
  const main = await step(repo, {
    event: pullRequestEvent(77),
    inputs: { context: await platformContext(), platforms: multiPlatform, load: true },
  });
  const local = `${registry.url}/${repo}:pr-77`;
  if (!containerdStore()) {
    expect(main.exitCode).toBe(1);
    expect(errors(main).join('\n')).toMatch(
      /^platforms: "linux\/amd64,linux\/arm64" needs a builder that makes multi-platform images; the docker driver of this engine \(classic image store\) builds one platform at a time/,
    );
    return;
  }
  expect(errors(main)).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(main.outputs.pushed).toBe('false');
  expect(await registry.tags(repo)).toEqual([]);
  for (const [platform, marker] of [
    ['linux/amd64', 'marker x86_64 amd64'],
    ['linux/arm64', 'marker aarch64 arm64'],
  ]) {
    const { stdout } = await docker(['run', '--rm', '--platform', platform, local]);
    expect(stdout.trim()).toBe(marker);
  }
  await docker(['image', 'rm', local], { check: false });
});
