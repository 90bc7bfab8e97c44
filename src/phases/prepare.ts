/**
 * The prepare phase: the step's workspace, set up side by side: temp dir, the action's own
 * Docker config, buildx, logins, the builder's driver, the digest artifact's name and a
 * platform job's claim. Every state the step's cleanup needs is saved here (src/state.ts).
 */
import * as core from '@actions/core';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Context } from '../context/context.js';
import { builderDriver, checkPlatforms, engineAway } from '../docker/builder.js';
import { noEngineError } from '../gate/pushed.js';
import { createDockerConfig, userDockerConfigDir } from '../docker/config.js';
import { RegistryCredentials } from '../docker/registry-credentials.js';
import { earlierLoginRegistry } from '../inputs/logins.js';
import { RegistryClient } from '../registry/client.js';
import { retryPolicy } from '../retry.js';
import { engineImageStore } from '../docker/test-run.js';
import type { Inputs } from '../inputs/inputs.js';
import { State } from '../names.js';
import { saveState } from '../state.js';
import type { Plan } from '../plan.js';
import type { Chain } from '../release/chain.js';
import type { Step } from '../step.js';
import { loginPhase } from './login.js';
import { readAhead } from './read-ahead.js';
import { parseReference } from '../oci/reference.js';
import { claimPlatform } from './platform-job.js';
import type { Preflight } from './preflight.js';
import { checkArtifactName, digestArtifactName } from './report.js';

/** Creates what the step works in and logs in; the Step every later phase takes. */
export async function prepare(
  inputs: Inputs,
  context: Context,
  plan: Plan,
  { fork, logins, signing }: Preflight,
  chain?: Chain,
): Promise<Step> {
  const tempRoot = process.env.RUNNER_TEMP || tmpdir();
  const tempDir = mkdtempSync(join(tempRoot, 'build-tag-push-'));
  saveState(State.tempDir, tempDir);
  const userConfig = userDockerConfigDir();
  const dockerConfig = createDockerConfig({
    tempRoot,
    userConfigDir: userConfig,
    helper: helper(),
    // A fork's Dockerfile names the registries: none of the user's helpers is run for them.
    earlierLogins: !fork,
  });
  saveState(State.dockerConfig, dockerConfig);
  const credentials = new RegistryCredentials(
    dockerConfig,
    userConfig,
    inputs.networkTimeoutMs,
    !fork,
  );

  if (inputs.buildxVersion && !inputs.merge && !inputs.promote) {
    await core.group('Set up buildx', async () => {
      const { ensureBuildx } = await import('../tools/buildx.js');
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
  // group's instead (see claimPlatform).
  const platformJob = Boolean(inputs.mergeGroup && !inputs.merge);
  const artifactName = platformJob ? '' : digestArtifactName(inputs, plan);
  // `registry:` alone: the login of an earlier step (a fork's run gets none).
  const earlier = fork ? '' : earlierLoginRegistry(inputs);
  if (logins.length > 0 && inputs.logout) {
    // Saved before logging in: a login that half-succeeded is still logged out at the end of
    // the step; with `logout: false` the logins are the later steps', as with docker/login-action.
    saveState(State.registries, JSON.stringify(logins.map((l) => l.registry)));
  }
  const logging =
    logins.length > 0 || plan.push || earlier
      ? core
          .group('Log in', () =>
            loginPhase(logins, earlier, dockerConfig, credentials, inputs, plan),
          )
          .catch(async (error: unknown) => {
            // An engine that does not answer is the cause to report, not the login it failed;
            // with a builder that is not the engine, it is the test gate that needs one.
            const away = await engineAway(dockerConfig);
            if (!away) throw error;
            const other =
              gated && inputs.builder ? await otherDriver(dockerConfig, inputs.builder) : '';
            throw other ? noEngineError(other, away) : new Error(away);
          })
      : undefined;
  const registry = new RegistryClient({
    credentials: credentials.lookup,
    retry: retryPolicy(inputs.retries),
    timeoutMs: inputs.networkTimeoutMs,
  });
  // The immutable tags of a build's release, which the guard reads before anything is pushed,
  // read beside the logins: a registry this step has the password of at once, any other once
  // the logins (and earlier steps') are known. Only those: every request the registry
  // authenticates beside `docker login` is one it answers the login later for (a registry with
  // htpasswd checks a bcrypt hash per request). The moving tags are read while the build runs.
  credentials.give(logins);
  const before =
    plan.push && !inputs.merge && !inputs.promote && !platformJob && !chain
      ? readAhead(
          registry,
          plan.meta.images.flatMap((image) =>
            plan.meta.planned.filter((t) => !t.moving).map((t) => ({ image, tag: t.name })),
          ),
          async (image) => {
            if (!credentials.known(parseReference(image).registry)) await logging;
          },
        )
      : undefined;
  // Every one settles before a failure is reported: a login still running when the step ends
  // would write its credentials after the step's end removed the action's Docker config.
  const [driver, , , group] = await settledAll([
    !inputs.merge &&
    !inputs.promote &&
    (inputs.load || gated || inputs.builder || inputs.platforms.length > 1 || platformJob)
      ? builderDriver(dockerConfig, inputs.builder)
      : Promise.resolve(''),
    logging,
    checkArtifactName(artifactName, inputs.networkTimeoutMs),
    platformJob
      ? claimPlatform(inputs, context, dockerConfig, tempDir, plan.push)
      : Promise.resolve(undefined),
  ] as const);
  // A platform job builds one platform (claimPlatform checked it), which every store can.
  if (!inputs.merge && !inputs.promote && !platformJob && !chain) {
    await checkPlatforms(inputs.platforms, driver, () => engineImageStore(dockerConfig));
  }
  return {
    inputs,
    context,
    plan,
    tempDir,
    dockerConfig,
    credentials,
    registry,
    before,
    driver,
    signing,
    gated,
    group,
    artifactName,
    chain,
  };
}

/** The action's credential helper, beside the main bundle (absent when not run from dist/). */
function helper(): { node: string; script: string } | undefined {
  const script = join(dirname(process.argv[1] ?? ''), 'credential-helper', 'index.js');
  return existsSync(script) ? { node: process.execPath, script } : undefined;
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

/** The driver of a named builder when it is not the engine's own (`docker`); '' otherwise. */
async function otherDriver(dockerConfig: string, builder: string): Promise<string> {
  const driver = await builderDriver(dockerConfig, builder).catch(() => '');
  return driver && driver !== 'docker' ? driver : '';
}
