// Image names as docker reads them: registry, API host, repository, scheme; loopback hosts. Pure.

/** Where an image lives: `host[:port]/repository`, as docker resolves a name. */
export interface ImageReference {
  /** The registry as logins know it: `ghcr.io`, `127.0.0.1:5000`, `docker.io` for Docker Hub. */
  registry: string;
  /** The host the registry API answers on (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  /** The repository path, with `library/` for Docker Hub's official images. */
  repository: string;
  scheme: 'http' | 'https';
}

/**
 * Parses an image name (`ghcr.io/acme/app`, `localhost:5000/app`, `user/app`, `alpine`) the way
 * docker does: the first path component is a registry host when it has a `.` or `:` or is
 * `localhost`; otherwise the image is on Docker Hub. A trailing `:tag` or `@digest` is ignored.
 * Loopback hosts are spoken to over plain HTTP, as docker does. Pure.
 */
export function parseReference(image: string): ImageReference {
  let name = image.trim().replace(/@.*$/, '');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) name = name.slice(0, colon);

  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasHost =
    first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasHost ? first : 'docker.io';
  let repository = hasHost ? name.slice(slash + 1) : name;
  if (['index.docker.io', 'registry-1.docker.io'].includes(registry)) registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository || repository.startsWith('/') || repository.endsWith('/')) {
    throw new Error(
      `"${image}" is not an image name; expected [host[:port]/]path such as ghcr.io/acme/app`,
    );
  }
  return {
    registry,
    apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry,
    repository,
    scheme: isLoopback(registry) ? 'http' : 'https',
  };
}

/** Whether a registry host (`host[:port]`, `[v6]:port`) is a loopback name or address. */
export function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(0, registry.indexOf(']') + 1)
    : registry.split(':')[0];
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Whether a resolved address is a loopback one (docker's default insecure range 127.0.0.0/8, ::1). */
export function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || address === '::1';
}

/** `ghcr.io/acme/app:1.2` -> `ghcr.io/acme/app`: the repository of an image reference (its name without a tag or digest). Pure. */
export function repositoryOf(reference: string): string {
  const name = reference.trim().replace(/@.*$/, '');
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
