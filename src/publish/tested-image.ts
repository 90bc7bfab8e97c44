import * as core from '@actions/core';
import * as exec from '@actions/exec';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { imageLayout, legacyManifest, type LayoutImage } from '../oci/layout.js';
import { dockerEnv } from '../docker/config.js';
import type { Manifest } from '../oci/manifest.js';
import type { RegistryClient } from '../registry/client.js';
import { childEnv } from '../child-env.js';

/** A blob of the saved image: its digest, size and the file that holds it. */
export interface SavedBlob {
  digest: string;
  size: number;
  path: string;
}

/**
 * The tested image as the engine holds it, ready to be put in registries by digest: its
 * blobs (configs, layers, attestation blobs), then its manifests, children before the index
 * that names them. `digest` is the top manifest's (or index's).
 */
export interface SavedImage {
  digest: string;
  /** True when the bytes are the engine's own (containerd image store): the digest is the image ID. */
  exact: boolean;
  blobs: SavedBlob[];
  manifests: Manifest[];
}

/**
 * Saves `imageId` from the engine (`docker save`) into `dir` and reads it as an image to
 * upload. On the containerd image store the saved OCI layout holds the image's own manifests
 * and compressed layers, so the upload has the image ID as its digest; on the classic store
 * (`manifest.json` with uncompressed layers) the layers are compressed here and a manifest is
 * written for them, with the tested config (the image ID) unchanged.
 */
export async function saveImage(
  imageId: string,
  dockerConfig: string,
  dir: string,
): Promise<SavedImage> {
  const env = dockerEnv(dockerConfig);
  const archive = join(dir, 'image.tar');
  const layout = join(dir, 'layout');
  mkdirSync(layout, { recursive: true });
  const save = await exec.getExecOutput('docker', ['save', '--output', archive, imageId], {
    env,
    silent: true,
    ignoreReturnCode: true,
  });
  if (save.exitCode !== 0) {
    throw new Error(`docker save ${imageId} failed: ${lastLines(save.stderr)}`);
  }
  const untar = await exec
    .getExecOutput('tar', ['-xf', archive, '-C', layout], {
      silent: true,
      ignoreReturnCode: true,
      env: childEnv(),
    })
    .finally(() => rmSync(archive, { force: true }));
  if (untar.exitCode !== 0) {
    throw new Error(`unpacking the saved image ${imageId} failed: ${lastLines(untar.stderr)}`);
  }

  const read = (path: string): Promise<Buffer> => readFile(join(layout, path));
  const exists = (path: string): boolean => existsSync(join(layout, path));
  const found = await imageLayout(imageId, read, exists);
  if (found) return fromLayout(found, layout);
  return fromLegacy(imageId, layout, read, dir);
}

async function fromLayout(image: LayoutImage, layout: string): Promise<SavedImage> {
  const blobs: SavedBlob[] = [];
  for (const digest of image.blobs) {
    const path = join(layout, 'blobs', ...digest.split(':'));
    blobs.push({ digest, size: (await stat(path)).size, path });
  }
  return { digest: image.digest, exact: true, blobs, manifests: image.manifests };
}

/** The classic store's `docker save`: compresses each layer and writes a manifest for them. */
async function fromLegacy(
  imageId: string,
  layout: string,
  read: (path: string) => Promise<Buffer>,
  dir: string,
): Promise<SavedImage> {
  const { config, layers } = await legacyManifest(imageId, read);
  const gz = join(dir, 'gz');
  mkdirSync(gz, { recursive: true });
  const compressed: SavedBlob[] = [];
  for (const [index, layer] of layers.entries()) {
    compressed.push(await gzipFile(join(layout, layer), join(gz, `${index}.tar.gz`)));
  }
  const configBytes = await read(config);
  const configBlob: SavedBlob = {
    digest: imageId,
    size: configBytes.length,
    path: join(layout, config),
  };
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, size: configBlob.size, digest: configBlob.digest },
      layers: compressed.map((l) => ({ mediaType: DOCKER_LAYER, size: l.size, digest: l.digest })),
    }),
  );
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  return {
    digest,
    exact: false,
    blobs: [configBlob, ...compressed],
    manifests: [{ mediaType: DOCKER_MANIFEST, body, digest }],
  };
}

const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** Compresses `source` into `target`, hashing the compressed bytes as they are written. */
async function gzipFile(source: string, target: string): Promise<SavedBlob> {
  const hash = createHash('sha256');
  let size = 0;
  const gzip = createGzip();
  gzip.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  await pipeline(createReadStream(source), gzip, createWriteStream(target));
  return { digest: `sha256:${hash.digest('hex')}`, size, path: target };
}

/**
 * Puts the saved image in `image` by digest, without any tag: each blob the repository lacks,
 * then the manifests, children first. Returns the digest the registry holds.
 */
export async function uploadImage(
  saved: SavedImage,
  image: string,
  registry: RegistryClient,
): Promise<string> {
  let uploaded = 0;
  for (const blob of saved.blobs) {
    if (await registry.blobExists(image, blob.digest)) continue;
    // Streamed from the disk: memory stays constant whatever the size of a layer.
    await registry.putBlobFile(image, blob.digest, blob.path, blob.size);
    uploaded++;
  }
  let digest = '';
  for (const manifest of saved.manifests) {
    digest = await registry.putManifest(image, manifest.digest, manifest);
  }
  core.info(
    `${image}@${digest}: ${uploaded} of ${saved.blobs.length} blobs uploaded, ${saved.manifests.length} manifest(s) by digest, no tag`,
  );
  return digest;
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join('\n') || '(no output)';
}
