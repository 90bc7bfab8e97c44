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
import { gitConfigEnv } from '../git/run.js';
import { authKey, entryCredentials, helperFor, isRecord, keyHost } from './credentials.js';

export { authKey, credentialsFromConfig, isDockerHub, type Credentials } from './credentials.js';

/**
 * Directories of the user's Docker config that the action's own one links to: buildx's
 * builders (the `builder` input names one created by docker/setup-buildx-action) and docker
 * contexts (a builder may run on a non-default context).
 */
const LINKED = ['buildx', 'contexts'];

/** The name of the action's own credential helper (`docker-credential-build-tag-push`). */
export const OWN_HELPER = 'build-tag-push';

/**
 * An `auths` key that holds no login: a config with no login at all makes docker pick the OS
 * credential helper (`pass`, `secretservice`) when one is on PATH, and store passwords in the
 * keyring, beyond the reach of the step's cleanup. This entry keeps every config of the action "in
 * use" so docker never does that.
 */
export const NO_LOGIN_KEY = 'build-tag-push.invalid';

export interface DockerConfigOptions {
  /** Where the directory is created; RUNNER_TEMP on a runner. */
  tempRoot?: string;
  /** The user's config directory: DOCKER_CONFIG or ~/.docker. */
  userConfigDir?: string;
  /**
   * The action's credential helper (node and the bundled dist/credential-helper/index.js): it
   * answers docker and buildx for the registries whose login an earlier step left in the
   * user's config, so that no secret of the user's is copied. Without it, those registries
   * are pushed to without the earlier login.
   */
  helper?: { node: string; script: string };
  /**
   * false on a fork's run: the config names no credential helper of the user's and no login of
   * an earlier step, so docker runs none of them for the registries a fork's Dockerfile names.
   */
  earlierLogins?: boolean;
}

/** The user's Docker config directory, as docker itself finds it. */
export function userDockerConfigDir(env: Record<string, string | undefined> = process.env): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker');
}

/**
 * Creates the action's own Docker config directory (mode 0700) and returns its path.
 * It links the user's CLI plugins, buildx builders and contexts. The logins earlier steps left
 * in the user's config are not copied: the user's credential helpers are named as they are,
 * and registries with a login in the user's `auths` (or in the user's `credsStore`) are
 * answered by the action's own helper, which reads the user's config when docker asks. The
 * user's config.json itself is never written.
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

  const read = readUserConfig(join(userDir, 'config.json'));
  const user =
    options.earlierLogins === false
      ? { proxies: read.proxies, currentContext: read.currentContext }
      : read;
  const config: Record<string, unknown> = { auths: { [NO_LOGIN_KEY]: {} } };
  const helpers: Record<string, string> = {};
  if (isRecord(user.credHelpers)) {
    for (const [key, name] of Object.entries(user.credHelpers))
      if (typeof name === 'string' && name) helpers[key] = name;
  }
  let own = false;
  if (options.helper) {
    if (isRecord(user.auths)) {
      for (const [key, entry] of Object.entries(user.auths)) {
        const host = keyHost(key);
        if (!entryCredentials(entry) || helpers[authKey(host)]) continue;
        helpers[authKey(host)] = OWN_HELPER;
        own = true;
      }
    }
    // The user's store answers for every registry without a helper of its own; ours asks it.
    if (typeof user.credsStore === 'string' && user.credsStore) {
      config.credsStore = OWN_HELPER;
      own = true;
    }
  }
  if (Object.keys(helpers).length > 0) config.credHelpers = helpers;
  if (user.proxies !== undefined) config.proxies = user.proxies;
  if (typeof user.currentContext === 'string') config.currentContext = user.currentContext;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  // Written whenever it can run: a `logout: false` login may route a registry to it later.
  if (options.helper) writeHelper(dir, userDir, options.helper);
  core.debug(
    `docker config: ${dir} (from ${userDir}; linked ${LINKED.filter((n) => existsSync(join(dir, n))).join(', ') || 'nothing'}${own ? `; earlier logins through docker-credential-${OWN_HELPER}` : ''})`,
  );
  return dir;
}

/** `<dir>/bin/docker-credential-build-tag-push`: runs the helper bundle on the user's config. */
function writeHelper(dir: string, userDir: string, helper: { node: string; script: string }): void {
  const quote = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;
  mkdirSync(join(dir, 'bin'), { mode: 0o700 });
  writeFileSync(
    join(dir, 'bin', `docker-credential-${OWN_HELPER}`),
    `#!/bin/sh\nexec ${quote(helper.node)} ${quote(helper.script)} ${quote(userDir)} ${quote(dir)} "$@"\n`,
    { mode: 0o700 },
  );
}

/**
 * The environment of every docker/buildx process the action starts: the action's own
 * DOCKER_CONFIG, and without the INPUT_* variables (the password, token and secrets inputs),
 * which docker never needs and `--build-arg NAME` could otherwise read, nor the OIDC request
 * variables (the action asks for an ID token itself, for cosign). buildx's `type=gha` cache reads
 * ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL from it, so those stay. buildx runs git in the build
 * context for its provenance: that git is kept from taking a directory there as a repository or
 * running programs its configuration names (see git/run.ts).
 */
export function dockerEnv(dockerConfig: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(INPUT_|ACTIONS_ID_TOKEN_REQUEST_)/.test(key)) env[key] = value;
  }
  Object.assign(env, gitConfigEnv(env));
  env.DOCKER_CONFIG = dockerConfig;
  // The action's credential helper, when the config names it.
  const bin = join(dockerConfig, 'bin');
  if (existsSync(bin)) env.PATH = env.PATH ? `${bin}:${env.PATH}` : bin;
  return env;
}

/** Removes a registry's credential helper from the action's config so `docker login` writes to its file. */
export function dropCredHelper(dockerConfig: string, registry: string): void {
  const path = join(dockerConfig, 'config.json');
  const config = readUserConfig(path);
  const helpers = config.credHelpers;
  if (!isRecord(helpers) || !(registry in helpers || authKey(registry) in helpers)) return;
  delete helpers[registry];
  delete helpers[authKey(registry)];
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/**
 * Whether docker keeps the login of a registry outside the config file of `dockerConfig`: in a
 * credential store (`credsStore`) or a registry's credential helper. Only then does a
 * `docker logout` erase something that removing the directory does not.
 */
export function keepsLoginElsewhere(dockerConfig: string, registry: string): boolean {
  const config = readUserConfig(join(dockerConfig, 'config.json'));
  // The action's own helper only reads: nothing to log out of there.
  const helper = helperFor(config, registry);
  return helper !== '' && helper !== OWN_HELPER;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function readUserConfig(path: string): Record<string, unknown> {
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

/**
 * Makes the action's config ask its credential helper for `registry` (a login the user's config
 * got during this step, with `logout: false`). Needs the helper, written by createDockerConfig.
 */
export function routeToOwnHelper(dockerConfig: string, registry: string): void {
  // Not run from dist/ (no helper): a helper named but missing would fail docker's lookups.
  if (!existsSync(join(dockerConfig, 'bin', `docker-credential-${OWN_HELPER}`))) return;
  const path = join(dockerConfig, 'config.json');
  const config = readUserConfig(path);
  const helpers = isRecord(config.credHelpers) ? config.credHelpers : {};
  helpers[authKey(registry)] = OWN_HELPER;
  config.credHelpers = helpers;
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}
