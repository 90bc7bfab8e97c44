import * as core from '@actions/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getContext, type Context } from './context.js';
import { build, type BuildResult } from './docker/build.js';
import { builderDriver } from './docker/builder.js';
import { buildArgWarnings, buildxArgs } from './docker/buildx-args.js';
import { ensureBuildx } from './docker/buildx-install.js';
import { createDockerConfig, credentialsFromConfig } from './docker/config.js';
import {
  buildAndTest,
  pushByDigest,
  pushTestedImage,
  TestError,
  type BuildOverrides,
  type Tested,
} from './docker/gate.js';
import { anonymousRegistries, login, resolveLogins, type Login } from './docker/login.js';
import { buildTags, pushSteps, PushError, runPushSteps, type PushReport } from './docker/push.js';
import { RegistryClient } from './docker/registry.js';
import { retryPolicy } from './docker/retry.js';
import { removeSecretFiles, writeSecretFiles } from './docker/secrets.js';
import { getInputs, type Inputs } from './inputs.js';
import { Output, State } from './names.js';
import { makePlan, type Plan } from './plan.js';
import {
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

/** The main step: inputs, context, plan, then (unless dry-run) login, build, push, verify, report. */
export async function run(): Promise<void> {
  const inputs = getInputs();
  const context = getContext();
  const plan = planPhase(inputs, context);
  if (inputs.dryRun) {
    core.info('dry-run is true: no login, build or push');
    setOutputs(plan, inputs, undefined);
    if (inputs.summary) await writeSummary(summaryMarkdown(plan, undefined));
    return;
  }

  // Resolved before anything is created, so a missing credential fails with nothing to clean up.
  const logins =
    plan.push || !context.pullRequest?.fromFork ? resolveLogins(inputs, context.actor) : [];
  for (const warning of buildArgWarnings(inputs.buildArgs)) core.warning(warning);

  const tempRoot = process.env.RUNNER_TEMP || tmpdir();
  const tempDir = mkdtempSync(join(tempRoot, 'build-tag-push-'));
  core.saveState(State.tempDir, tempDir);
  const dockerConfig = createDockerConfig({ tempRoot });
  core.saveState(State.dockerConfig, dockerConfig);

  const driver = await core.group('Set up buildx', async () => {
    await ensureBuildx({
      version: inputs.buildxVersion,
      mirror: inputs.buildxMirror,
      dockerConfig,
    });
    return builderDriver(dockerConfig, inputs.builder);
  });
  if (logins.length > 0 || plan.push) {
    await core.group('Log in', () => loginPhase(logins, dockerConfig, inputs, plan));
  }

  const outcome = await buildPhase(inputs, plan, tempDir, dockerConfig, driver);
  await reportPhase(inputs, context, plan, outcome, tempDir);
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
  return plan;
}

async function loginPhase(
  logins: Login[],
  dockerConfig: string,
  inputs: Inputs,
  plan: Plan,
): Promise<void> {
  if (logins.length > 0) {
    // Saved before logging in: a login that half-succeeded is still logged out by the post step.
    core.saveState(State.registries, JSON.stringify(logins.map((l) => l.registry)));
    await login(logins, dockerConfig, { retry: retryPolicy(inputs.retries) });
  }
  if (!plan.push) return;
  for (const registry of anonymousRegistries(plan.meta.images, credentialsFromConfig(dockerConfig)))
    core.info(`no credentials were given for ${registry}; pushing to it anonymously`);
}

async function buildPhase(
  inputs: Inputs,
  plan: Plan,
  tempDir: string,
  dockerConfig: string,
  driver: string,
): Promise<Outcome> {
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
  const gated = Boolean(inputs.test || inputs.testTarget);

  try {
    if (!plan.push) {
      const tested = gated
        ? await testPhase(inputs, plan, plan.meta.tags, buildWith, driver, dockerConfig)
        : undefined;
      const result = tested?.result ?? (await buildOnce(plan.meta.tags, false));
      core.info(`built ${result.imageId}; not pushed: ${plan.pushReason}`);
      return outcomeOf(result, inputs, false, [], tested);
    }

    const steps = pushSteps(plan.meta.images.map((image) => ({ image, tags: plan.meta.planned })));
    const retry = retryPolicy(inputs.retries);
    const credentials = credentialsFromConfig(dockerConfig);
    const registry = new RegistryClient({ credentials, retry });
    // With a test gate the image is built and tested first; the push sends that image.
    const tested = gated
      ? await testPhase(inputs, plan, buildTags(steps), buildWith, driver, dockerConfig)
      : undefined;
    let result: BuildResult | undefined = tested?.result;
    let report: PushReport;
    try {
      report = await runPushSteps(
        steps,
        {
          build: async (refs) => {
            if (tested && driver === 'docker') {
              return pushTestedImage(tested, refs, dockerConfig, registry);
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
        },
        { retry, credentials },
      );
    } catch (error) {
      if (error instanceof PushError && inputs.summary) {
        await writeSummary(failedPushMarkdown(plan, error.report, error.reason));
      }
      throw error;
    }
    if (!result) throw new Error('the push finished without a build');
    const refs = plan.meta.images.map((image) => `${image}@${report.digest}`);
    core.info(`pushed and verified ${report.digest}: ${plan.meta.tags.join(', ')}`);
    return outcomeOf({ ...result, digest: report.digest }, inputs, true, refs, tested);
  } finally {
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
): Promise<Tested> {
  try {
    return await buildAndTest(inputs, {
      driver,
      dockerConfig,
      build,
      tags,
      // The container running now: the post step removes it if the job is cancelled meanwhile.
      onContainer: (name) => core.saveState(State.testContainer, name),
    });
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

function outcomeOf(
  result: BuildResult,
  inputs: Inputs,
  pushed: boolean,
  refs: string[],
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
  };
}

async function reportPhase(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  outcome: Outcome,
  tempDir: string,
): Promise<void> {
  core.info(`digest: ${outcome.digest || '(none)'}`);
  // Outputs and summary first: when the upload fails, later steps still see what was pushed.
  setOutputs(plan, inputs, outcome);
  if (inputs.summary) await writeSummary(summaryMarkdown(plan, outcome));
  if (!inputs.artifactName || !outcome.digest) return;
  const record = digestRecord(plan, context, outcome);
  const id = await core.group('Upload digest artifact', async () => {
    try {
      return await uploadDigestArtifact(inputs.artifactName, record, tempDir);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `artifact-name: could not upload "${inputs.artifactName}" (${reason}); the image is pushed and its digest is in the outputs. A workflow run holds each artifact name once: give each job its own artifact-name, or set it empty for none`,
      );
    }
  });
  if (id) core.setOutput(Output.artifactId, id);
}
