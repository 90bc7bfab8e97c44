// A manifest as stored (bytes, media type, digest); the manifest media types; sha256 of bytes. Pure.
import { createHash } from 'node:crypto';

/** A manifest as stored: its exact bytes, so a copy keeps the digest. */
export interface Manifest {
  mediaType: string;
  body: Buffer;
  digest: string;
}

export const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/**
 * The media type of a manifest: the registry's Content-Type when it is a manifest type, else
 * the document's own `mediaType`, else the Content-Type as given (the first type when none).
 */
export function mediaTypeOf(contentType: string | null, body: Buffer): string {
  const type = (contentType ?? '').split(';')[0].trim();
  if (MANIFEST_TYPES.includes(type)) return type;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    // A manifest is JSON; the registry's Content-Type is used when it is not.
  }
  return type || MANIFEST_TYPES[0];
}

/** The `sha256:<hex>` digest of `body`. */
export function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
