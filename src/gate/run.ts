// The test gate: the image built and tested before anything is pushed (the test-target stage,
// the test command), and the test of a reused image pulled by digest.
import * as core from '@actions/core';
import * as exec from '@actions/exec';
import type { Inputs } from '../inputs/inputs.js';
import { testFailure, samePlatform, testPlatform, type TestReport, type TestRun } from './spec.js';
import { parseMetadata, type BuildResult } from '../docker/build.js';
import type { BuildxPlan } from '../docker/buildx-args.js';
import { dockerEnv } from '../docker/config.js';
import { buildPushedImage, noEngineError, untaggedNote, type PushedImage } from './pushed.js';
import { engineImageStore, enginePlatform, runTestContainer } from '../docker/test-run.js';
import { errorText } from '../error-text.js';

/** What a build of the gate may change from the build the inputs describe. */
export type BuildOverrides = Partial<
  Pick<
    BuildxPlan,
    | 'target'
    | 'tags'
    | 'push'
    | 'load'
    | 'platforms'
    | 'cacheTo'
    | 'labels'
    | 'annotations'
    | 'outputs'
  >
>;

/** Runs one `docker buildx build` of the inputs with these changes, in a log group of this title. */
export type GateBuild = (overrides: BuildOverrides, title: string) => Promise<BuildResult>;

export type GateInputs = Pick<
  Inputs,
  | 'test'
  | 'testTarget'
  | 'testEnv'
  | 'testTimeout'
  | 'testTimeoutMs'
  | 'platforms'
  | 'load'
  | 'noCache'
>;

/** A test that failed (or a test stage that did not build): nothing may be pushed. */
export class TestError extends Error {
  constructor(
    message: string,
    readonly report: TestReport,
  ) {
    super(message);
    this.name = 'TestError';
  }
}

/** The image that passed the tests. */
export interface Tested {
  /** The build of the tested image (image ID, metadata). */
  result: BuildResult;
  /**
   * What identifies it, and what the registry must hold after the push: its config digest on
   * the classic image store and with other drivers; on the containerd image store, its image
   * ID, the digest of its manifest or index (see `identity`).
   */
  configDigest: string;
  /** `config`: configDigest is the config digest of the tested platform; `image`: the manifest or index digest. */
  identity?: 'config' | 'image';
  /** The platform it was tested on (the engine's). */
  platform: string;
  report: TestReport;
  /** A builder that is not the engine: where the tested image already is, by digest (no tag). */
  pushed?: PushedImage;
}

export interface GateOptions {
  driver: string;
  dockerConfig: string;
  build: GateBuild;
  /** The references the tested image is named with in the local store. */
  tags: string[];
  /** Called with each test container's name before it starts. */
  onContainer?: (name: string) => void;
  /**
   * A platform job's platform (merge-group): the image is built for it alone and tested on it,
   * under emulation (QEMU) when it is not the runner's. Absent: the runner's platform.
   */
  platform?: string;
  /**
   * Drivers other than `docker`: the repository to push the image to by digest (no tag) before
   * it is pulled into the engine and tested there; the tested digest is the one to release.
   * Absent (nothing to push): the image is built for the engine's platform and loaded.
   */
  pushTo?: string;
}

/**
 * Builds the `test-target` stage and runs it, then builds the image and runs the `test` command
 * in it; throws a TestError at the first failure. No tag is written here. With the `docker`
 * driver the image is built once, as asked, into the engine's image store (the tested image is
 * the one `docker push` sends); with other drivers it is built for the engine's platform and
 * loaded (`--load`). With `pushTo` (other drivers, a release) every platform is built once and
 * pushed by digest, untagged; that image is pulled by digest and tested (see gate-pushed.ts).
 */
export async function buildAndTest(inputs: GateInputs, options: GateOptions): Promise<Tested> {
  const { driver, dockerConfig, build } = options;
  const [platform, store] = await Promise.all([
    enginePlatform(dockerConfig).catch((error: unknown) => {
      if (driver === 'docker') throw error;
      throw noEngineError(driver, errorText(error));
    }),
    driver === 'docker' ? engineImageStore(dockerConfig) : Promise.resolve('classic' as const),
  ]);
  const wanted = options.platform ?? testPlatform(inputs.platforms, platform);
  // Where the tests run: the runner's platform, or a platform job's own (emulated if need be).
  const testOn = options.platform ?? platform;
  const dockerDriver = driver === 'docker';
  const pushTo = dockerDriver ? undefined : options.pushTo;
  const loadPlatforms = wanted ? [wanted] : [];
  const emulated = Boolean(options.platform) && !samePlatform(testOn, platform);
  if (emulated) core.info(`the tests run on ${testOn} under emulation: the runner is ${platform}`);
  const runs: TestRun[] = [];
  let pushed: PushedImage | undefined;
  const fail = (failure: string): TestError =>
    new TestError(`${failure}; ${pushed ? untaggedNote(pushed) : 'nothing was pushed'}`, {
      result: 'failed',
      runs,
      configDigest: '',
      failure,
    });

  const run = async (kind: TestRun['kind'], what: string, image: string): Promise<void> => {
    const entry = await runTest(inputs, options, kind, what, image, testOn, emulated);
    runs.push(entry);
    if (entry.timedOut || entry.exitCode !== 0) throw fail(testFailure(entry, inputs.testTimeout));
  };

  if (inputs.testTarget) {
    let stage: BuildResult;
    try {
      // Same inputs, so the stage shares the build cache with the image; no labels, and no
      // cache export (it would replace the image's cache with the stage's).
      stage = await build(
        {
          target: inputs.testTarget,
          tags: [],
          push: false,
          load: !dockerDriver,
          platforms: dockerDriver ? inputs.platforms : loadPlatforms,
          cacheTo: [],
          labels: [],
          annotations: [],
        },
        `Build test stage "${inputs.testTarget}"`,
      );
    } catch (error) {
      const reason = errorText(error);
      throw fail(`test-target: building stage "${inputs.testTarget}" failed: ${reason}`);
    }
    await run('target', inputs.testTarget, localImageId(stage, dockerDriver ? store : 'classic'));
  }

  if (pushTo) {
    // The image the registry holds is the one tested, pulled by digest: no rebuild, no check of
    // a rebuild against it.
    const built = await buildPushedImage(build, pushTo, options.platform);
    pushed = built.pushed;
    const ref = `${pushed.image}@${pushed.digest}`;
    const imageId = await pullImage(ref, dockerConfig, emulated ? testOn : undefined);
    if (inputs.test) await run('command', inputs.test, ref);
    core.info(`tested image ${pushed.digest}`);
    return {
      result: { ...built.result, imageId },
      configDigest: pushed.digest,
      identity: 'image',
      platform: testOn,
      report: {
        result: 'passed',
        runs,
        configDigest: pushed.digest,
        identity: 'image',
        failure: '',
      },
      pushed,
    };
  }

  const result = await build(
    dockerDriver
      ? { tags: options.tags, push: false, load: inputs.load }
      : { tags: options.tags, push: false, load: true, platforms: loadPlatforms, cacheTo: [] },
    'Build',
  );
  // On the containerd image store the engine holds the image's own manifests: its ID is the
  // digest of its manifest (or index, with attestations or several platforms), the very digest
  // the registry gets. On the classic store the ID is the config digest.
  const identity = dockerDriver && store === 'containerd' ? 'image' : 'config';
  const imageId = localImageId(result, dockerDriver ? store : 'classic');
  const configDigest =
    identity === 'image' ? imageId : parseMetadata(result.metadata).configDigest || imageId;
  if (!configDigest) throw new Error('buildx reported no image ID for the image to test');
  if (inputs.test) await run('command', inputs.test, imageId);
  core.info(`tested image ${identity === 'image' ? '' : 'config '}${configDigest}`);
  return {
    result: { ...result, imageId },
    configDigest,
    identity,
    platform: testOn,
    report: { result: 'passed', runs, configDigest, identity, failure: '' },
  };
}

/**
 * The ID by which the engine knows a build's image. On the containerd image store that is the
 * digest of the image's manifest or index, which buildx's metadata reports; its iidfile holds
 * the config digest when the image has no index (`provenance: false`), an ID the engine does
 * not know. On the classic store, the iidfile's (the config digest).
 */
function localImageId(result: BuildResult, store: 'containerd' | 'classic'): string {
  if (store === 'containerd') return parseMetadata(result.metadata).digest || result.imageId;
  return result.imageId;
}

/** One test run in its log group: the `test-target` stage's own CMD, or the `test` command. */
async function runTest(
  inputs: GateInputs,
  options: Pick<GateOptions, 'dockerConfig' | 'onContainer'>,
  kind: TestRun['kind'],
  what: string,
  image: string,
  platform: string,
  /** Run the container for `platform` explicitly: it is not the runner's (a platform job). */
  emulated = false,
): Promise<TestRun> {
  const title = kind === 'target' ? `Test: stage "${what}"` : `Test: ${what.split('\n')[0]}`;
  const outcome = await core.group(title, async () => {
    core.info(`testing image ${image} on ${platform}`);
    const result = await runTestContainer({
      image,
      command: kind === 'command' ? what : undefined,
      env: inputs.testEnv,
      timeoutMs: inputs.testTimeoutMs,
      dockerConfig: options.dockerConfig,
      onName: options.onContainer,
      platform: emulated ? platform : undefined,
    });
    core.info(
      result.timedOut
        ? `stopped after ${inputs.testTimeout}: timed out`
        : `exit code ${result.exitCode ?? 'none'} after ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    return result;
  });
  if (outcome.leftOver) core.warning(outcome.leftOver);
  const { exitCode, durationMs, timedOut } = outcome;
  return { kind, what, image, exitCode, durationMs, timedOut };
}

/**
 * Pulls a reused image (`image@digest`) into the engine for the `test` command (and `load`).
 * Returns its image ID (config digest).
 */
export async function pullImage(
  ref: string,
  dockerConfig: string,
  /** A platform other than the engine's (a platform job's, run under emulation). */
  platform?: string,
): Promise<string> {
  const env = dockerEnv(dockerConfig);
  return core.group(`Pull ${ref}`, async () => {
    const args = platform ? ['pull', '--platform', platform, ref] : ['pull', ref];
    const pull = await exec.getExecOutput('docker', args, { env, ignoreReturnCode: true });
    if (pull.exitCode !== 0) {
      const detail = pull.stderr.trim().split('\n').slice(-5).join('\n');
      throw new Error(`docker pull ${ref} failed (exit code ${pull.exitCode}): ${detail}`);
    }
    const inspect = await exec.getExecOutput(
      'docker',
      ['image', 'inspect', '--format', '{{.Id}}', ref],
      { env, silent: true, ignoreReturnCode: true },
    );
    const id = inspect.stdout.trim();
    if (inspect.exitCode !== 0 || !id) throw new Error(`docker image inspect ${ref} failed`);
    return id;
  });
}

/**
 * The test gate of a reused image: the `test` command runs in the pulled image (by its
 * `image@digest` reference, the image the tags will point to). `test-target` is not rebuilt:
 * it ran when the image was built. Throws a TestError when the test fails.
 */
export async function testReusedImage(
  inputs: GateInputs,
  ref: string,
  imageId: string,
  options: Pick<GateOptions, 'dockerConfig' | 'onContainer' | 'platform'>,
): Promise<TestReport> {
  if (inputs.testTarget) {
    core.info(
      `test-target "${inputs.testTarget}" is not rebuilt for a reused image: it ran when the image was built`,
    );
  }
  if (!inputs.test) return { result: 'skipped', runs: [], configDigest: imageId, failure: '' };
  const native = await enginePlatform(options.dockerConfig);
  const platform = options.platform ?? native;
  const emulated = !samePlatform(platform, native);
  const entry = await runTest(inputs, options, 'command', inputs.test, ref, platform, emulated);
  const runs = [entry];
  if (entry.timedOut || entry.exitCode !== 0) {
    const failure = testFailure(entry, inputs.testTimeout);
    throw new TestError(`${failure}; no tag was added`, {
      result: 'failed',
      runs,
      configDigest: imageId,
      failure,
    });
  }
  return { result: 'passed', runs, configDigest: imageId, failure: '' };
}
