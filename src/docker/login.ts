import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { rmSync } from 'node:fs';
import type { Inputs } from '../inputs.js';
import { dockerEnv, dropCredHelper } from './config.js';

export interface Login {
  registry: string;
  username: string;
  password: string;
}

/**
 * The registry logins asked for by the inputs. On ghcr.io the username and password default
 * to the workflow actor and `github-token`. A username or password without `registry` logs in
 * to Docker Hub, as docker/login-action does. Pure.
 */
export function resolveLogins(
  inputs: Pick<Inputs, 'registry' | 'username' | 'password' | 'githubToken'>,
  actor: string,
): Login[] {
  let registry = normalizeRegistry(inputs.registry);
  if (!registry) {
    if (!inputs.username && !inputs.password) return [];
    registry = 'docker.io';
  }
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
  if (!password) {
    throw new Error(
      `password: empty for registry ${registry}; set password to a token or password for ${username}${registry === 'ghcr.io' ? ', or leave github-token at its default' : ''}`,
    );
  }
  return [{ registry, username, password }];
}

/** `https://ghcr.io/` and `ghcr.io` are the same registry for docker login. */
export function normalizeRegistry(value: string): string {
  return value
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
}

/**
 * Logs in to each registry with `docker login --password-stdin` into the action's own
 * Docker config directory. Errors name the registry and user, never the password.
 */
export async function login(logins: Login[], dockerConfig: string): Promise<void> {
  for (const { registry, username, password } of logins) {
    // A credential helper configured for this registry would receive the password instead of our file.
    dropCredHelper(dockerConfig, registry);
    const result = await exec.getExecOutput(
      'docker',
      ['login', '--username', username, '--password-stdin', registry],
      {
        env: dockerEnv(dockerConfig),
        input: Buffer.from(password),
        silent: true,
        ignoreReturnCode: true,
      },
    );
    if (result.exitCode !== 0) {
      const detail = scrub(`${result.stderr}\n${result.stdout}`, password)
        .split('\n')
        .map((line) => line.trim())
        .filter(
          (line) =>
            line &&
            !/credentials are stored unencrypted|credential helper|credential-store/.test(line),
        )
        .join('; ');
      throw new Error(
        `login to ${registry} as ${username} failed: ${detail || `docker login exited with ${result.exitCode}`}`,
      );
    }
    core.info(`logged in to ${registry} as ${username}`);
  }
}

/**
 * For the post step: `docker logout` from each registry, then deletes the action's Docker
 * config directory. Never throws; returns what went wrong as warnings.
 */
export async function logout(dockerConfig: string, registries: string[]): Promise<string[]> {
  const warnings: string[] = [];
  if (!dockerConfig) return warnings;
  for (const registry of registries) {
    try {
      const result = await exec.getExecOutput('docker', ['logout', registry], {
        env: dockerEnv(dockerConfig),
        silent: true,
        ignoreReturnCode: true,
      });
      if (result.exitCode !== 0) {
        warnings.push(
          `docker logout ${registry} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`,
        );
      } else {
        core.debug(`logged out of ${registry}`);
      }
    } catch (error) {
      warnings.push(
        `docker logout ${registry} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  try {
    // rmSync removes the links to the user's plugin and builder directories, not their targets.
    rmSync(dockerConfig, { recursive: true, force: true });
  } catch (error) {
    warnings.push(
      `could not remove ${dockerConfig}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return warnings;
}

/** Removes every occurrence of a secret from a text; docker should never echo it, but this is cheap. */
function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}
