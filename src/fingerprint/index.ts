// The source fingerprint: one sha256 over everything that decides what the build produces, so
// that an image already built from the same fingerprint can be given new tags instead of being
// built again. See docs/reuse.md for what is in it and what not.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildInputs } from '../docker/buildx-args.js';
import type { BuildSecret } from '../docker/secrets.js';
import { contextDigest, dockerignorePatterns } from './context.js';
import { baseImages, splitImageRef } from './dockerfile.js';

/** Bumped when what goes into the fingerprint changes, so old fingerprint tags stop matching. */
const FORMAT = 'build-tag-push fingerprint 1';

export type FingerprintInputs = Pick<
  BuildInputs,
  | 'context'
  | 'file'
  | 'buildArgs'
  | 'buildContexts'
  | 'target'
  | 'platforms'
  | 'provenance'
  | 'sbom'
> & { secrets: BuildSecret[]; secretFiles: BuildSecret[] } & Partial<
    Pick<
      BuildInputs,
      | 'secretEnvs'
      | 'addHosts'
      | 'allow'
      | 'attests'
      | 'network'
      | 'shmSize'
      | 'ulimit'
      | 'cgroupParent'
      | 'outputs'
      | 'ssh'
    >
  > & {
    /** The image's labels and annotations as planned; OCI ones are left out here. */
    labels: string[];
    annotations: string[];
  };

export interface FingerprintOptions {
  /** The platform the builder runs on: the image's platform when `platforms` is empty. */
  buildPlatform: string;
  /** The workspace whose own git repository's index names unchanged files (no read needed). */
  workspace?: string;
  /** The digest `image:tag` points to in its registry; undefined when it does not exist. */
  resolveDigest(image: string, tag: string): Promise<string | undefined>;
}

export interface Fingerprint {
  /** sha256 hex. */
  hash: string;
  /** Lines for the log: what went in. */
  details: string[];
}

/** The immutable tag an image of this fingerprint carries: `fp-` and 16 hex digits. Pure. */
export function fingerprintTag(hash: string): string {
  return `fp-${hash.slice(0, 16)}`;
}

/** True for a context buildx fetches itself (a git or HTTP URL, stdin): not on disk here. Pure. */
export function isRemoteContext(context: string): boolean {
  return context === '-' || /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/.test(context);
}

/** Labels and annotations that change with each commit or tag are not part of the image's source. */
function sourceEntries(entries: string[]): string[] {
  return entries
    .filter(
      (entry) =>
        !/^(?:[a-z-]+(?:\[[^\]]*\])?(?:,[a-z-]+(?:\[[^\]]*\])?)*:)?org\.opencontainers\.image\./.test(
          entry,
        ),
    )
    .sort();
}

/**
 * Computes the fingerprint: the context's files (as the build sees them through .dockerignore),
 * the Dockerfile, build-args, target, platforms, build-contexts, secret IDs, the labels and
 * annotations other than `org.opencontainers.image.*`, provenance and sbom, and the digest of
 * every base image, read from its registry. Throws when something cannot be known (a remote
 * context, a base image that cannot be resolved).
 */
export async function computeFingerprint(
  inputs: FingerprintInputs,
  options: FingerprintOptions,
): Promise<Fingerprint> {
  const context = inputs.context || '.';
  if (isRemoteContext(context)) {
    throw new Error(
      `context "${context}" is fetched by buildx, not read from disk here, so its files cannot be fingerprinted`,
    );
  }
  const file = inputs.file || join(context, 'Dockerfile');
  let dockerfile: string;
  try {
    dockerfile = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the Dockerfile ${file}: ${(error as Error).message}`);
  }
  const details: string[] = [];
  const started = Date.now();
  const files = await contextDigest(context, {
    ignorePatterns: dockerignorePatterns(context, file),
    workspace: options.workspace,
  });
  details.push(
    `context ${context}: ${files.files} files (${files.fromGit} IDs from git's index) in ${Date.now() - started} ms, sha256:${files.digest}`,
  );

  const namedContexts: [string, string][] = [];
  const contextImages: string[] = [];
  for (const entry of inputs.buildContexts) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (value.startsWith('docker-image://')) {
      contextImages.push(value.slice('docker-image://'.length));
      namedContexts.push([name, value]);
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(value) || isRemoteContext(value)) {
      // oci-layout://, target:, git and HTTP URLs: taken as written.
      namedContexts.push([name, value]);
    } else if (existsSync(value) && statSync(value).isDirectory()) {
      const named = await contextDigest(value, { workspace: options.workspace });
      namedContexts.push([name, `dir sha256:${named.digest}`]);
      details.push(`build context ${name}=${value}: ${named.files} files, sha256:${named.digest}`);
    } else {
      namedContexts.push([name, value]);
    }
  }

  const bases = [
    ...baseImages(dockerfile, {
      buildArgs: inputs.buildArgs,
      platforms: inputs.platforms,
      buildPlatform: options.buildPlatform,
      contextNames: namedContexts.map(([name]) => name),
    }),
    ...contextImages,
  ];
  const digests = await Promise.all(bases.map((ref) => baseDigest(ref, options)));
  bases.forEach((ref, i) => details.push(`base image ${ref}: ${digests[i]}`));
  if (bases.length === 0) details.push('base images: none (FROM scratch or build stages only)');

  const record = {
    format: FORMAT,
    dockerfile: createHash('sha256').update(dockerfile).digest('hex'),
    context: files.digest,
    buildContexts: namedContexts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    buildArgs: [...inputs.buildArgs].sort(),
    target: inputs.target,
    platforms: inputs.platforms.length > 0 ? inputs.platforms : [options.buildPlatform],
    secrets: [...inputs.secrets, ...inputs.secretFiles].map((s) => s.id).sort(),
    labels: sourceEntries(inputs.labels),
    annotations: sourceEntries(inputs.annotations),
    provenance: inputs.provenance,
    sbom: inputs.sbom,
    bases: bases.map((ref, i) => [ref, digests[i]]),
    // build-push-action's inputs that change what RUN sees or what the image holds; present
    // only when set, so that the fingerprints of builds without them stay what they were.
    ...buildOptions(inputs),
  };
  const hash = createHash('sha256').update(JSON.stringify(record)).digest('hex');
  details.push(`Dockerfile ${file}: sha256:${record.dockerfile}`);
  return { hash, details };
}

function buildOptions(inputs: FingerprintInputs): Record<string, unknown> {
  const options: Record<string, unknown> = {
    secretEnvs: (inputs.secretEnvs ?? []).map((s) => s.id).sort(),
    addHosts: [...(inputs.addHosts ?? [])].sort(),
    allow: [...(inputs.allow ?? [])].sort(),
    attests: [...(inputs.attests ?? [])].sort(),
    network: inputs.network ?? '',
    shmSize: inputs.shmSize ?? '',
    ulimit: [...(inputs.ulimit ?? [])].sort(),
    cgroupParent: inputs.cgroupParent ?? '',
    outputs: [...(inputs.outputs ?? [])].sort(),
    ssh: (inputs.ssh ?? []).map((entry) => entry.split('=', 1)[0]).sort(),
  };
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) =>
      Array.isArray(value) ? value.length > 0 : value !== '',
    ),
  );
}

async function baseDigest(ref: string, options: FingerprintOptions): Promise<string> {
  const { name, tag, digest } = splitImageRef(ref);
  // A pinned digest is the image, whatever its tag points to now.
  if (digest) return digest;
  let found: string | undefined;
  try {
    found = await options.resolveDigest(name, tag);
  } catch (error) {
    throw new Error(`cannot read the digest of the base image ${ref}: ${(error as Error).message}`);
  }
  if (!found) throw new Error(`the base image ${ref} is not in its registry`);
  return found;
}
