/**
 * The chain route (files, targets): the bake targets built in one bake run, each child FROM its
 * parent of the same run; each released target tested, put in its repositories by digest, then
 * all released together: nothing is tagged until every target is built, tested and verified.
 */
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  bake,
  bakeDefinition,
  builderBuildkit,
  lacksNamedContexts,
  namedContextsError,
} from '../docker/bake.js';
import type { BuildResult } from '../docker/build.js';
import { userDockerConfigDir } from '../docker/config.js';
import { engineImageStore } from '../docker/test-run.js';
import { buildAndTest, pushTestedImage, type Tested } from '../gate/run.js';
import type { Inputs } from '../inputs/inputs.js';
import { outcome } from '../outcome.js';
import { promoteStep } from '../publish/promote.js';
import {
  chainOf,
  imageOverrides,
  type BakeDefinition,
  type Chain,
  type ChainTarget,
} from '../release/chain.js';
import { releaseChain, type ChainPart } from '../release/chain-release.js';
import { PushError } from '../release/stage.js';
import {
  failedPushMarkdown,
  writeSummary,
  type ChainTargetOutcome,
  type Outcome,
} from '../report/report.js';
import type { Step } from '../step.js';
import { orderOf, releaseOptions } from './release.js';
import { reportingTests } from './test.js';

/** The chain of `files` and `targets` from bake's own reading of them; undefined without either. */
export async function chainPhase(inputs: Inputs): Promise<Chain | undefined> {
  if (inputs.files.length === 0 && inputs.targets.length === 0) return undefined;
  return core.group('Bake definition', async () => {
    const text = await bakeDefinition(inputs.targets, {
      dockerConfig: userDockerConfigDir(),
      files: inputs.files,
    });
    let definition: BakeDefinition;
    try {
      definition = JSON.parse(text) as BakeDefinition;
    } catch {
      throw new Error(`files: docker buildx bake --print wrote no JSON: ${text.slice(0, 200)}`);
    }
    const chain = chainOf(definition, inputs.targets, imageOverrides(inputs.images));
    for (const target of chain.targets) {
      const from = target.parents.length > 0 ? ` FROM ${target.parents.join(', ')}` : '';
      const to = target.repositories.join(', ') || 'not released (built as a parent only)';
      core.info(`${target.name}${from}: ${to}`);
    }
    return chain;
  });
}

/** Builds, tests and releases the chain of the step. */
export async function chainRoute(step: Step): Promise<Outcome> {
  const { inputs, plan, chain } = step;
  if (!chain) throw new Error('the chain route needs a chain');
  const started = Date.now();
  if (chain.targets.some((t) => t.parents.length > 0)) {
    const version = await builderBuildkit(step.dockerConfig, inputs.builder);
    if (lacksNamedContexts(version)) throw new Error(namedContextsError(version));
  }
  const built = await bakeChain(step, chain);
  const store = await engineImageStore(step.dockerConfig);
  const tested = new Map<string, Tested>();
  for (const target of chain.released) {
    const result = built.get(target.name)!;
    tested.set(
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
  const results = (digestOf: (name: string) => string, pushed: boolean): ChainTargetOutcome[] =>
    chain.released.map((target) => ({
      target: target.name,
      parents: target.parents,
      repositories: target.repositories,
      digest: digestOf(target.name),
      refs: pushed ? target.repositories.map((r) => `${r}@${digestOf(target.name)}`) : [],
      reused: false,
      test: tested.get(target.name)!.report.result,
    }));
  if (!plan.push) {
    core.info(
      `built ${chain.released.map((t) => t.name).join(', ')}; not pushed: ${plan.pushReason}`,
    );
    const targets = results((name) => built.get(name)!.digest, false);
    return chainOutcome(targets, false, Date.now() - started);
  }

  // Every released target in its repositories by digest, with no tag, checked to be the tested image.
  const digests = new Map<string, string>();
  for (const target of chain.released) {
    const digest = await core.group(`Push ${target.name} by digest`, () =>
      pushTestedImage(
        tested.get(target.name)!,
        [],
        step.dockerConfig,
        step.registry,
        join(step.tempDir, `image-${target.name}`),
        target.repositories,
      ),
    );
    digests.set(target.name, digest);
  }
  const sign = await step.signing.prepare({
    dockerConfig: step.dockerConfig,
    tempDir: step.tempDir,
    registry: step.registry,
  });
  const parts: ChainPart[] = chain.released.map((target) => ({
    name: target.name,
    order: orderOf(
      { ...step, plan: { ...plan, meta: { ...plan.meta, images: target.repositories } } },
      plan.meta.planned,
    ),
    build: promoteStep(step.registry, target.repositories[0], digests.get(target.name)!),
  }));
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
  const targets = results((name) => digests.get(name)!, true);
  core.info(
    `released ${targets.map((t) => `${t.target} ${t.digest}`).join(', ')}: ${plan.meta.tagNames.join(', ')}`,
  );
  return { ...chainOutcome(targets, true, Date.now() - started), ...sign.outcome() };
}

/** All released targets in one bake run, loaded into the engine under names of this run. */
async function bakeChain(step: Step, chain: Chain): Promise<Map<string, BuildResult>> {
  const { inputs, plan } = step;
  const run = `${step.context.runId || 'local'}-${randomBytes(3).toString('hex')}`;
  const flags: string[] = ['--load'];
  if (inputs.builder) flags.push('--builder', inputs.builder);
  for (const target of chain.released) {
    flags.push('--set', `${target.name}.tags=build-tag-push/${target.name}:${run}`);
    for (const label of plan.meta.labels) {
      const eq = label.indexOf('=');
      flags.push('--set', `${target.name}.labels.${label.slice(0, eq)}=${label.slice(eq + 1)}`);
    }
  }
  const started = Date.now();
  const names = chain.released.map((t) => t.name);
  const results = await core.group(`Bake ${names.join(', ')}`, () =>
    bake(names, flags, join(step.tempDir, 'bake-metadata.json'), {
      dockerConfig: step.dockerConfig,
      files: inputs.files,
    }),
  );
  const built = new Map<string, BuildResult>();
  for (const target of chain.released) {
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

function chainOutcome(targets: ChainTargetOutcome[], pushed: boolean, durationMs: number): Outcome {
  const single = targets.length === 1 ? targets[0] : undefined;
  return outcome({
    digest: single?.digest ?? '',
    pushed,
    durationMs,
    refs: targets.flatMap((t) => t.refs),
    chain: targets,
  });
}

export type { ChainTarget };
