import * as core from '@actions/core';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Directories of the user's Docker config that the action's own one links to: buildx's
 * builders (the `builder` input names one created by docker/setup-buildx-action) and docker
 * contexts (a builder may run on a non-default context).
 */
const LINKED = ['buildx', 'contexts'];

/** Keys of the user's config.json carried over; `credsStore` is not, so logins land in our file. */
interface UserConfig {
  auths?: Record<string, unknown>;
  credsStore?: unknown;
  credHelpers?: Record<string, unknown>;
  proxies?: unknown;
  currentContext?: unknown;
}

export interface DockerConfigOptions {
  /** Where the directory is created; RUNNER_TEMP on a runner. */
  tempRoot?: string;
  /** The user's config directory: DOCKER_CONFIG or ~/.docker. */
  userConfigDir?: string;
}

/** The user's Docker config directory, as docker itself finds it. */
export function userDockerConfigDir(env: Record<string, string | undefined> = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/**
 * Creates the action's own Docker config directory (mode 0700) and returns its path.
 * It links the user's CLI plugins, buildx builders and contexts, and starts from a copy of
 * the user's existing logins (read only) so that a docker/login-action step before this one
 * still counts; the user's config.json itself is never written.
 */
export function createDockerConfig(options: DockerConfigOptions = {}): string {
  const root = options.tempRoot || process.env.RUNNER_TEMP || tmpdir();
  const userDir = options.userConfigDir ?? userDockerConfigDir();
  const dir = mkdtempSync(join(root, 'build-tag-push-docker-'));
  chmodSync(dir, 0o700);

  for (const name of LINKED) {
    const target = join(userDir, name);
    if (existsSync(target)) symlinkSync(target, join(dir, name));
  }
  // CLI plugins (buildx itself may be one) are linked one by one into a directory of our own:
  // installing a buildx release replaces the entry in ours, never a file of the user's.
  const plugins = join(userDir, 'cli-plugins');
  mkdirSync(join(dir, 'cli-plugins'), { mode: 0o700 });
  for (const entry of listDir(plugins))
    symlinkSync(join(plugins, entry), join(dir, 'cli-plugins', entry));

  const user = readUserConfig(join(userDir, 'config.json'));
  const config: UserConfig = { auths: isRecord(user.auths) ? user.auths : {} };
  if (isRecord(user.credHelpers)) config.credHelpers = user.credHelpers;
  if (user.proxies !== undefined) config.proxies = user.proxies;
  if (typeof user.currentContext === 'string') config.currentContext = user.currentContext;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  core.debug(
    `docker config: ${dir} (from ${userDir}; linked ${LINKED.filter((n) => existsSync(join(dir, n))).join(', ') || 'nothing'})`,
  );
  return dir;
}

/**
 * The environment of every docker/buildx process the action starts: the action's own
 * DOCKER_CONFIG, and without the INPUT_* variables (the password, token and secrets inputs),
 * which docker never needs and `--build-arg NAME` could otherwise read. The rest stays:
 * buildx's `type=gha` cache reads ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL from it.
 */
export function dockerEnv(dockerConfig: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('INPUT_')) env[key] = value;
  }
  env.DOCKER_CONFIG = dockerConfig;
  return env;
}

/** Removes a registry's credential helper from the action's config so `docker login` writes to its file. */
export function dropCredHelper(dockerConfig: string, registry: string): void {
  const path = join(dockerConfig, 'config.json');
  const config = readUserConfig(path);
  if (!isRecord(config.credHelpers) || !(registry in config.credHelpers)) return;
  delete config.credHelpers[registry];
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/**
 * Whether docker keeps the login of a registry outside the config file of `dockerConfig`: in a
 * credential store (`credsStore`) or a registry's credential helper. Only then does a
 * `docker logout` erase something that removing the directory does not.
 */
export function keepsLoginElsewhere(dockerConfig: string, registry: string): boolean {
  const config = readUserConfig(join(dockerConfig, 'config.json'));
  const helpers = isRecord(config.credHelpers) ? config.credHelpers : {};
  return (
    (typeof config.credsStore === 'string' && config.credsStore !== '') ||
    authKey(registry) in helpers ||
    registry in helpers
  );
}

export interface Credentials {
  username: string;
  password: string;
}

/** The key docker uses in config.json `auths` for a registry host. */
export function authKey(registry: string): string {
  return isDockerHub(registry) ? 'https://index.docker.io/v1/' : registry;
}

export function isDockerHub(registry: string): boolean {
  return [
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'https://index.docker.io/v1/',
  ].includes(registry);
}

/**
 * Reads the logins stored in a Docker config directory (the action's own one), for the
 * registry client: a lookup from registry host to credentials.
 */
export function credentialsFromConfig(
  dockerConfig: string,
): (registry: string) => Credentials | undefined {
  return (registry) => {
    // Read at each lookup: logins made after the lookup was created count too.
    const auths = readUserConfig(join(dockerConfig, 'config.json')).auths;
    if (!isRecord(auths)) return undefined;
    const entry = auths[authKey(registry)] ?? auths[`https://${registry}`];
    if (!isRecord(entry)) return undefined;
    let username = typeof entry.username === 'string' ? entry.username : '';
    let password = typeof entry.password === 'string' ? entry.password : '';
    if (typeof entry.auth === 'string' && entry.auth !== '') {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        username = decoded.slice(0, colon);
        password = decoded.slice(colon + 1);
      }
    }
    return username && password ? { username, password } : undefined;
  };
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function readUserConfig(path: string): UserConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : {};
  } catch {
    // docker itself refuses a broken config.json; ours starts clean instead of failing the step.
    core.warning(`${path} is not valid JSON; the action's docker logins start from none`);
    return {};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
