/** The preflight phase: every check that can fail before anything is created or logged in. */
import * as core from '@actions/core';
import { secretEnvWarnings, sshAgentProblem } from '../inputs/buildx.js';
import type { Context } from '../context/context.js';
import { buildArgWarnings } from '../docker/buildx-args.js';
import type { Login } from '../docker/login.js';
import { resolveLogins } from '../inputs/logins.js';
import { checkBuildSources } from '../docker/preflight.js';
import type { Inputs } from '../inputs/inputs.js';
import { forkSecretsWarning, type Plan } from '../plan.js';
import { signedByTheMerge, signingPhase, type Signing } from '../sign/phase.js';

export interface Preflight {
  /** A fork's pull request: no login, no credential of the user's is used. */
  fork: boolean;
  /** The logins the inputs ask for; none on a fork's run. */
  logins: Login[];
  signing: Signing;
}

/**
 * Resolved before anything is created, so a missing credential, a missing build source or
 * `sign: true` with nothing to sign with fails with nothing to clean up.
 */
export function preflight(inputs: Inputs, context: Context, plan: Plan): Preflight {
  const fork = Boolean(!plan.push && context.pullRequest?.fromFork);
  const logins = fork ? [] : resolveLogins(inputs, context.actor, process.env);
  if (fork)
    core.info(`no registry login: ${plan.pushReason}, and a fork's code gets no credentials`);
  const forkSecrets = forkSecretsWarning(inputs, context, process.env);
  if (forkSecrets) core.warning(forkSecrets);
  // The merge step and a promotion build nothing: no checkout is needed, build inputs are not
  // read. A chain's sources are its bake file's, which bake read already.
  const chain = inputs.files.length > 0 || inputs.targets.length > 0;
  if (!inputs.merge && !inputs.promote && !chain) {
    checkBuildSources(inputs);
    const sshProblem = sshAgentProblem(inputs.ssh, process.env);
    if (sshProblem) throw new Error(sshProblem);
    for (const warning of buildArgWarnings(inputs.buildArgs)) core.warning(warning);
    for (const warning of secretEnvWarnings(inputs.secretEnvs, process.env)) core.warning(warning);
  }
  // A platform job of a merge group releases nothing: the merge step signs the index.
  const signing =
    inputs.mergeGroup && !inputs.merge
      ? signedByTheMerge(inputs.mergeGroup)
      : signingPhase(inputs, context, plan);
  return { fork, logins, signing };
}
