// Docker's credential lookup, read-only: what `docker push` would send to a registry, found in a
// Docker config directory (`auths` entries with `auth`, `identitytoken` or username/password,
// `credHelpers`, `credsStore` through `docker-credential-<name> get`). No @actions/core here:
// the credential helper bundle (src/credential-helper.ts) uses it and prints only its answer.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Credentials {
  username: string;
  /** '' when the login is an identity token. */
  password: string;
  /** An OAuth2 refresh token (`identitytoken` in config.json, or a helper's `<token>` user). */
  identityToken?: string;
}

/** A login found in a Docker config, and where (for the log; never the secret). */
export interface StoredLogin {
  credentials: Credentials;
  /** `auths in /home/runner/.docker/config.json`, `credential helper docker-credential-gcloud`. */
  source: string;
}

/** The key docker uses in config.json (`auths`, `credHelpers`) for a registry host. */
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
 * The registry host of a config.json key as docker's file store compares them:
 * `https://ghcr.io/v2/` -> `ghcr.io`; Docker Hub's names -> `docker.io`. Pure.
 */
export function keyHost(key: string): string {
  const host = key
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return isDockerHub(host) ? 'docker.io' : host;
}

/** config.json of a Docker config directory, `{}` when missing or broken. */
export function readConfigFile(dir: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The `auths` entry docker's file store would use for `registry`: its exact key, else by host. */
function authsEntry(auths: Record<string, unknown>, registry: string): unknown {
  const exact = auths[authKey(registry)];
  if (exact !== undefined) return exact;
  const host = keyHost(registry);
  const key = Object.keys(auths).find((k) => keyHost(k) === host);
  return key === undefined ? undefined : auths[key];
}

/** What docker sends to `registry` from an `auths` object (aliases of a host included). */
export function credentialsFromAuths(
  auths: Record<string, unknown>,
  registry: string,
): Credentials | undefined {
  return entryCredentials(authsEntry(auths, registry));
}

/** Credentials of an `auths` entry: `auth` (base64 user:password), `identitytoken`, or fields. */
export function entryCredentials(entry: unknown): Credentials | undefined {
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
  const token = typeof entry.identitytoken === 'string' ? entry.identitytoken : '';
  if (token) return { username: username || '<token>', password: '', identityToken: token };
  return username && password ? { username, password } : undefined;
}

/**
 * The logins written in the `auths` of a Docker config directory (no helper is asked), read at
 * each lookup: logins made after the lookup was created count too.
 */
export function credentialsFromConfig(
  dockerConfig: string,
): (registry: string) => Credentials | undefined {
  return (registry) => {
    const auths = readConfigFile(dockerConfig).auths;
    return isRecord(auths) ? credentialsFromAuths(auths, registry) : undefined;
  };
}

/** The credential helper docker asks for `registry` in this config: credHelpers, else credsStore. */
export function helperFor(config: Record<string, unknown>, registry: string): string {
  const helpers = isRecord(config.credHelpers) ? config.credHelpers : {};
  const named = helpers[authKey(registry)] ?? helpers[registry];
  if (typeof named === 'string' && named) return named;
  return typeof config.credsStore === 'string' ? config.credsStore : '';
}

export interface LookupOptions {
  /** Bound of a credential helper run. */
  timeoutMs?: number;
  /** Environment of the helper (default: this process's, without INPUT_* variables). */
  env?: Record<string, string>;
}

/**
 * What docker would send to `registry` with the Docker config directory `dir`: the credential
 * helper configured for it (credHelpers, else credsStore), else its `auths` entry. Undefined
 * when there is none (a helper that answers "not found" included). A helper that cannot run
 * is an error naming it, never the secret.
 */
export async function storedLogin(
  dir: string,
  registry: string,
  options: LookupOptions = {},
): Promise<StoredLogin | undefined> {
  const config = readConfigFile(dir);
  const helper = helperFor(config, registry);
  if (helper) {
    const credentials = await askHelper(helper, authKey(registry), options);
    return credentials
      ? { credentials, source: `credential helper docker-credential-${helper}` }
      : undefined;
  }
  const auths = isRecord(config.auths) ? config.auths : {};
  const credentials = entryCredentials(authsEntry(auths, registry));
  return credentials ? { credentials, source: `auths in ${join(dir, 'config.json')}` } : undefined;
}

/** `docker-credential-<helper> get` with the server URL on stdin, as docker runs it. */
async function askHelper(
  helper: string,
  serverUrl: string,
  options: LookupOptions,
): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`;
  const env = options.env ?? withoutInputs(process.env);
  const { code, stdout, error } = await new Promise<{
    code: number | null;
    stdout: string;
    error?: Error;
  }>((resolve) => {
    const child = spawn(program, ['get'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    // Its error text may echo what it was given; only "not found" is looked for, on stdout.
    child.stderr.resume();
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: null, stdout: '', error: err });
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ code: exitCode, stdout: Buffer.concat(out).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(serverUrl);
  });
  if (error) throw new Error(`cannot run ${program} (${error.message})`);
  if (code !== 0) {
    // docker-credential-helpers' own words for "no login stored" (exit code 1).
    if (/credentials not found/i.test(stdout)) return undefined;
    throw new Error(`${program} get for ${serverUrl} failed (exit code ${code ?? 'killed'})`);
  }
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw new Error(`${program} get for ${serverUrl} answered something that is not JSON`);
  }
  if (!isRecord(answer)) return undefined;
  const username = typeof answer.Username === 'string' ? answer.Username : '';
  const secret = typeof answer.Secret === 'string' ? answer.Secret : '';
  if (!secret) return undefined;
  // A helper gives an identity token as the user `<token>` (docker-credential-helpers).
  if (username === '<token>') return { username, password: '', identityToken: secret };
  return username ? { username, password: secret } : undefined;
}

function withoutInputs(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !key.startsWith('INPUT_')) out[key] = value;
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
