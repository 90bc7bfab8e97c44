/** The logins the inputs ask for: registry, username and password or registry-auth, with ghcr.io's defaults; an earlier step's registry. */
import { loginHint, normalizeRegistry, type Login } from '../docker/login.js';
import { dockerHubOidc, isDockerHubOidc } from './dockerhub-oidc.js';
import type { Inputs } from './inputs.js';

/**
 * The registry logins asked for by the inputs. On ghcr.io the username and password default
 * to the workflow actor and `github-token`. A username or password without `registry` logs in
 * to Docker Hub, as docker/login-action does; so does its OIDC login: Docker Hub (or dhi.io)
 * with a username, no password and DOCKERHUB_OIDC_CONNECTIONID in `env`, from `registry` or
 * an entry of `registry-auth`. Pure.
 */
export function resolveLogins(
  inputs: Pick<Inputs, 'registry' | 'username' | 'password' | 'githubToken'> &
    Partial<Pick<Inputs, 'registryAuth'>>,
  actor: string,
  env: Record<string, string | undefined> = {},
): Login[] {
  if (inputs.registryAuth && inputs.registryAuth.length > 0) {
    return inputs.registryAuth.map((entry, index): Login => {
      if (isDockerHubOidc(entry.registry, entry.password, env)) {
        return { ...entry, password: '', oidc: dockerHubOidc(entry.registry, env) };
      }
      if (entry.registry !== 'ghcr.io' || (entry.username && entry.password)) return entry;
      const username = entry.username || actor;
      const password = entry.password || inputs.githubToken;
      const what = `registry-auth: entry ${index + 1} (ghcr.io)`;
      if (!username) throw new Error(`${what} has no username and github.actor is not set`);
      if (!password) throw new Error(`${what} has no password and github-token is empty`);
      return { registry: 'ghcr.io', username, password };
    });
  }
  let registry = normalizeRegistry(inputs.registry);
  if (!registry) {
    if (!inputs.username && !inputs.password) return [];
    registry = 'docker.io';
  }
  // A registry alone: the login an earlier step left is used (see earlierLoginRegistry).
  if (earlierLoginRegistry(inputs)) return [];
  let { username, password } = inputs;
  if (registry === 'ghcr.io') {
    username ||= actor;
    password ||= inputs.githubToken;
  }
  if (!username) {
    throw new Error(
      `username: empty for registry ${registry}; set username (and password) for it${registry === 'ghcr.io' ? ', or run in a workflow where github.actor is set' : ''}`,
    );
  }
  if (isDockerHubOidc(registry, password, env)) {
    return [{ registry, username, password: '', oidc: dockerHubOidc(registry, env) }];
  }
  if (!password) {
    throw new Error(
      `password: empty for registry ${registry}; set password to a token or password for ${username}${registry === 'ghcr.io' ? ', or leave github-token at its default' : loginHint(registry)}`,
    );
  }
  return [{ registry, username, password }];
}

/**
 * The registry of `registry:` given without username and password (ghcr.io aside, which
 * defaults them): the action logs in to nothing and uses the login an earlier step left in the
 * user's Docker config (aws-actions/amazon-ecr-login, gcloud auth configure-docker,
 * docker/login-action); '' otherwise. Pure.
 */
export function earlierLoginRegistry(
  inputs: Pick<Inputs, 'registry' | 'username' | 'password'> &
    Partial<Pick<Inputs, 'registryAuth'>>,
): string {
  if (inputs.registryAuth && inputs.registryAuth.length > 0) return '';
  const registry = normalizeRegistry(inputs.registry);
  if (!registry || registry === 'ghcr.io' || inputs.username || inputs.password) return '';
  return registry;
}
