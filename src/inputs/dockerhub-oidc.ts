/** Docker Hub's OIDC login as docker/login-action does it: when it applies, and its settings from the environment. */

import type { DockerHubOidc } from '../registry/dockerhub-oidc.js';

type Env = Record<string, string | undefined>;

/** The registries docker/login-action logs in to with OIDC; '' is Docker Hub. */
const HUB_REGISTRIES = new Set([
  '',
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry-1-stage.docker.io',
  'dhi.io',
]);

/**
 * For the action's own tests only: a loopback registry (`127.0.0.1:5000`) that counts as Docker
 * Hub for the OIDC decision, and a loopback identity service (a `*.localhost` name too, which
 * RFC 6761 keeps for the loopback: a test reaches it through a forward proxy). Anything else is
 * refused, so a workflow cannot send its ID token or a Docker Hub token elsewhere with them.
 */
export const TEST_HUB_REGISTRY = 'BUILD_TAG_PUSH_TEST_DOCKERHUB_REGISTRY';
export const TEST_IDENTITY_URL = 'BUILD_TAG_PUSH_TEST_DOCKERHUB_IDENTITY';

const DEFAULT_EXPIRES_IN = 300;
const MIN_EXPIRES_IN = 300;
const MAX_EXPIRES_IN = 3600;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK_HOST = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;
/** Loopback hosts and the names RFC 6761 keeps for the loopback (`identity.e2e.localhost`). */
const LOOPBACK_NAME = /^(127(\.\d{1,3}){3}|\[::1\]|([a-z0-9-]+\.)*localhost)$/i;

/**
 * Whether `registry` with an empty password logs in through Docker Hub's OIDC: as
 * docker/login-action, when DOCKERHUB_OIDC_CONNECTIONID is set (even empty, which is then an
 * error) and the registry is Docker Hub or dhi.io. Pure.
 */
export function isDockerHubOidc(registry: string, password: string, env: Env): boolean {
  if (password || env.DOCKERHUB_OIDC_CONNECTIONID === undefined) return false;
  return HUB_REGISTRIES.has(registry) || registry === testHubRegistry(env);
}

/**
 * The settings of an OIDC login to `registry`, read from the environment and checked: a bad
 * variable, or a job without `id-token: write`, is an error naming it. Pure.
 */
export function dockerHubOidc(registry: string, env: Env): DockerHubOidc {
  const connectionId = (env.DOCKERHUB_OIDC_CONNECTIONID ?? '').trim();
  const uses = `password is empty for ${registry || 'docker.io'} and DOCKERHUB_OIDC_CONNECTIONID is set, which logs in with Docker Hub's OIDC`;
  if (!connectionId) {
    throw new Error(
      `DOCKERHUB_OIDC_CONNECTIONID: empty; ${uses}; expected the ID of a Docker Hub OIDC connection (a UUID such as 3f2c1a9e-7b4d-4e8a-9c1f-2d5e6a7b8c9d; is the variable or secret it comes from defined for this repository?), or a password`,
    );
  }
  if (!UUID.test(connectionId)) {
    throw new Error(
      `DOCKERHUB_OIDC_CONNECTIONID: "${connectionId}" is not a UUID; expected the ID of a Docker Hub OIDC connection, such as 3f2c1a9e-7b4d-4e8a-9c1f-2d5e6a7b8c9d`,
    );
  }
  const given = (env.DOCKERHUB_OIDC_EXPIREIN ?? '').trim();
  const expiresIn = given ? Number(given) : DEFAULT_EXPIRES_IN;
  if (!Number.isInteger(expiresIn) || expiresIn < MIN_EXPIRES_IN || expiresIn > MAX_EXPIRES_IN) {
    throw new Error(
      `DOCKERHUB_OIDC_EXPIREIN: "${given}" is not a whole number of seconds from ${MIN_EXPIRES_IN} to ${MAX_EXPIRES_IN}; expected the lifetime of the Docker Hub token, or nothing for ${DEFAULT_EXPIRES_IN}`,
    );
  }
  if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new Error(
      `${uses}, but the job has no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); expected \`permissions: id-token: write\` on the job, or a password`,
    );
  }
  const host =
    registry === 'registry-1-stage.docker.io' ? 'identity-stage.docker.com' : 'identity.docker.com';
  return {
    connectionId,
    expiresIn,
    audience: `https://${host}`,
    tokenUrl: testIdentityUrl(env) ?? `https://${host}/oauth/token`,
  };
}

/** The test registry counted as Docker Hub, when set to a loopback host; '' otherwise. Pure. */
function testHubRegistry(env: Env): string {
  const value = (env[TEST_HUB_REGISTRY] ?? '').trim();
  if (!value) return '';
  const host = value.replace(/:\d+$/, '');
  if (!LOOPBACK_HOST.test(host)) {
    throw new Error(
      `${TEST_HUB_REGISTRY}: "${value}" is not a loopback registry; this variable is for the action's own tests and takes only 127.0.0.1:PORT or localhost:PORT`,
    );
  }
  return value;
}

/** The test identity service's token URL, when set to a loopback http(s) URL. Pure. */
function testIdentityUrl(env: Env): string | undefined {
  const value = (env[TEST_IDENTITY_URL] ?? '').trim();
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !LOOPBACK_NAME.test(url.hostname)) {
    throw new Error(
      `${TEST_IDENTITY_URL}: "${value}" is not a loopback URL; this variable is for the action's own tests and takes only http://127.0.0.1:PORT/... or a *.localhost name`,
    );
  }
  return url.href;
}
