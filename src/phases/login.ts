/** The login phase: the step's logins into its own Docker config, and earlier steps' looked up. */
import * as core from '@actions/core';
import { anonymousRegistries, login, missingLoginError, type Login } from '../docker/login.js';
import type { RegistryCredentials } from '../docker/registry-credentials.js';
import { parseReference } from '../oci/reference.js';
import { dockerHubToken, type DockerHubOidc } from '../registry/dockerhub-oidc.js';
import { retryPolicy } from '../retry.js';
import type { Inputs } from '../inputs/inputs.js';
import type { Plan } from '../plan.js';

/**
 * Logs in to each registry of `logins` (in parallel, retried) and prepares the lookup of the
 * logins of earlier steps for the registries pushed to; `earlier` (`registry:` alone) must
 * have one.
 */
export async function loginPhase(
  logins: Login[],
  earlier: string,
  dockerConfig: string,
  credentials: RegistryCredentials,
  inputs: Inputs,
  plan: Plan,
): Promise<void> {
  if (logins.length > 0) {
    const ready = await Promise.all(
      logins.map((entry) =>
        entry.oidc ? withOidcToken(entry, entry.oidc, inputs) : Promise.resolve(entry),
      ),
    );
    await login(ready, dockerConfig, {
      retry: retryPolicy(inputs.retries),
      timeoutMs: inputs.networkTimeoutMs,
      userConfig: inputs.logout ? undefined : credentials.userConfig,
    });
  }
  // `registry:` alone: the login of an earlier step, which must be there before anything is built.
  // A promotion also reads its source, which may be in a registry of its own.
  const sources = inputs.promote ? [inputs.promote.image] : [];
  const registries = plan.push
    ? [...plan.meta.images, ...sources].map((i) => parseReference(i).registry)
    : [];
  await credentials.prepare(earlier ? [earlier, ...registries] : registries);
  if (earlier && !credentials.lookup(earlier)) {
    throw missingLoginError(earlier, credentials.userConfig);
  }
  if (!plan.push) return;
  for (const registry of anonymousRegistries(plan.meta.images, credentials.lookup))
    core.info(`no credentials were given for ${registry}; pushing to it anonymously`);
}

/**
 * A Docker Hub OIDC login with its password: the access token the job's ID token is exchanged
 * for (masked as soon as it is read), as docker/login-action does.
 */
async function withOidcToken(entry: Login, oidc: DockerHubOidc, inputs: Inputs): Promise<Login> {
  core.info(
    `${entry.registry}: exchanging the job's OIDC token for a Docker Hub token (connection ${oidc.connectionId}, valid ${oidc.expiresIn} s)`,
  );
  const password = await dockerHubToken(oidc, entry.username, {
    timeoutMs: inputs.networkTimeoutMs,
    retry: retryPolicy(inputs.retries),
  });
  return { registry: entry.registry, username: entry.username, password };
}
