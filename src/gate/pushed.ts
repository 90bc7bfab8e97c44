// The test gate on a builder that is not the engine (docker-container, remote, kubernetes, cloud):
// the image is pushed once, untagged, pulled back by digest and tested; that digest is released.
import * as core from '@actions/core';
import { digestOutput } from './spec.js';
import type { BuildResult } from '../docker/build.js';
import type { GateBuild } from './run.js';

export interface PushedImage {
  /** The repository it was pushed to by digest, with no tag (the first image of the release). */
  image: string;
  /** Its manifest (or index) digest: the image that is tested and released. */
  digest: string;
}

export interface PushedBuild {
  result: BuildResult;
  pushed: PushedImage;
}

/**
 * Builds every platform on the builder and pushes the result to `image` by digest only
 * (buildx push-by-digest): no `--load` of every platform into the runner's engine and no second
 * build. What the registry got is what the tests then pull and run, and what the release tags.
 * A platform job (merge-group) builds its one platform.
 */
export async function buildPushedImage(
  build: GateBuild,
  image: string,
  platform?: string,
): Promise<PushedBuild> {
  const result = await build(
    {
      tags: [],
      push: false,
      load: false,
      outputs: [digestOutput([image])],
      ...(platform ? { platforms: [platform] } : {}),
    },
    `Build and push to ${image} by digest (untagged, to be tested)`,
  );
  const digest = result.digest;
  if (!digest) throw new Error(`buildx reported no digest for the image pushed to ${image}`);
  core.info(`pushed ${image}@${digest} with no tag; it is tested before any tag points at it`);
  return { result, pushed: { image, digest } };
}

/** The words of a failed test when the image is already in the registry, untagged. */
export function untaggedNote(pushed: PushedImage): string {
  return `no tag was pushed (the untested image is in ${pushed.image} by digest only, ${pushed.digest}, with no tag)`;
}

/**
 * The error when no Docker engine answers on the runner to run the tests in (a cloud builder, a
 * runner with the docker CLI only): `test` and `test-target` run containers on the runner.
 */
export function noEngineError(driver: string, reason: string): Error {
  return new Error(
    `test: no Docker engine answers on this runner to run the test in (the builder uses the ${driver} driver; ${reason}); nothing was pushed. test and test-target run containers on the runner's engine: use a runner with a Docker engine, or remove them and run the tests in RUN steps of a build stage on the builder (a failing RUN step fails the build, and nothing is pushed)`,
  );
}
