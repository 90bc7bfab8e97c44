import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getContext, type Context } from './context.js';
import { completeContext } from './context-sources.js';
import { build, type BuildResult } from './docker/build.js';
import { builderDriver, checkPlatforms, engineAway } from './docker/builder.js';
import { evaluatesOnly, secretEnvWarnings, sshAgentProblem } from './build-inputs.js';
import { buildArgWarnings, buildxArgs } from './docker/buildx-args.js';
import { createDockerConfig, userDockerConfigDir } from './docker/config.js';
import { checkBuildSources } from './docker/preflight.js';
import {
  buildAndTest,
  pullImage,
  pushByDigest,
  pushTestedImage,
  testReusedImage,
  TestError,
  type BuildOverrides,
  type Tested,
} from './docker/gate.js';
import {
  anonymousRegistries,
  earlierLoginRegistry,
  login,
  missingLoginError,
  RegistryCredentials,
  resolveLogins,
  type Login,
} from './docker/login.js';
import { copyImage, promoteStep, splitTagRef } from './docker/promote.js';
import { PushError, refName } from './docker/push.js';
import { parseReference, RegistryClient } from './docker/registry.js';
import { retryPolicy } from './docker/retry.js';
import { removeSecretFiles, writeSecretFiles } from './docker/secrets.js';
import { engineImageStore, enginePlatform } from './docker/test-run.js';
import { computeFingerprint, fingerprintTag } from './fingerprint/index.js';
import { isAncestor } from './git/ancestry.js';
import { getInputs, type Inputs } from './inputs.js';
import { Output, State } from './names.js';
import { forkSecretsWarning, makePlan, type Plan } from './plan.js';
import {
  deleteRunArtifact,
  downloadFile,
  listRunArtifacts,
  uploadFiles,
} from './artifact/client.js';
import { expandArtifactName, jobRunId, noArtifactService } from './artifact/name.js';
import { identityOf, pushedAncestry } from './release/forward.js';
import {
  buildIndex,
  checkRecords,
  configPlatform,
  groupArtifactPrefix,
  indexAnnotations,
  indexEntries,
  jobPlatform,
  parseRecord,
  platformArtifactName,
  RECORD_FILE,
  RECORD_SCHEMA,
  type IndexEntry,
  type PlatformRecord,
} from './release/merge.js';
import { releaseOrder, stagingTag, type ReleaseOrder } from './release/order.js';
import {
  release,
  type ReleaseOptions,
  type ReleaseReport,
  type ReleaseRunner,
} from './release/transaction.js';
import {
  artifactExists,
  digestRecord,
  failedPushMarkdown,
  failedTestMarkdown,
  setOutputs,
  setTestOutputs,
  summaryMarkdown,
  uploadDigestArtifact,
  writeSummary,
  type Outcome,
} from './report.js';
import { resolveNow } from './tags/index.js';
import { signedByTheMerge, signingPhase, type Signing, type SignStep } from './sign/phase.js';
import { digestOutput, manifestConfig, type TestReport } from './test-gate.js';

/** The main step: inputs, context, plan, then (unless dry-run) login, build, push, verify, report. */
export async function run(): Promise<void> {
  const inputs = getInputs();
  const context = await contextPhase(inputs);
  const plan = planPhase(inputs, context);
  if (inputs.dryRun) {
    core.info('dry-run is true: no login, build or push');
    setOutputs(plan, inputs, undefined);
    if (inputs.summary) await writeSummary(summaryMarkdown(plan, undefined));
    return;
  }

  // Resolved before anything is created, so a missing credential fails with nothing to clean up.
  const fork = Boolean(!plan.push && context.pullRequest?.fromFork);
  const logins = fork ? [] : resolveLogins(inputs, context.actor);
  if (fork)
    core.info(`no registry login: ${plan.pushReason}, and a fork's code gets no credentials`);
  const forkSecrets = forkSecretsWarning(inputs, context, process.env);
  if (forkSecrets) core.warning(forkSecrets);
  // The merge step builds nothing: its job needs no checkout, and build inputs are not read.
  if (!inputs.merge) {
    checkBuildSources(inputs);
    const sshProblem = sshAgentProblem(inputs.ssh, process.env);
    if (sshProblem) throw new Error(sshProblem);
    for (const warning of buildArgWarnings(inputs.buildArgs)) core.warning(warning);
    for (const warning of secretEnvWarnings(inputs.secretEnvs, process.env)) core.warning(warning);
  }
  // Decided before anything is built: `sign: true` with nothing to sign with fails here. A
  // platform job of a merge group releases nothing: the merge step signs the index.
  const signing =
    inputs.mergeGroup && !inputs.merge
      ? signedByTheMerge(inputs.mergeGroup)
      : signingPhase(inputs, context, plan);

  const tempRoot = process.env.RUNNER_TEMP || tmpdir();
  const tempDir = mkdtempSync(join(tempRoot, 'build-tag-push-'));
  core.saveState(State.tempDir, tempDir);
  const userConfig = userDockerConfigDir();
  const dockerConfig = createDockerConfig({
    tempRoot,
    userConfigDir: userConfig,
    helper: helper(),
    // A fork's Dockerfile names the registries: none of the user's helpers is run for them.
    earlierLogins: !fork,
  });
  core.saveState(State.dockerConfig, dockerConfig);
  const credentials = new RegistryCredentials(
    dockerConfig,
    userConfig,
    inputs.networkTimeoutMs,
    !fork,
  );

  if (inputs.buildxVersion && !inputs.merge) {
    await core.group('Set up buildx', async () => {
      const { ensureBuildx } = await import('./docker/buildx-install.js');
      await ensureBuildx({
        version: inputs.buildxVersion,
        mirror: inputs.buildxMirror,
        dockerConfig,
      });
    });
  }
  // Each probe is a process on every run: `docker buildx version` runs above only when a release
  // is asked for (a missing buildx shows in the build's own error), and the builder's driver is
  // read only when it matters (--load, the test gate) or a named builder is to be checked before
  // anything is pushed. That probe runs beside the logins.
  const gated = Boolean(inputs.test || inputs.testTarget);
  // A platform job of a merge group hands its digest to the merge step in an artifact of the
  // group's instead (see platformArtifact).
  const platformJob = Boolean(inputs.mergeGroup && !inputs.merge);
  const artifactName = platformJob ? '' : digestArtifactName(inputs, plan);
  // `registry:` alone: the login of an earlier step (a fork's run gets none).
  const earlier = fork ? '' : earlierLoginRegistry(inputs);
  // Every one settles before a failure is reported: a login still running when the step ends
  // would write its credentials after the post step removed the action's Docker config.
  const [driver, , , group] = await settledAll([
    !inputs.merge &&
    (inputs.load || gated || inputs.builder || inputs.platforms.length > 1 || platformJob)
      ? builderDriver(dockerConfig, inputs.builder)
      : Promise.resolve(''),
    logins.length > 0 || plan.push || earlier
      ? core
          .group('Log in', () =>
            loginPhase(logins, earlier, dockerConfig, credentials, inputs, plan),
          )
          .catch(async (error: unknown) => {
            // An engine that does not answer is the cause to report, not the login it failed.
            const away = await engineAway(dockerConfig);
            throw away ? new Error(away) : error;
          })
      : undefined,
    checkArtifactName(artifactName, inputs.networkTimeoutMs),
    platformJob
      ? platformArtifact(inputs, context, dockerConfig, tempDir, plan.push)
      : Promise.resolve(undefined),
  ] as const);

  if (inputs.merge) {
    if (inputs.test || inputs.testTarget) {
      core.warning(
        'merge: test and test-target do not run in the merge step, which builds nothing: each platform job ran them on its platform (see the table of platforms in the summary)',
      );
    }
    const outcome = await mergePhase(
      inputs,
      context,
      plan,
      { tempDir, dockerConfig, signing },
      credentials,
    );
    await reportPhase(inputs, context, plan, outcome, tempDir, artifactName);
    return;
  }
  // A platform job builds one platform (platformArtifact checked it), which every store can.
  if (!platformJob) {
    await checkPlatforms(inputs.platforms, driver, () => engineImageStore(dockerConfig));
  }
  const outcome = await buildPhase(
    inputs,
    context,
    plan,
    tempDir,
    dockerConfig,
    driver,
    credentials,
    group,
    signing,
  );
  await reportPhase(inputs, context, plan, outcome, tempDir, artifactName);
}

/**
 * Promise.all that waits for every promise to settle, then throws the first rejection (in the
 * order given), so that nothing started here is still running when the step fails.
 */
async function settledAll<T extends readonly unknown[]>(
  promises: T,
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>;
  };
}

/** `artifact-name` with its placeholders filled in for this job and step; '' for none. */
function digestArtifactName(inputs: Inputs, plan: Plan): string {
  if (!inputs.artifactName) return '';
  const name = expandArtifactName(inputs.artifactName, {
    image: plan.meta.images[0] ?? '',
    job: process.env.GITHUB_JOB ?? '',
    jobRunId: jobRunId(process.env.ACTIONS_RUNTIME_TOKEN ?? ''),
    step: process.env.GITHUB_ACTION ?? '',
  });
  core.debug(`digest artifact name: ${name}`);
  return name;
}

/**
 * Fails before the build when the run already holds an artifact of this name (each name is
 * taken once per workflow run): the upload after the push would fail. A listing that fails
 * only warns; the upload may still work.
 */
async function checkArtifactName(name: string, timeoutMs: number): Promise<void> {
  if (!name) return;
  let exists = false;
  try {
    exists = await artifactExists(name, timeoutMs);
  } catch (error) {
    core.warning(
      `artifact-name: could not list this run's artifacts (${error instanceof Error ? error.message : String(error)}); "${name}" is uploaded after the push`,
    );
    return;
  }
  if (exists) {
    throw new Error(
      `artifact-name: this workflow run already has an artifact "${name}" (uploaded by another job or an earlier step), and a run holds each name once; nothing was built or pushed. Give each job or step its own artifact-name (the default, image-digest-{{image}}-{{job}}, is one per image, job and step), or set it empty for none`,
    );
  }
}

/**
 * The runner's environment and the event payload; what the payload lacks (the commit date, the
 * repository data of a scheduled run) from the checkout's git and the GitHub API, bounded by
 * network-timeout (10 s at most): the plan does not wait longer for labels.
 */
async function contextPhase(inputs: Inputs): Promise<Context> {
  const { context, notices } = await completeContext(getContext(), {
    githubToken: inputs.githubToken,
    timeoutMs: Math.min(inputs.networkTimeoutMs, 10_000),
    workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
  });
  for (const notice of notices) core.notice(notice);
  return context;
}

function planPhase(inputs: Inputs, context: Context): Plan {
  const now = resolveNow(process.env, new Date());
  const plan = makePlan(inputs, context, now);
  core.startGroup('Plan');
  core.info(
    `event: ${context.eventName || '(none)'}, ref: ${context.ref || '(none)'}, sha: ${context.sha || '(none)'}`,
  );
  core.info(`version: ${plan.meta.version || '(none)'}`);
  core.info(`tags:\n${plan.meta.tags.map((t) => `  ${t}`).join('\n') || '  (none)'}`);
  core.info(`labels:\n${plan.meta.labels.map((l) => `  ${l}`).join('\n')}`);
  core.info(`push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
  core.endGroup();
  for (const warning of plan.meta.warnings ?? []) core.warning(warning);
  if (plan.notice) core.notice(plan.notice);
  return plan;
}

/** The action's credential helper, beside the main bundle (absent when not run from dist/). */
function helper(): { node: string; script: string } | undefined {
  const script = join(dirname(process.argv[1] ?? ''), 'credential-helper', 'index.js');
  return existsSync(script) ? { node: process.execPath, script } : undefined;
}

async function loginPhase(
  logins: Login[],
  earlier: string,
  dockerConfig: string,
  credentials: RegistryCredentials,
  inputs: Inputs,
  plan: Plan,
): Promise<void> {
  if (logins.length > 0) {
    // Saved before logging in: a login that half-succeeded is still logged out by the post
    // step; with `logout: false` the logins are the later steps', as with docker/login-action.
    if (inputs.logout)
      core.saveState(State.registries, JSON.stringify(logins.map((l) => l.registry)));
    await login(logins, dockerConfig, {
      retry: retryPolicy(inputs.retries),
      timeoutMs: inputs.networkTimeoutMs,
      userConfig: inputs.logout ? undefined : credentials.userConfig,
    });
  }
  // `registry:` alone: the login of an earlier step, which must be there before anything is built.
  const registries = plan.push ? registriesOf(plan.meta.images) : [];
  await credentials.prepare(earlier ? [earlier, ...registries] : registries);
  if (earlier && !credentials.lookup(earlier)) {
    throw missingLoginError(earlier, credentials.userConfig);
  }
  if (!plan.push) return;
  for (const registry of anonymousRegistries(plan.meta.images, credentials.lookup))
    core.info(`no credentials were given for ${registry}; pushing to it anonymously`);
}

function registriesOf(images: string[]): string[] {
  return images.map((image) => parseReference(image).registry);
}

async function buildPhase(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  tempDir: string,
  dockerConfig: string,
  driver: string,
  logins: RegistryCredentials,
  /** A platform job of a merge group: its platform and artifact. */
  group: GroupArtifact | undefined,
  signing: Signing,
): Promise<Outcome> {
  const credentials = logins.lookup;
  const secrets = writeSecretFiles(inputs.secrets, inputs.secretFiles, join(tempDir, 'secrets'));
  let builds = 0;
  const buildWith = async (overrides: BuildOverrides, title: string): Promise<BuildResult> => {
    // Files of their own per build: one that buildx leaves unwritten is not read from the last.
    builds++;
    const metadataFile = join(tempDir, `metadata-${builds}.json`);
    const iidFile = join(tempDir, `iid-${builds}.txt`);
    const args = buildxArgs({
      ...inputs,
      labels: plan.meta.labels,
      annotations: plan.meta.annotations,
      tags: [],
      push: false,
      load: inputs.load,
      secrets,
      metadataFile,
      iidFile,
      driver,
      ...overrides,
    });
    return core.group(title, () => build(args, { dockerConfig, metadataFile, iidFile }));
  };
  const buildOnce = (tags: string[], push: boolean): Promise<BuildResult> =>
    buildWith({ tags, push }, 'Build');
  if (evaluatesOnly(inputs.call)) {
    // `call: check` and the like: buildx reports on the build and makes no image to test or push.
    try {
      const result = await buildWith(
        { tags: [], push: false, load: false },
        `Build (call ${inputs.call})`,
      );
      core.info(`buildx evaluated the build (call ${inputs.call}); no image was made`);
      return outcomeOf(result, inputs, false, [], '');
    } finally {
      for (const warning of removeSecretFiles(join(tempDir, 'secrets'))) core.warning(warning);
    }
  }
  const gated = Boolean(inputs.test || inputs.testTarget);
  const retry = retryPolicy(inputs.retries);
  const registry = new RegistryClient({ credentials, retry, timeoutMs: inputs.networkTimeoutMs });
  // Needed before the build only to look for an image to reuse; otherwise it is computed beside
  // the build (base image lookups are network round trips) and logged after it.
  const reuse = inputs.reuse && plan.push;
  // Beside the build, the lookups are not retried and wait 10 s at most: a slow base registry
  // must not hold up a finished build, nor the end of a failed one.
  const lookups = reuse
    ? registry
    : new RegistryClient({ credentials, timeoutMs: Math.min(inputs.networkTimeoutMs, 10_000) });
  const fingerprinting = sourceFingerprint(inputs, plan, dockerConfig, lookups, logins);
  const fingerprint = reuse ? reportFingerprint(await fingerprinting, true) : '';
  const withFingerprint = async (outcome: Outcome): Promise<Outcome> =>
    reuse ? outcome : { ...outcome, fingerprint: reportFingerprint(await fingerprinting, false) };

  // Beside the build: how each registry authenticates (a token for the push), so the checks
  // after the build start authenticated. Given up at the end of this phase: a registry that does
  // not answer must not keep a failed step waiting.
  const warmUp = new AbortController();
  try {
    if (plan.push) void registry.warmUp(plan.meta.images, warmUp.signal);
    if (!plan.push) {
      const tested = gated
        ? await testPhase(
            inputs,
            plan,
            group ? [] : plan.meta.tags,
            buildWith,
            driver,
            dockerConfig,
            group?.platform,
          )
        : undefined;
      const result =
        tested?.result ??
        (group
          ? await buildWith({ tags: [], push: false, platforms: [group.platform] }, 'Build')
          : await buildOnce(plan.meta.tags, false));
      core.info(`built ${result.imageId}; not pushed: ${plan.pushReason}`);
      return await withFingerprint(outcomeOf(result, inputs, false, [], fingerprint, tested));
    }

    if (group?.artifact) {
      return await platformJobPhase(inputs, context, plan, group, {
        buildWith,
        driver,
        dockerConfig,
        registry,
        tempDir,
        fingerprint,
      }).then(withFingerprint);
    }
    // With reuse, every image also gets the fingerprint tag, an immutable one.
    const fpTag = inputs.reuse && fingerprint ? fingerprintTag(fingerprint) : '';
    const tags = fpTag ? [...plan.meta.planned, { name: fpTag, moving: false }] : plan.meta.planned;
    const order = releaseOrder(
      plan.meta.images.map((image) => ({ image, tags })),
      stagingTag(context.runId, context.runAttempt, new Date(), randomBytes(4).toString('hex')),
    );
    const options = releaseOptions(inputs, plan, context, { retry, credentials });
    // Set up before the build (cosign found or installed, the key read): a key that cannot be
    // read fails before anything is pushed. Every release call below gets its hook.
    const sign = await signing.prepare({ dockerConfig, tempDir, registry });
    const found = fpTag ? await findReusable(registry, plan.meta.images[0], fpTag) : undefined;
    if (found) {
      return await promotePhase(inputs, plan, order, options, {
        registry,
        dockerConfig,
        digest: found,
        fingerprint,
        fpTag,
        sign,
      });
    }
    // With a test gate the image is built and tested first; the release sends that image.
    const stageRefs = order.stage.map(refName);
    const tested = gated
      ? await testPhase(inputs, plan, stageRefs, buildWith, driver, dockerConfig)
      : undefined;
    let result: BuildResult | undefined = tested?.result;
    const report = await releasePhase(plan, inputs, order, options, {
      build: async (refs) => {
        if (tested && driver === 'docker') {
          return pushTestedImage(tested, refs, dockerConfig, registry, join(tempDir, 'image'));
        }
        if (tested) {
          const pushed = await pushByDigest(tested, refs, buildWith, registry);
          result = pushed.result;
          return pushed.digest;
        }
        result = await buildOnce(refs, true);
        return result.digest;
      },
      registry,
      sign: sign.hook,
    });
    if (!result) throw new Error('the push finished without a build');
    const refs = plan.meta.images.map((image) => `${image}@${report.digest}`);
    core.info(`pushed and verified ${report.digest}: ${plan.meta.tags.join(', ')}`);
    return await withFingerprint({
      ...outcomeOf({ ...result, digest: report.digest }, inputs, true, refs, fingerprint, tested),
      heldBack: heldBackRefs(report),
      ...sign.outcome(),
    });
  } finally {
    warmUp.abort();
    for (const warning of signing.cleanup()) core.warning(warning);
    for (const warning of removeSecretFiles(join(tempDir, 'secrets'))) core.warning(warning);
  }
}

/**
 * The test gate: builds and tests the image (and the test-target stage) before anything is
 * pushed. A failed test sets the test outputs and the summary, then fails the step.
 */
async function testPhase(
  inputs: Inputs,
  plan: Plan,
  tags: string[],
  build: (overrides: BuildOverrides, title: string) => Promise<BuildResult>,
  driver: string,
  dockerConfig: string,
  /** A platform job's platform (merge-group). */
  platform?: string,
): Promise<Tested> {
  return reportingTests(inputs, plan, (onContainer) =>
    buildAndTest(inputs, { driver, dockerConfig, build, tags, onContainer, platform }),
  );
}

/**
 * Runs tests with their container saved for the post step (which removes it if the job is
 * cancelled meanwhile); a failed test sets the test outputs and the summary, then fails the step.
 */
async function reportingTests<T>(
  inputs: Inputs,
  plan: Plan,
  run: (onContainer: (name: string) => void) => Promise<T>,
): Promise<T> {
  try {
    return await run((name) => core.saveState(State.testContainer, name));
  } catch (error) {
    if (error instanceof TestError) {
      setTestOutputs(error.report);
      if (inputs.summary) await writeSummary(failedTestMarkdown(plan, error.report));
    }
    throw error;
  } finally {
    // Every test container is gone by now (--rm, or removed at the timeout).
    core.saveState(State.testContainer, '');
  }
}

interface FingerprintResult {
  /** sha256 hex; '' when it could not be computed. */
  hash: string;
  /** What went into it, for the log. */
  details: string[];
  /** Why there is none. */
  failure: string;
}

/** Computes the source fingerprint. Never throws: a failure is returned, to be reported. */
async function sourceFingerprint(
  inputs: Inputs,
  plan: Plan,
  dockerConfig: string,
  registry: RegistryClient,
  logins: RegistryCredentials,
): Promise<FingerprintResult> {
  try {
    const buildPlatform = await enginePlatform(dockerConfig).catch(
      () => `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`,
    );
    const { hash, details } = await computeFingerprint(
      { ...inputs, labels: plan.meta.labels, annotations: plan.meta.annotations },
      {
        buildPlatform,
        workspace: process.env.GITHUB_WORKSPACE || process.cwd(),
        // A base image's registry may have a login of an earlier step (a private base image).
        resolveDigest: async (image, tag) => {
          await logins.prepare([parseReference(image).registry]);
          return registry.manifestDigest(image, tag);
        },
      },
    );
    return { hash, details, failure: '' };
  } catch (error) {
    const failure = error instanceof Error ? error.message : String(error);
    return { hash: '', details: [], failure };
  }
}

/**
 * Logs the fingerprint and what went into it; returns it. Without one, reuse is off for this
 * run, with a warning when it was asked for.
 */
function reportFingerprint(result: FingerprintResult, reuse: boolean): string {
  core.startGroup('Fingerprint');
  for (const line of result.details) core.info(line);
  if (result.hash) core.info(`fingerprint: ${result.hash} (tag ${fingerprintTag(result.hash)})`);
  else if (!reuse) core.info(`no source fingerprint: ${result.failure}`);
  core.endGroup();
  if (!result.hash && reuse) {
    core.warning(`reuse: no source fingerprint (${result.failure}); building without reuse`);
  }
  return result.hash;
}

/**
 * The digest of `image:fpTag`; undefined when there is none, or when the lookup failed (a
 * warning says so and the image is built as usual).
 */
async function findReusable(
  registry: RegistryClient,
  image: string,
  fpTag: string,
): Promise<string | undefined> {
  try {
    const digest = await registry.manifestDigest(image, fpTag);
    core.info(
      digest
        ? `reuse: ${image}:${fpTag} is ${digest}, built from the same source fingerprint`
        : `reuse: no ${image}:${fpTag} yet; building`,
    );
    return digest;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    core.warning(`reuse: could not look up ${image}:${fpTag} (${reason}); building as usual`);
    return undefined;
  }
}

interface Promotion {
  registry: RegistryClient;
  dockerConfig: string;
  /** The digest of the image found under the fingerprint tag. */
  digest: string;
  fingerprint: string;
  fpTag: string;
  /** Signs (and attests) the promoted digest in every registry, as a build's. */
  sign: SignStep;
}

/** How the release transaction runs for these inputs: retries, and forward-only moves. */
function releaseOptions(
  inputs: Inputs,
  plan: Plan,
  context: Context,
  push: Pick<ReleaseOptions, 'retry' | 'credentials'>,
): ReleaseOptions {
  const labels = Object.fromEntries(
    plan.meta.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  return {
    ...push,
    move: {
      ours: identityOf(labels),
      force: inputs.forceMovingTags,
      // The checkout's history first; then what the push event says about its commits.
      ancestry: async (older, newer) => {
        const found = await isAncestor(workspace, older, newer, inputs.networkTimeoutMs);
        return found === 'unknown' ? pushedAncestry(context.payload, older, newer) : found;
      },
      settleMs: MOVE_SETTLE_MS,
    },
  };
}

/**
 * How long the moving-tag step waits before reading its tags back: longer than another run
 * takes between reading a tag and writing it, so a race between two runs ends with the newer.
 */
const MOVE_SETTLE_MS = 1500;

/**
 * The release transaction (src/release/) in a log group; a failure writes the failed-push
 * summary (what each registry got, what was put back) and fails the step.
 */
async function releasePhase(
  plan: Plan,
  inputs: Inputs,
  order: ReleaseOrder,
  options: ReleaseOptions,
  runner: ReleaseRunner,
  title = 'Release',
): Promise<ReleaseReport> {
  try {
    const report = await core.group(title, () => release(order, runner, options));
    for (const held of report.heldBack) {
      core.warning(
        `held back ${refName(held.ref)}: ${held.reason}; set force-moving-tags: true to move it anyway`,
      );
    }
    return report;
  } catch (error) {
    if (error instanceof PushError && inputs.summary) {
      await writeSummary(failedPushMarkdown(plan, error.report, error.reason));
    }
    throw error;
  }
}

function heldBackRefs(report: ReleaseReport): string[] {
  return report.heldBack.map((h) => refName(h.ref));
}

/**
 * Reuse: the image found under the fingerprint tag in the first image repository is released
 * to every image repository by the same transaction (stage references, verified, then moving
 * tags forward only), by manifest copy; no build, no pull of its layers. The `test` command
 * runs in it first (pulled), unless test-on-reuse is false.
 */
async function promotePhase(
  inputs: Inputs,
  plan: Plan,
  order: ReleaseOrder,
  options: ReleaseOptions,
  promotion: Promotion,
): Promise<Outcome> {
  const { registry, dockerConfig, digest, fpTag } = promotion;
  const started = Date.now();
  const source = plan.meta.images[0];
  const sourceRef = `${source}@${digest}`;
  const gated = Boolean(inputs.test || inputs.testTarget);
  if (gated && !inputs.testOnReuse) {
    core.info('test-on-reuse is false: the reused image is not tested again');
  }
  const testIt = gated && inputs.testOnReuse;
  // Pulled only to test or load it; a promotion by itself never moves a layer through here.
  const imageId = testIt || inputs.load ? await pullImage(sourceRef, dockerConfig) : '';
  let test: TestReport | undefined;
  if (testIt) {
    test = await reportingTests(inputs, plan, (onContainer) =>
      testReusedImage(inputs, sourceRef, imageId, { dockerConfig, onContainer }),
    );
  }

  const report = await releasePhase(
    plan,
    inputs,
    order,
    options,
    { build: promoteStep(registry, source, digest), registry, sign: promotion.sign.hook },
    `Promote ${source}:${fpTag}`,
  );
  const configDigest = imageId || (await configOf(registry, source, digest, dockerConfig));
  const refs = plan.meta.images.map((image) => `${image}@${report.digest}`);
  core.info(
    `promoted ${sourceRef} (fingerprint tag ${fpTag}) without a build: ${plan.meta.tags.join(', ')}`,
  );
  return {
    digest: report.digest,
    imageId: configDigest,
    // What buildx would have reported for this image.
    metadata: JSON.stringify({
      'containerimage.digest': report.digest,
      'containerimage.config.digest': configDigest,
    }),
    platforms: inputs.platforms,
    durationMs: Date.now() - started,
    pushed: true,
    refs,
    test,
    fingerprint: promotion.fingerprint,
    reused: { tag: fpTag, image: source },
    heldBack: heldBackRefs(report),
    ...promotion.sign.outcome(),
  };
}

/** The config digest of `image@digest` (for an index: of the engine's platform); '' if unknown. */
async function configOf(
  registry: RegistryClient,
  image: string,
  digest: string,
  dockerConfig: string,
): Promise<string> {
  try {
    const platform = await enginePlatform(dockerConfig);
    let found = manifestConfig((await registry.getManifest(image, digest)).body, platform);
    if ('manifest' in found) {
      found = manifestConfig((await registry.getManifest(image, found.manifest)).body, platform);
    }
    return 'config' in found ? found.config : '';
  } catch (error) {
    core.debug(`no config digest for ${image}@${digest}: ${String(error)}`);
    return '';
  }
}

function outcomeOf(
  result: BuildResult,
  inputs: Inputs,
  pushed: boolean,
  refs: string[],
  fingerprint: string,
  tested?: Tested,
): Outcome {
  return {
    digest: result.digest,
    // The tested image's config digest, which the push checked against the registry.
    imageId: tested?.configDigest ?? result.imageId,
    metadata: result.metadata,
    platforms: inputs.platforms,
    durationMs: result.durationMs,
    pushed,
    refs,
    test: tested?.report,
    fingerprint,
  };
}

async function reportPhase(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  outcome: Outcome,
  tempDir: string,
  artifactName: string,
): Promise<void> {
  core.info(`digest: ${outcome.digest || '(none)'}`);
  // Outputs and summary first: when the upload fails, later steps still see what was pushed.
  setOutputs(plan, inputs, outcome);
  if (inputs.summary) await writeSummary(summaryMarkdown(plan, outcome));
  if (!artifactName || !outcome.digest) return;
  const record = digestRecord(plan, context, outcome);
  const id = await core.group('Upload digest artifact', async () => {
    try {
      return await uploadDigestArtifact(artifactName, record, tempDir, inputs.networkTimeoutMs);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `artifact-name: could not upload "${artifactName}" (${reason}); the image is pushed and its digest is in the outputs. A workflow run holds each artifact name once: give each job its own artifact-name, or set it empty for none`,
      );
    }
  });
  if (id) core.setOutput(Output.artifactId, id);
}

/** A platform job of a merge group: the platform it builds and the artifact of its digest. */
interface GroupArtifact {
  platform: string;
  /** '' when nothing is pushed (a pull request): there is no digest to hand over. */
  artifact: string;
}

/**
 * A platform job's platform and artifact, claimed before the build: a job of this run attempt
 * that already built the platform is an error; a record of an earlier attempt (the job is
 * rerun) is deleted, so that the merge never takes an image this attempt did not make.
 */
async function platformArtifact(
  inputs: Inputs,
  context: Context,
  dockerConfig: string,
  tempDir: string,
  push: boolean,
): Promise<GroupArtifact> {
  const group = inputs.mergeGroup;
  const native = inputs.platforms.length === 1 ? '' : await enginePlatform(dockerConfig);
  const platform = jobPlatform(inputs.platforms, native, group);
  if (!push) return { platform, artifact: '' };
  const artifact = platformArtifactName(group, platform);
  const unavailable = noArtifactService(process.env);
  if (unavailable) {
    throw new Error(
      `merge-group: a platform job hands its digest to the merge step in a workflow artifact, and ${unavailable}; nothing was built or pushed. Build every platform in one job instead (platforms: linux/amd64,linux/arm64 on the containerd image store, or a docker-container builder)`,
    );
  }
  const timeoutMs = inputs.networkTimeoutMs;
  const existing = (await listRunArtifacts(timeoutMs)).find((a) => a.name === artifact);
  if (!existing) return { platform, artifact };
  const attempt = Number(context.runAttempt) || 1;
  const record = parseRecord(
    await downloadFile(existing, RECORD_FILE, tempDir, timeoutMs),
    artifact,
  );
  if (record.runAttempt >= attempt) {
    throw new Error(
      `merge-group: the job "${record.job}" of this run already built ${platform} for the group "${group}" (artifact "${artifact}"); nothing was built or pushed. Give each job of the group its own platform`,
    );
  }
  await deleteRunArtifact(artifact, timeoutMs);
  core.info(
    `merge-group: removed "${artifact}" of run attempt ${record.runAttempt} (${record.digest}): this attempt's ${platform} replaces it`,
  );
  return { platform, artifact };
}

interface PlatformBuild {
  buildWith: (overrides: BuildOverrides, title: string) => Promise<BuildResult>;
  driver: string;
  dockerConfig: string;
  registry: RegistryClient;
  tempDir: string;
  fingerprint: string;
}

/**
 * A platform job of a merge group: builds and tests its one platform on this runner (or
 * promotes the image of the same fingerprint), puts it in every image repository by digest,
 * checks each holds the tested image, and records the digest in the group's artifact. No tag
 * is written but the fingerprint tag of `reuse`; the merge step writes the others.
 */
async function platformJobPhase(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  group: GroupArtifact,
  build: PlatformBuild,
): Promise<Outcome> {
  const { buildWith, driver, dockerConfig, registry, tempDir, fingerprint } = build;
  const { platform } = group;
  const images = plan.meta.images;
  const started = Date.now();
  const fpTag = inputs.reuse && fingerprint ? fingerprintTag(fingerprint) : '';
  const fpRefs = fpTag ? images.map((image) => `${image}:${fpTag}`) : [];
  const gated = Boolean(inputs.test || inputs.testTarget);

  let digest: string;
  let result: BuildResult | undefined;
  let tested: Tested | undefined;
  let test: TestReport | undefined;
  let testState = gated ? 'passed' : 'skipped';
  const found = fpTag ? await findReusable(registry, images[0], fpTag) : undefined;
  if (found) {
    const ref = `${images[0]}@${found}`;
    if (gated && inputs.testOnReuse) {
      const imageId = await pullImage(ref, dockerConfig);
      test = await reportingTests(inputs, plan, (onContainer) =>
        testReusedImage(inputs, ref, imageId, { dockerConfig, onContainer, platform }),
      );
    }
    digest = await core.group(`Promote ${images[0]}:${fpTag}`, () =>
      promoteStep(registry, images[0], found)(fpRefs),
    );
    testState = test ? 'reused, tested again' : 'reused';
  } else if (driver === 'docker') {
    tested = await testPhase(inputs, plan, [], buildWith, driver, dockerConfig, platform);
    result = tested.result;
    digest = await pushTestedImage(
      tested,
      fpRefs,
      dockerConfig,
      registry,
      join(tempDir, 'image'),
      images,
    );
  } else if (gated) {
    tested = await testPhase(inputs, plan, [], buildWith, driver, dockerConfig, platform);
    const pushed = await pushByDigest(tested, fpRefs, buildWith, registry, images);
    result = pushed.result;
    digest = pushed.digest;
  } else {
    result = await buildWith(
      {
        tags: [],
        push: false,
        load: false,
        platforms: [platform],
        outputs: [digestOutput(images)],
      },
      'Build and push by digest',
    );
    digest = result.digest;
    if (!digest) throw new Error('buildx reported no digest for the image pushed by digest');
    await promoteStep(registry, images[0], digest)(fpRefs);
  }
  // What every repository holds, read back: the record names only a digest that is there. A
  // tested image was checked in every repository by its push already.
  await Promise.all(
    (tested ? [] : images).map(async (image) => {
      const held = await registry.manifestDigest(image, digest);
      if (held !== digest) {
        throw new Error(
          `${image}@${digest} is ${held ? `the image ${held}` : 'missing'} after the push: nothing is recorded for the merge step`,
        );
      }
    }),
  );
  core.info(`${platform}: ${digest} is in ${images.join(', ')} by digest, with no tag`);

  const record: PlatformRecord = {
    schema: RECORD_SCHEMA,
    group: inputs.mergeGroup,
    platform,
    digest,
    images,
    revision: context.sha,
    runAttempt: Number(context.runAttempt) || 1,
    job: process.env.GITHUB_JOB ?? '',
    runner: {
      name: process.env.RUNNER_NAME ?? '',
      os: process.env.RUNNER_OS ?? '',
      arch: process.env.RUNNER_ARCH ?? '',
    },
    test: testState,
    testDurationMs: (tested?.report ?? test)?.runs.reduce((sum, r) => sum + r.durationMs, 0) ?? 0,
    reusedFrom: found ? `${images[0]}:${fpTag}` : '',
    fingerprint,
  };
  await core.group(`Upload the digest for merge-group ${inputs.mergeGroup}`, async () => {
    try {
      await uploadFiles(
        group.artifact,
        { [RECORD_FILE]: JSON.stringify(record, null, 2) + '\n' },
        tempDir,
        inputs.networkTimeoutMs,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `merge-group: could not upload "${group.artifact}" (${reason}); ${digest} is in the registries by digest, with no tag, and the merge step will not find it. Rerun this job`,
      );
    }
  });
  const refs = images.map((image) => `${image}@${digest}`);
  return {
    digest,
    imageId: tested?.configDigest ?? result?.imageId ?? '',
    metadata: result?.metadata ?? JSON.stringify({ 'containerimage.digest': digest }),
    platforms: [platform],
    durationMs: result?.durationMs ?? Date.now() - started,
    pushed: true,
    refs,
    // A build without test or test-target ran no test, though it went through the gate's build.
    test: gated ? (tested?.report ?? test) : undefined,
    fingerprint,
    ...(found ? { reused: { tag: fpTag, image: images[0] } } : {}),
    platformJob: { group: inputs.mergeGroup, platform, artifact: group.artifact },
  };
}

/**
 * The merge step of a group: the platform jobs' records from the run's artifacts, checked
 * against `platforms`; every platform image made present in every image repository (copied
 * from another where a job did not push it); one index of them (attestations kept), released
 * by the transaction as a build is: immutable tags verified, then moving tags forward only.
 * Nothing is written before every record is checked.
 */
async function mergePhase(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  step: { tempDir: string; dockerConfig: string; signing: Signing },
  logins: RegistryCredentials,
): Promise<Outcome> {
  try {
    return await mergeRelease(inputs, context, plan, step, logins);
  } finally {
    for (const warning of step.signing.cleanup()) core.warning(warning);
  }
}

async function mergeRelease(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  { tempDir, dockerConfig, signing }: { tempDir: string; dockerConfig: string; signing: Signing },
  logins: RegistryCredentials,
): Promise<Outcome> {
  const group = inputs.mergeGroup;
  const started = Date.now();
  if (!plan.push) {
    core.info(`merge: nothing to merge: ${plan.pushReason}, so the platform jobs pushed nothing`);
    return {
      digest: '',
      imageId: '',
      metadata: '',
      platforms: inputs.platforms,
      durationMs: 0,
      pushed: false,
      refs: [],
    };
  }
  const timeoutMs = inputs.networkTimeoutMs;
  const retry = retryPolicy(inputs.retries);
  const registry = new RegistryClient({ credentials: logins.lookup, retry, timeoutMs });
  const images = plan.meta.images;
  // Set up before anything is read or written: a key that cannot be read fails here.
  const sign = await signing.prepare({ dockerConfig, tempDir, registry });

  const records = await core.group(`Digests of merge-group ${group}`, async () => {
    const unavailable = noArtifactService(process.env);
    if (unavailable) {
      throw new Error(
        `merge: the digests of merge-group "${group}" are workflow artifacts, and ${unavailable}; nothing was pushed`,
      );
    }
    const prefix = groupArtifactPrefix(group);
    const artifacts = (await listRunArtifacts(timeoutMs)).filter((a) => a.name.startsWith(prefix));
    const found: PlatformRecord[] = [];
    for (const artifact of artifacts) {
      const record = parseRecord(
        await downloadFile(artifact, RECORD_FILE, tempDir, timeoutMs),
        artifact.name,
      );
      core.info(
        `${artifact.name}: ${record.platform} ${record.digest} (job ${record.job || '?'}, attempt ${record.runAttempt}, test ${record.test})`,
      );
      found.push(record);
    }
    return checkRecords(found, inputs.platforms, group, context.sha);
  });

  const index = await core.group(
    `Index of ${records.map((r) => r.platform).join(', ')}`,
    async () => {
      // Where each platform image is: checked in every repository before anything is written.
      const holders = new Map<string, string[]>();
      for (const record of records) {
        const held: string[] = [];
        for (const image of images) {
          if ((await registry.manifestDigest(image, record.digest)) === record.digest)
            held.push(image);
        }
        if (held.length === 0) {
          throw new Error(
            `merge: the ${record.platform} image ${record.digest} is in none of ${images.join(', ')} (its job pushed to ${record.images.join(', ') || 'nothing'}); give the merge step and the platform jobs the same images. Nothing was pushed`,
          );
        }
        holders.set(record.digest, held);
      }
      const entries: IndexEntry[] = [];
      for (const record of records) {
        const held = holders.get(record.digest)!;
        for (const image of images.filter((i) => !held.includes(i))) {
          const manifest = await copyImage(registry, held[0], image, record.digest);
          await registry.putManifest(image, record.digest, manifest);
          core.info(`${image}: copied ${record.platform} ${record.digest} from ${held[0]}`);
        }
        const manifest = await registry.getManifest(held[0], record.digest);
        const doc = JSON.parse(manifest.body.toString('utf8')) as { config?: { digest?: string } };
        const platform = doc.config?.digest
          ? configPlatform(await registry.getBlob(held[0], doc.config.digest))
          : undefined;
        entries.push(...indexEntries(manifest.body, record.digest, manifest.mediaType, platform));
      }
      const built = buildIndex(entries, indexAnnotations(plan.meta.annotations));
      core.info(`index ${built.digest} (${built.mediaType}): ${entries.length} manifests`);
      return built;
    },
  );

  const order = releaseOrder(
    images.map((image) => ({ image, tags: plan.meta.planned })),
    stagingTag(context.runId, context.runAttempt, new Date(), randomBytes(4).toString('hex')),
  );
  const options = releaseOptions(inputs, plan, context, { retry, credentials: logins.lookup });
  const report = await releasePhase(
    plan,
    inputs,
    order,
    options,
    {
      build: async (refs) => {
        for (const ref of refs) {
          const [image, tag] = splitTagRef(ref);
          await registry.putManifest(image, tag, index);
          core.info(`tagged ${ref} (index ${index.digest})`);
        }
        return index.digest;
      },
      registry,
      sign: sign.hook,
    },
    `Release merge-group ${group}`,
  );
  const refs = images.map((image) => `${image}@${report.digest}`);
  core.info(
    `released ${report.digest} (${records.length} platforms): ${plan.meta.tags.join(', ')}`,
  );
  return {
    digest: report.digest,
    imageId: '',
    metadata: JSON.stringify({
      'containerimage.digest': report.digest,
      'containerimage.descriptor': {
        mediaType: index.mediaType,
        digest: index.digest,
        size: index.body.length,
      },
      platforms: records.map((r) => ({ platform: r.platform, digest: r.digest })),
    }),
    platforms: records.map((r) => r.platform),
    durationMs: Date.now() - started,
    pushed: true,
    refs,
    heldBack: heldBackRefs(report),
    merged: { group, platforms: records },
    ...sign.outcome(),
  };
}
