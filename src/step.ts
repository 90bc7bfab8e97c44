/** Step: what every phase of the main step shares, made once by the prepare phase. */
import type { Context } from './context/context.js';
import type { RegistryCredentials } from './docker/registry-credentials.js';
import type { RegistryClient } from './registry/client.js';
import type { Inputs } from './inputs/inputs.js';
import type { Plan } from './plan.js';
import type { Chain } from './release/chain.js';
import type { Signing } from './sign/phase.js';
import type { TagsBefore } from './phases/read-ahead.js';

/** A platform job of a merge group: the platform it builds and the artifact of its digest. */
export interface GroupArtifact {
  platform: string;
  /** '' when nothing is pushed (a pull request): there is no digest to hand over. */
  artifact: string;
}

export interface Step {
  inputs: Inputs;
  context: Context;
  plan: Plan;
  /** The step's own temp dir under RUNNER_TEMP; removed as the step ends (src/post.ts). */
  tempDir: string;
  /** The action's own DOCKER_CONFIG; removed as the step ends (src/post.ts). */
  dockerConfig: string;
  /** Every registry's credentials: the step's logins, else an earlier step's. */
  credentials: RegistryCredentials;
  /** The one registry client of the step: retried and bounded by network-timeout. */
  registry: RegistryClient;
  /** What the immutable tags of a build's release pointed to before anything was pushed; absent otherwise. */
  before?: TagsBefore;
  /** The builder's driver; '' when it was not needed (no load, gate or named builder). */
  driver: string;
  /** Whether and how the release is signed, decided before anything was created. */
  signing: Signing;
  /** A test gate runs before anything is pushed (`test` or `test-target`). */
  gated: boolean;
  /** A platform job of a merge group; absent otherwise. */
  group?: GroupArtifact;
  /** The digest artifact's name, placeholders filled in; '' for none. */
  artifactName: string;
  /** A chain of bake targets (files, targets); absent for one image. */
  chain?: Chain;
}
