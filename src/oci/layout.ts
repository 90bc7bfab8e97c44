// Reading an image that `docker save` wrote, without touching the disk directly: the caller
// passes how to read a file of the archive. Two forms exist:
// - an OCI image layout (`index.json`, `blobs/sha256/...`), from the containerd image store,
//   holding the image's own manifests and compressed layers;
// - `manifest.json` naming a config file and uncompressed layer tars, which every engine
//   writes, and the only form of the classic store.
import { createHash } from 'node:crypto';
import type { Manifest } from './manifest.js';

/** An image found in an OCI layout: its manifests (children first) and every blob they name. */
export interface LayoutImage {
  digest: string;
  manifests: Manifest[];
  /** Config, layer and attestation blobs, each once, in the order they are named. */
  blobs: string[];
}

const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const DIGEST = /^sha256:[0-9a-f]{64}$/;

type Read = (path: string) => Promise<Buffer>;
type Exists = (path: string) => boolean;

function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

interface Descriptor {
  mediaType?: unknown;
  digest?: unknown;
}

interface Document {
  mediaType?: unknown;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
}

function parse(body: Buffer, what: string): Document {
  try {
    const doc = JSON.parse(body.toString('utf8')) as Document | null;
    if (typeof doc === 'object' && doc !== null) return doc;
  } catch {
    // reported below
  }
  throw new Error(`the saved image's ${what} is not JSON`);
}

function kind(doc: Document, mediaType?: unknown): 'index' | 'manifest' | undefined {
  const type = typeof doc.mediaType === 'string' ? doc.mediaType : mediaType;
  if (typeof type === 'string' && INDEX_TYPES.includes(type)) return 'index';
  if (typeof type === 'string' && MANIFEST_TYPES.includes(type)) return 'manifest';
  if (Array.isArray(doc.manifests)) return 'index';
  if (doc.config && Array.isArray(doc.layers)) return 'manifest';
  return undefined;
}

/**
 * The image `digest` in an OCI layout, when the layout holds it as a manifest or index (the
 * containerd image store, where the image ID is that digest); undefined when it does not (the
 * classic store, where the image ID is the config's digest). Every manifest the index names
 * must be in the layout: the upload would otherwise be an image the engine never ran.
 */
export async function imageLayout(
  digest: string,
  read: Read,
  exists: Exists,
): Promise<LayoutImage | undefined> {
  if (!DIGEST.test(digest) || !exists('index.json') || !exists(blobPath(digest))) return undefined;
  const top = await read(blobPath(digest));
  const topDoc = parse(top, digest);
  const topKind = kind(topDoc);
  if (!topKind) return undefined;

  const manifests: Manifest[] = [];
  const blobs: string[] = [];
  const seen = new Set<string>();
  const addBlob = (d: Descriptor | undefined, what: string): void => {
    if (!d || typeof d.digest !== 'string' || !DIGEST.test(d.digest)) {
      throw new Error(`the saved image's ${what} has no valid digest`);
    }
    if (seen.has(d.digest)) return;
    if (!exists(blobPath(d.digest))) {
      throw new Error(`the saved image lacks the blob ${d.digest} (${what})`);
    }
    seen.add(d.digest);
    blobs.push(d.digest);
  };
  const addManifest = (body: Buffer, doc: Document, at: string, mediaType: string): void => {
    addBlob(doc.config, `config of ${at}`);
    for (const layer of doc.layers ?? []) addBlob(layer, `layer of ${at}`);
    manifests.push({ mediaType, body, digest: at });
  };

  if (topKind === 'manifest') {
    addManifest(top, topDoc, digest, mediaTypeOf(topDoc, MANIFEST_TYPES[0]));
  } else {
    for (const child of topDoc.manifests ?? []) {
      if (typeof child.digest !== 'string' || !DIGEST.test(child.digest)) {
        throw new Error(`the saved index ${digest} names a manifest without a valid digest`);
      }
      if (!exists(blobPath(child.digest))) {
        throw new Error(
          `the engine's image ${digest} lacks its manifest ${child.digest}: only part of the image is in the image store`,
        );
      }
      const body = await read(blobPath(child.digest));
      const doc = parse(body, child.digest);
      if (kind(doc, child.mediaType) !== 'manifest') {
        throw new Error(
          `the saved index ${digest} names ${child.digest}, which is not an image manifest`,
        );
      }
      const type =
        typeof child.mediaType === 'string' ? child.mediaType : mediaTypeOf(doc, MANIFEST_TYPES[0]);
      addManifest(body, doc, child.digest, type);
    }
    manifests.push({ mediaType: mediaTypeOf(topDoc, INDEX_TYPES[0]), body: top, digest });
  }
  return { digest, manifests, blobs };
}

function mediaTypeOf(doc: Document, fallback: string): string {
  return typeof doc.mediaType === 'string' ? doc.mediaType : fallback;
}

/**
 * The config file and layer tars of the image whose config digest is `imageId`, from
 * `manifest.json`. `sha256` hashes a file's content (the config file's digest is the image ID).
 */
export async function legacyManifest(
  imageId: string,
  read: Read,
  sha256: (content: Buffer) => string = defaultSha256,
): Promise<{ config: string; layers: string[] }> {
  let entries: unknown;
  try {
    entries = JSON.parse((await read('manifest.json')).toString('utf8'));
  } catch {
    throw new Error('docker save wrote no readable manifest.json');
  }
  if (!Array.isArray(entries))
    throw new Error('docker save wrote a manifest.json that is not a list');
  for (const entry of entries as { Config?: unknown; Layers?: unknown }[]) {
    if (typeof entry?.Config !== 'string' || !Array.isArray(entry.Layers)) continue;
    if (sha256(await read(entry.Config)) !== imageId) continue;
    const layers = entry.Layers.filter((l): l is string => typeof l === 'string');
    return { config: entry.Config, layers };
  }
  throw new Error(`docker save wrote no image whose config is ${imageId}`);
}

function defaultSha256(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}
