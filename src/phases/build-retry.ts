// The build step of a release, retried where the release is run: a push that met a transient
// registry failure (buildx's error says so) is run again, from the build cache; a failed build
// step never is. A push the registry refused says which registry, and whose credentials.
import * as core from '@actions/core';
import type { Credentials } from '../docker/config.js';
import { errorText } from '../error-text.js';
import { repositoryOf } from '../oci/reference.js';
import { registryOf, type PushRunner, type TagRef } from '../release/stage.js';
import {
  classifyBuildError,
  NO_RETRY,
  registriesInBuildError,
  withRetry,
  type RetryPolicy,
} from '../retry.js';

export interface BuildRetry {
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The action's credentials per registry, to say why a registry refused the push. */
  credentials?: (registry: string) => Credentials | undefined;
}

/** `build`, retried by `options.retry`, its refusals explained. */
export function retriedBuild(build: PushRunner['build'], options: BuildRetry): PushRunner['build'] {
  return async (refs) => {
    try {
      return await withRetry(() => build(refs), {
        policy: options.retry ?? NO_RETRY,
        what: 'the push of the build',
        classify: (error) => classifyBuildError(errorText(error)),
        log: (line) => core.info(line),
        sleep: options.sleep,
      });
    } catch (error) {
      const cause = errorText(error);
      const refused = refusedRegistries(
        cause,
        refs.map((ref) => ({ image: repositoryOf(ref) })),
        options.credentials,
      );
      throw refused ? new Error(`${refused}\n${cause}`) : error;
    }
  };
}

/**
 * When buildx's error is an auth failure: one line per registry it names (or, when it names
 * none, per registry of the push the action has no credentials for) saying whether the action
 * had credentials for it. '' when the error is not an auth failure. Pure but for the lookup.
 */
export function refusedRegistries(
  buildError: string,
  refs: Pick<TagRef, 'image'>[],
  credentials: ((registry: string) => Credentials | undefined) | undefined,
): string {
  if (classifyBuildError(buildError).kind !== 'auth') return '';
  const lookup = credentials ?? (() => undefined);
  const pushed = [...new Set(refs.map((ref) => registryOf(ref.image)))];
  const named = registriesInBuildError(buildError).filter((r) => pushed.includes(r));
  const candidates = named.length > 0 ? named : pushed.filter((r) => !lookup(r));
  return candidates
    .map((registry) => {
      const found = lookup(registry);
      return found
        ? `${registry} refused the push with the credentials of "${found.username}" (wrong password or token, or no push permission on the repository)`
        : `no credentials were given for ${registry}; add it to registry-auth`;
    })
    .join('\n');
}
