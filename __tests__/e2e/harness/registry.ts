import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitFor } from './net.js';
import { makeTempDir, removeTempDir } from './paths.js';

/** Every manifest media type a registry may answer with, as ENGINE.md lists them. */
export const manifestAccept = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

/** Options of {@link startRegistry}. */
export interface RegistryOptions {
  /** With `password`: htpasswd authentication for this user. Without: an open registry. */
  user?: string;
  password?: string;
  /** Listen on this port (default: a free one); with `dir`, restarts a killed registry. */
  port?: number;
  /** Reuse this registry directory (its storage), from {@link Registry.dir} of a killed one. */
  dir?: string;
}

/** A manifest as the registry serves it. */
export interface Manifest {
  digest: string;
  mediaType: string;
  body: Record<string, unknown>;
}

/** A running CNCF distribution registry on 127.0.0.1. */
/** What {@link Registry.imageTree} found. */
export interface ImageTree {
  digest: string;
  mediaType: string;
  /** `os/arch[/variant]` of each image manifest (one entry for a single manifest). */
  platforms: string[];
  /** `in-toto.io/predicate-type` of each attestation layer (provenance, SBOM). */
  predicateTypes: string[];
  /** Manifests and blobs named but not in the repository. */
  missing: string[];
}

export interface Registry {
  /** `127.0.0.1:PORT`, the registry part of an image name. */
  url: string;
  port: number;
  user?: string;
  password?: string;
  /** The directory holding its config and storage. */
  dir: string;
  /** Docker-Content-Digest of `repo:tag` (or `repo@digest`), `undefined` when there is none. */
  manifestDigest(repo: string, reference: string): Promise<string | undefined>;
  /** The manifest (image manifest or index) of `repo:reference`, `undefined` when there is none. */
  manifest(repo: string, reference: string): Promise<Manifest | undefined>;
  /**
   * The image configuration (`config.Labels`, `created`, ...) of `repo:reference`;
   * for an index, of its first manifest that is not an attestation.
   */
  imageConfig(repo: string, reference: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Walks the image at `reference`: its platforms, the predicate types of its attestations,
   * and every manifest or blob it names that the repository lacks (an image copied in part).
   */
  imageTree(repo: string, reference: string): Promise<ImageTree | undefined>;
  /** The tags of `repo`, sorted; `[]` when the repository does not exist. */
  tags(repo: string): Promise<string[]>;
  /** Kills the registry and removes its storage. */
  stop(): Promise<void>;
  /**
   * Kills the registry process (SIGKILL, as a crash) and keeps its storage: start it again
   * with `startRegistry({ ...options, port, dir })` to look at what it holds.
   */
  kill(): Promise<void>;
}

/**
 * Starts `docker-registry serve` (Debian's CNCF distribution registry) on a free
 * port of 127.0.0.1 with storage in a temp dir, deletes enabled, and htpasswd
 * authentication when `user` and `password` are given. Resolves once `/v2/`
 * answers.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const dir = options.dir ?? (await makeTempDir('registry'));
  const port = options.port ?? (await freePort());
  const config = [
    'version: 0.1',
    'log: {level: warn, accesslog: {disabled: true}}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'storage')}}, delete: {enabled: true}}`,
    `http: {addr: '127.0.0.1:${port}'}`,
  ];
  const auth = options.user !== undefined && options.password !== undefined;
  if (auth) {
    // The password on stdin: a test that lists command lines to find secrets must not find it here.
    const htpasswd = await new Promise<string>((resolve, reject) => {
      const child = execFile('htpasswd', ['-niB', options.user ?? ''], (error, stdout) =>
        error
          ? reject(
              new Error(
                `htpasswd failed (${error.message}); install it: scripts/engine.sh install`,
              ),
            )
          : resolve(stdout),
      );
      child.stdin?.end(options.password ?? '');
    });
    await writeFile(join(dir, 'htpasswd'), htpasswd);
    config.push(`auth: {htpasswd: {realm: e2e, path: ${join(dir, 'htpasswd')}}}`);
  }
  await mkdir(join(dir, 'storage'), { recursive: true });
  await writeFile(join(dir, 'config.yml'), config.join('\n') + '\n');

  const logFile = join(dir, 'registry.log');
  const log = openSync(logFile, 'w');
  let child: ChildProcess;
  try {
    child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
      stdio: ['ignore', log, log],
    });
  } finally {
    closeSync(log);
  }
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
    child.on('error', () => {
      exited = true;
      resolve();
    });
  });
  const authorization = auth
    ? `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`
    : undefined;
  const base = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
    }
    await removeTempDir(dir);
  };

  const kill = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGKILL');
    await exit;
  };

  try {
    await waitFor(async () => {
      if (exited) throw new Error('exited');
      const response = await fetch(`${base}/v2/`);
      await response.arrayBuffer();
      return response.status === 200 || response.status === 401;
    }, `docker-registry on ${base}`);
  } catch (error) {
    const tail = (await readFile(logFile, 'utf8').catch(() => ''))
      .split('\n')
      .slice(-10)
      .join('\n');
    await stop();
    if (child.pid === undefined) {
      throw new Error('docker-registry is not installed: run scripts/engine.sh install');
    }
    throw new Error(`docker-registry did not start on ${base}: ${String(error)}\n${tail}`);
  }

  const get = async (path: string, accept?: string): Promise<Response> => {
    const headers: Record<string, string> = {};
    if (accept) headers.Accept = accept;
    if (authorization) headers.Authorization = authorization;
    return await fetch(`${base}${path}`, { headers });
  };

  const manifest = async (repo: string, reference: string): Promise<Manifest | undefined> => {
    const response = await get(`/v2/${repo}/manifests/${reference}`, manifestAccept);
    if (response.status === 404) {
      await response.arrayBuffer();
      return undefined;
    }
    if (!response.ok) {
      throw new Error(
        `GET ${repo}:${reference} manifest: ${response.status} ${await response.text()}`,
      );
    }
    const body = (await response.json()) as Record<string, unknown>;
    return {
      digest: response.headers.get('docker-content-digest') ?? '',
      mediaType: response.headers.get('content-type') ?? '',
      body,
    };
  };

  const imageConfig = async (
    repo: string,
    reference: string,
  ): Promise<Record<string, unknown> | undefined> => {
    let found = await manifest(repo, reference);
    if (found && Array.isArray(found.body.manifests)) {
      const entries = found.body.manifests as Array<Record<string, unknown>>;
      const image = entries.find((entry) => {
        const annotations = entry.annotations as Record<string, string> | undefined;
        return annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest';
      });
      found =
        image && typeof image.digest === 'string' ? await manifest(repo, image.digest) : undefined;
    }
    const config = found?.body.config as { digest?: string } | undefined;
    if (!config?.digest) return undefined;
    const response = await get(`/v2/${repo}/blobs/${config.digest}`);
    if (!response.ok) throw new Error(`GET ${repo} blob ${config.digest}: ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };

  const blobExists = async (repo: string, digest: string): Promise<boolean> => {
    const headers: Record<string, string> = {};
    if (authorization) headers.Authorization = authorization;
    const response = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers });
    return response.ok;
  };

  const imageTree = async (repo: string, reference: string): Promise<ImageTree | undefined> => {
    const top = await manifest(repo, reference);
    if (!top) return undefined;
    const tree: ImageTree = {
      digest: top.digest,
      mediaType: top.mediaType,
      platforms: [],
      predicateTypes: [],
      missing: [],
    };
    const walkImage = async (body: Record<string, unknown>, platform?: string): Promise<void> => {
      const config = body.config as { digest?: string } | undefined;
      const layers = (body.layers ?? []) as {
        digest?: string;
        annotations?: Record<string, string>;
      }[];
      for (const blob of [config, ...layers]) {
        if (blob?.digest && !(await blobExists(repo, blob.digest))) tree.missing.push(blob.digest);
      }
      const predicates = layers
        .map((l) => l.annotations?.['in-toto.io/predicate-type'])
        .filter((t): t is string => typeof t === 'string');
      if (predicates.length > 0) tree.predicateTypes.push(...predicates);
      else if (platform) tree.platforms.push(platform);
    };
    if (Array.isArray(top.body.manifests)) {
      for (const entry of top.body.manifests as Record<string, unknown>[]) {
        const digest = String(entry.digest);
        const child = await manifest(repo, digest);
        if (!child) {
          tree.missing.push(digest);
          continue;
        }
        const p = entry.platform as
          { os?: string; architecture?: string; variant?: string } | undefined;
        const platform = [p?.os, p?.architecture, p?.variant].filter(Boolean).join('/');
        await walkImage(child.body, platform);
      }
    } else {
      const config = (await imageConfig(repo, top.digest)) as
        { os?: string; architecture?: string; variant?: string } | undefined;
      await walkImage(
        top.body,
        [config?.os, config?.architecture, config?.variant].filter(Boolean).join('/'),
      );
    }
    return tree;
  };

  return {
    imageTree,
    url: `127.0.0.1:${port}`,
    port,
    dir,
    user: options.user,
    password: options.password,
    manifest,
    imageConfig,
    manifestDigest: async (repo, reference) => (await manifest(repo, reference))?.digest,
    tags: async (repo) => {
      const response = await get(`/v2/${repo}/tags/list`);
      if (response.status === 404) {
        await response.arrayBuffer();
        return [];
      }
      if (!response.ok)
        throw new Error(`GET ${repo} tags: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { tags?: string[] | null };
      return [...(body.tags ?? [])].sort();
    },
    stop,
    kill,
  };
}

/**
 * The tags of `repo` but the one fingerprint tag a release records its source under
 * (`fp-<16 hex>`), which must be there, once.
 */
export async function releasedTags(registry: Registry, repo: string): Promise<string[]> {
  const all = await registry.tags(repo);
  const fp = all.filter((t) => /^fp-[0-9a-f]{16}$/.test(t));
  if (fp.length !== 1) throw new Error(`${repo}: expected one fp- tag, found ${fp.join(', ')}`);
  return all.filter((t) => !fp.includes(t));
}
