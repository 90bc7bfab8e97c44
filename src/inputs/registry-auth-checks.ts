/** The checks of the logins' inputs that need no YAML parser: registry hosts, one login form. */

/** One login of `registry-auth`. On ghcr.io, username and password may be left empty. */
export interface RegistryAuth {
  registry: string;
  username: string;
  password: string;
}

const HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'index.docker.io/v1'];

/**
 * `registry-auth` replaces `registry`, `username` and `password`: both at once is an error
 * that names the ones set.
 */
export function checkNotMixed(
  registryAuth: RegistryAuth[],
  single: { registry: string; username: string; password: string },
): void {
  if (registryAuth.length === 0) return;
  const set = (['registry', 'username', 'password'] as const).filter((name) => single[name]);
  if (set.length === 0) return;
  throw new Error(
    `registry-auth: cannot be combined with ${set.join(', ')}; move that login into registry-auth as one more entry, or use registry, username and password alone`,
  );
}

/** A registry host as logins take it: `ghcr.io`, `host:port`, `[::1]:5000`, no path. Pure. */
export function isRegistryHost(host: string): boolean {
  // A host starts with a letter or digit: one starting with `-` would be read as an option.
  return /^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host);
}

/** `https://ghcr.io/` -> `ghcr.io`; Docker Hub's other names -> `docker.io`. Pure. */
export function normalizeAuthRegistry(value: string): string {
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/+$/, '');
  return HUB.includes(host) ? 'docker.io' : host;
}
