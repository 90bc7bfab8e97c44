/** What a scan runs on: the released digest, and for an index of several platforms each platform image. */

export interface ScanTarget {
  /** `os/arch[/variant]`; '' when the image does not say. */
  platform: string;
  /** The platform image's own digest (the released one for a single image). */
  digest: string;
}

interface Entry {
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

/**
 * The scan runs of `digest` (manifest `body`): one per platform image of an index, attestation
 * manifests (platform unknown/unknown, or buildx's attestation reference) left out; one for an
 * image manifest, or for an index of one platform. Pure.
 */
export function scanTargets(body: Buffer, digest: string): ScanTarget[] {
  let doc: { manifests?: Entry[] };
  try {
    doc = JSON.parse(body.toString('utf8')) as typeof doc;
  } catch {
    return [{ platform: '', digest }];
  }
  const images = (doc.manifests ?? []).filter(
    (m) =>
      typeof m.digest === 'string' &&
      m.platform?.os !== 'unknown' &&
      !m.annotations?.['vnd.docker.reference.type'],
  );
  const platformOf = (m: Entry): string =>
    m.platform?.os && m.platform.architecture
      ? [m.platform.os, m.platform.architecture, m.platform.variant].filter(Boolean).join('/')
      : '';
  if (images.length < 2) return [{ platform: images[0] ? platformOf(images[0]) : '', digest }];
  return images.map((m) => ({ platform: platformOf(m), digest: m.digest! }));
}
