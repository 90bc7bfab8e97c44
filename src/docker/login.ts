// docker login and logout for the step: each login into the action's own Docker config (or the
// user's, with logout: false), bounded and retried; the errors name registry and user, never the secret.
import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  dockerEnv,
  dropCredHelper,
  keepsLoginElsewhere,
  NO_LOGIN_KEY,
  routeToOwnHelper,
  type Credentials,
} from './config.js';
import { parseReference } from '../oci/reference.js';
import type { DockerHubOidc } from '../registry/dockerhub-oidc.js';
import { classifyText, NO_RETRY, withRetry, type Failure, type RetryPolicy } from '../retry.js';
import { errorText } from '../error-text.js';

export interface Login {
  registry: string;
  username: string;
  /** Empty for a Docker Hub OIDC login until the token exchange has given it (see `oidc`). */
  password: string;
  /** Docker Hub's OIDC: the password is the access token the job's ID token is exchanged for. */
  oidc?: DockerHubOidc;
}

const ECR = /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
const GOOGLE = /(^|\.)gcr\.io$|-docker\.pkg\.dev$/;

/** What logs in to a cloud registry whose password is not an input. Pure. */
export function loginHint(registry: string): string {
  if (ECR.test(registry)) {
    return `; for Amazon ECR run aws-actions/amazon-ecr-login before this step (its login to ${registry} is then used), and leave username and password empty`;
  }
  if (GOOGLE.test(registry)) {
    return `; for Google Artifact Registry or Container Registry run google-github-actions/auth, then \`gcloud auth configure-docker ${registry}\`, before this step (its credential helper is then used), and leave username and password empty`;
  }
  return '';
}

/**
 * The error for `registry:` without username and password when no earlier step left a login
 * for it. Pure.
 */
export function missingLoginError(registry: string, userConfigDir: string): Error {
  const hint =
    loginHint(registry) ||
    '; set username and password, or log in to it in an earlier step (docker/login-action)';
  return new Error(
    `password: empty for registry ${registry}, and no earlier step left a login for it in ${userConfigDir}/config.json${hint}`,
  );
}

/** `https://ghcr.io/` and `ghcr.io` are the same registry for docker login. */
export function normalizeRegistry(value: string): string {
  return value
    .trim()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
}

export interface LoginOptions {
  /** Retries of a transient failure (connection refused, 5xx); a refused login is never retried. */
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** Bound of one `docker login` attempt (the `network-timeout` input); 30 s when not given. */
  timeoutMs?: number;
  /** `logout: false`: log in into this Docker config directory (the user's), for later steps. */
  userConfig?: string;
}

const LOGIN_TIMEOUT_MS = 30_000;

/**
 * Logs in to each registry with `docker login --password-stdin`, all at once. Each login writes
 * to a config of its own (two docker processes writing one config.json would lose a login), in
 * the action's Docker config directory; what each stored is then merged into that directory's
 * config.json. Errors name the registry and user, never the password; when several logins
 * fail, the error has one line each.
 */
export async function login(
  logins: Login[],
  dockerConfig: string,
  options: LoginOptions = {},
): Promise<void> {
  if (options.userConfig)
    return loginForLaterSteps(logins, dockerConfig, options.userConfig, options);
  const results = await Promise.allSettled(
    logins.map((entry) => loginOne(entry, dockerConfig, options)),
  );
  const failures: string[] = [];
  results.forEach((result, index) => {
    const { registry, username } = logins[index];
    if (result.status === 'rejected') {
      failures.push(errorText(result.reason));
      return;
    }
    // A credential helper configured for this registry would be asked instead of our file.
    dropCredHelper(dockerConfig, registry);
    mergeAuths(dockerConfig, result.value);
    core.info(`logged in to ${registry} as ${username}`);
  });
  if (failures.length > 0) throw new Error(failures.join('\n'));
}

/**
 * `logout: false`: each login goes where later steps find it, the user's Docker config, by
 * `docker login` as docker/login-action does (one at a time: two docker processes writing one
 * config.json would lose a login). The action's own config asks for them through its
 * credential helper; no secret is written twice.
 */
async function loginForLaterSteps(
  logins: Login[],
  dockerConfig: string,
  userConfig: string,
  options: LoginOptions,
): Promise<void> {
  for (const entry of logins) {
    await dockerLogin(entry, dockerEnv(userConfig), options);
    routeToOwnHelper(dockerConfig, entry.registry);
    core.info(`logged in to ${entry.registry} as ${entry.username} (kept for later steps)`);
  }
}

/** One `docker login` into a scratch config under `dockerConfig`; returns the `auths` it stored. */
async function loginOne(
  { registry, username, password }: Login,
  dockerConfig: string,
  options: LoginOptions,
): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(join(dockerConfig, 'login-'));
  try {
    const main = readJson(join(dockerConfig, 'config.json'));
    // The same docker context as the action's config: the login goes to the same daemon.
    // Never an empty config: docker would store the login with the OS credential helper.
    const config: Record<string, unknown> = { auths: { [NO_LOGIN_KEY]: {} } };
    if (typeof main.currentContext === 'string') config.currentContext = main.currentContext;
    writeFileSync(join(scratch, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    if (existsSync(join(dockerConfig, 'contexts'))) {
      symlinkSync(join(dockerConfig, 'contexts'), join(scratch, 'contexts'));
    }
    await dockerLogin({ registry, username, password }, dockerEnv(scratch), options);
    const auths = readJson(join(scratch, 'config.json')).auths;
    return isRecord(auths) ? auths : {};
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `docker login --password-stdin` with `env` (its DOCKER_CONFIG), bounded and retried. */
async function dockerLogin(
  { registry, username, password }: Login,
  env: Record<string, string>,
  options: LoginOptions,
): Promise<void> {
  const what = `login to ${registry} as ${username}`;
  const timeoutMs = options.timeoutMs ?? LOGIN_TIMEOUT_MS;
  await withRetry(
    async () => {
      const result = await runBounded(
        ['login', '--username', username, '--password-stdin', '--', registry],
        env,
        password,
        timeoutMs,
      );
      if (result.timedOut) {
        const detail = `no answer within ${seconds(timeoutMs)} (network-timeout)`;
        throw Object.assign(new Error(`${what} failed: ${detail}`), {
          detail,
          failure: { kind: 'transient', reason: detail },
        });
      }
      if (result.exitCode === 0) return;
      const detail = scrub(`${result.stderr}\n${result.stdout}`, password)
        .split('\n')
        .map((line) => line.trim())
        .filter(
          (line) =>
            line &&
            !/credentials are stored unencrypted|credential helper|credential-store/.test(line),
        )
        .join('; ');
      const refused = classifyText(detail).kind === 'auth';
      const error = new Error(
        `${what} failed: ${refused ? `${registry} refused the credentials; ` : ''}${detail || `docker login exited with ${result.exitCode}`}`,
      );
      throw Object.assign(error, { detail });
    },
    {
      policy: options.retry ?? NO_RETRY,
      what,
      // docker's own words, for the retry line (the message repeats what was being done).
      classify: (error) =>
        (error as { failure?: Failure }).failure ??
        classifyText((error as { detail?: string }).detail ?? String(error)),
      log: (line) => core.info(line),
      sleep: options.sleep,
    },
  );
}

/**
 * Runs `docker ARGS` with `input` on its standard input, killed after `timeoutMs`: a registry
 * that accepts connections and never answers cannot hold the step. Output is not logged.
 */
async function runBounded(
  args: string[],
  env: Record<string, string>,
  input: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return await new Promise((resolve, reject) => {
    const child = spawn('docker', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run docker: ${error.message}`));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
      });
    });
    // docker may exit before reading its input (a bad flag): not an error of ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Adds logins to the `auths` of the action's config.json (the other keys are kept). */
function mergeAuths(dockerConfig: string, auths: Record<string, unknown>): void {
  const path = join(dockerConfig, 'config.json');
  const config = readJson(path);
  config.auths = { ...(isRecord(config.auths) ? config.auths : {}), ...auths };
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/**
 * The registries of `images` that the action has no credentials for: pushed to anonymously,
 * which works only for registries that accept anonymous pushes. Pure but for the lookup.
 */
export function anonymousRegistries(
  images: string[],
  credentials: (registry: string) => Credentials | undefined,
): string[] {
  const registries = [...new Set(images.map((image) => parseReference(image).registry))];
  return registries.filter((registry) => !credentials(registry));
}

/**
 * For the step's cleanup: `docker logout` from each registry, then deletes the action's Docker
 * config directory. Never throws; returns what went wrong as warnings.
 */
export async function logout(dockerConfig: string, registries: string[]): Promise<string[]> {
  const warnings: string[] = [];
  if (!dockerConfig) return warnings;
  // A login in the config file goes with the directory, removed below; `docker logout` (a
  // process each) is needed only where a credential store or helper keeps it.
  const elsewhere = registries.filter((registry) => keepsLoginElsewhere(dockerConfig, registry));
  for (const registry of registries) {
    if (!elsewhere.includes(registry)) {
      core.debug(`${registry}: the login is in ${dockerConfig}/config.json, removed with it`);
      continue;
    }
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
      warnings.push(`docker logout ${registry} failed: ${errorText(error)}`);
    }
  }
  try {
    // rmSync removes the links to the user's plugin and builder directories, not their targets.
    rmSync(dockerConfig, { recursive: true, force: true });
  } catch (error) {
    warnings.push(`could not remove ${dockerConfig}: ${errorText(error)}`);
  }
  return warnings;
}

function readJson(path: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Removes every occurrence of a secret from a text; docker should never echo it, but this is cheap. */
function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}
