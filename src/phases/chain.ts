/**
 * The chain route (files, targets): the bake targets built in one bake run, each child FROM its
 * parent of the same run; each released target tested, put in its repositories by digest, then
 * all released together: nothing is tagged until every target is built, tested and verified.
 */
import * as core from '@actions/core';
import { retriedBuild } from './build-retry.js';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { bake, builderBuildkit, lacksNamedContexts, namedContextsError } from '../docker/bake.js';
import type { BuildResult } from '../docker/build.js';
import { engineImageStore } from '../docker/test-run.js';
import { buildAndTest, pullImage, testReusedImage, type Tested } from '../gate/run.js';
import { pushTestedImage } from '../gate/push-tested.js';
import { SKIPPED, type TestReport } from '../gate/spec.js';
import { fingerprintTag } from '../fingerprint/index.js';
import { chainFingerprints, findReused, type Reused } from './chain-reuse.js';
import { outcome } from '../report/outcome.js';
import { promoteStep } from '../publish/promote.js';
import type { Chain, ChainTarget } from '../release/chain.js';
import { releaseChain, type ChainPart } from '../release/chain-release.js';
import { PushError } from '../release/stage.js';
import { type ChainTargetOutcome, type Outcome } from '../report/outcome.js';
import { failedPushMarkdown, writeSummary } from '../report/summary.js';
import type { Step } from '../step.js';
import { buildRetry, orderOf, releaseOptions } from './release.js';
import { reportingTests } from './test.js';

/** Builds, tests and releases the chain of the step. */
export async function chainRoute(step: Step): Promise<Outcome> {
  const { inputs, plan, chain } = step;
  if (!chain) throw new Error('the chain route needs a chain');
  const started = Date.now();
  // With reuse, a target of an unchanged source (and unchanged parents) is promoted, not built.
  const reuse = inputs.reuse && plan.push;
  const hashes = reuse
    ? await core.group('Fingerprints', () => chainFingerprints(step, chain))
    : new Map<string, string>();
  const reused = reuse ? await findReused(step, chain, hashes) : new Map<string, Reused>();
  const rebuilt = chain.released.filter((t) => !reused.has(t.name));
  const tested = new Map<string, TestReport>();
  const digests = new Map<string, string>();

  if (rebuilt.length > 0) {
    const images = await buildAndTestChain(step, chain, rebuilt, reused);
    for (const [name, image] of images) tested.set(name, image.report);
    if (!plan.push) {
      core.info(`built ${rebuilt.map((t) => t.name).join(', ')}; not pushed: ${plan.pushReason}`);
      for (const [name, image] of images) digests.set(name, image.result.digest);
      return chainOutcome(results(chain, digests, tested, reused, false), false, started);
    }
    // Every rebuilt target in its repositories by digest, with no tag, checked to be the tested image.
    for (const target of rebuilt) {
      const digest = await core.group(`Push ${target.name} by digest`, () =>
        pushTestedImage(
          images.get(target.name)!,
          [],
          step.dockerConfig,
          step.registry,
          join(step.tempDir, `image-${target.name}`),
          target.repositories,
        ),
      );
      digests.set(target.name, digest);
    }
  }
  for (const [name, found] of reused) {
    digests.set(name, found.digest);
    tested.set(name, await testReused(step, found));
  }

  const sign = await step.signing.prepare({
    dockerConfig: step.dockerConfig,
    tempDir: step.tempDir,
    registry: step.registry,
  });
  const parts: ChainPart[] = chain.released.map((target) => {
    const hash = hashes.get(target.name);
    const tags = hash
      ? [...plan.meta.planned, { name: fingerprintTag(hash), moving: false }]
      : plan.meta.planned;
    return {
      name: target.name,
      order: orderOf(
        { ...step, plan: { ...plan, meta: { ...plan.meta, images: target.repositories } } },
        tags,
      ),
      build: retriedBuild(
        promoteStep(step.registry, target.repositories[0], digests.get(target.name)!),
        buildRetry(step),
      ),
    };
  });
  try {
    await core.group('Release the chain', () =>
      releaseChain(parts, { registry: step.registry, sign: sign.hook }, releaseOptions(step)),
    );
  } catch (error) {
    if (error instanceof PushError && inputs.summary) {
      await writeSummary(failedPushMarkdown(plan, error.report, error.reason));
    }
    throw error;
  } finally {
    for (const warning of step.signing.cleanup()) core.warning(warning);
  }
  const targets = results(chain, digests, tested, reused, true);
  core.info(
    `released ${targets.map((t) => `${t.target} ${t.digest}${t.reused ? ' (reused)' : ''}`).join(', ')}: ${plan.meta.tagNames.join(', ')}`,
  );
  return { ...chainOutcome(targets, true, started), ...sign.outcome() };
}

/**
 * The rebuilt targets in one bake run, each then tested in the engine. A target built FROM a
 * reused one is built FROM that released image (by digest), not from a rebuild of it.
 */
async function buildAndTestChain(
  step: Step,
  chain: Chain,
  rebuilt: ChainTarget[],
  reused: Map<string, Reused>,
): Promise<Map<string, Tested>> {
  const { inputs, plan } = step;
  if (rebuilt.some((t) => t.parents.some((p) => !reused.has(p)))) {
    const version = await builderBuildkit(step.dockerConfig, inputs.builder);
    if (lacksNamedContexts(version)) throw new Error(namedContextsError(version));
  }
  const built = await bakeChain(step, chain, rebuilt, reused);
  const store = await engineImageStore(step.dockerConfig);
  const images = new Map<string, Tested>();
  for (const target of rebuilt) {
    const result = built.get(target.name)!;
    images.set(
      target.name,
      await reportingTests(inputs, plan, (onContainer) =>
        buildAndTest(
          { ...inputs, testTarget: '', load: true, platforms: [] },
          {
            driver: 'docker',
            dockerConfig: step.dockerConfig,
            tags: [],
            onContainer,
            build: () => Promise.resolve(engineImage(result, store)),
          },
        ),
      ),
    );
  }
  return images;
}

/** A reused target's image tested again (pulled), unless test-on-reuse is false. */
async function testReused(step: Step, found: Reused): Promise<TestReport> {
  const { inputs, plan, dockerConfig } = step;
  if (!step.gated || !inputs.testOnReuse) return SKIPPED;
  const ref = `${found.from.slice(0, found.from.lastIndexOf(':'))}@${found.digest}`;
  const imageId = await pullImage(ref, dockerConfig);
  return reportingTests(inputs, plan, (onContainer) =>
    testReusedImage(inputs, ref, imageId, { dockerConfig, onContainer }),
  );
}

function results(
  chain: Chain,
  digests: Map<string, string>,
  tested: Map<string, TestReport>,
  reused: Map<string, Reused>,
  pushed: boolean,
): ChainTargetOutcome[] {
  return chain.released
    .filter((target) => digests.has(target.name))
    .map((target) => {
      const digest = digests.get(target.name)!;
      return {
        target: target.name,
        parents: target.parents,
        repositories: target.repositories,
        digest,
        refs: pushed ? target.repositories.map((r) => `${r}@${digest}`) : [],
        reused: reused.has(target.name),
        test: tested.get(target.name)?.result ?? 'skipped',
      };
    });
}

/** The rebuilt targets in one bake run, loaded into the engine under names of this run. */
async function bakeChain(
  step: Step,
  chain: Chain,
  rebuilt: ChainTarget[],
  reused: Map<string, Reused>,
): Promise<Map<string, BuildResult>> {
  const { inputs, plan } = step;
  const run = `${step.context.runId || 'local'}-${randomBytes(3).toString('hex')}`;
  const flags: string[] = ['--load'];
  if (inputs.builder) flags.push('--builder', inputs.builder);
  for (const allow of inputs.allow) flags.push('--allow', allow);
  for (const target of chain.targets) {
    // A parent that is reused is taken as released, by digest: the child is built FROM it.
    for (const [name, value] of Object.entries(target.definition.contexts ?? {})) {
      const parent = reused.get(value.slice('target:'.length));
      if (value.startsWith('target:') && parent) {
        const image = parent.from.slice(0, parent.from.lastIndexOf(':'));
        flags.push(
          '--set',
          `${target.name}.contexts.${name}=docker-image://${image}@${parent.digest}`,
        );
      }
    }
  }
  for (const target of rebuilt) {
    flags.push('--set', `${target.name}.tags=build-tag-push/${target.name}:${run}`);
    for (const label of plan.meta.labels) {
      const eq = label.indexOf('=');
      flags.push('--set', `${target.name}.labels.${label.slice(0, eq)}=${label.slice(eq + 1)}`);
    }
  }
  const started = Date.now();
  const names = rebuilt.map((t) => t.name);
  const results = await core.group(`Bake ${names.join(', ')}`, () =>
    bake(names, flags, join(step.tempDir, 'bake-metadata.json'), {
      dockerConfig: step.dockerConfig,
      files: inputs.files,
    }),
  );
  const built = new Map<string, BuildResult>();
  for (const target of rebuilt) {
    const result = results.get(target.name);
    if (!result?.digest) throw new Error(`docker buildx bake reported no image for ${target.name}`);
    built.set(target.name, {
      digest: result.digest,
      imageId: result.configDigest,
      metadata: result.metadata,
      durationMs: Date.now() - started,
    });
  }
  return built;
}

/** The baked image as the engine knows it: on the containerd store by its manifest digest. */
function engineImage(result: BuildResult, store: 'containerd' | 'classic'): BuildResult {
  return store === 'containerd' ? { ...result, imageId: result.digest } : result;
}

function chainOutcome(targets: ChainTargetOutcome[], pushed: boolean, started: number): Outcome {
  const durationMs = Date.now() - started;
  const single = targets.length === 1 ? targets[0] : undefined;
  return outcome({
    digest: single?.digest ?? '',
    pushed,
    durationMs,
    refs: targets.flatMap((t) => t.refs),
    chain: targets,
  });
}
