// `attest: true` also stores the build provenance attestation in the registries, beside the
// image, where `gh attestation verify --bundle-from-oci` looks for it: the Sigstore bundle as
// an OCI referrer of the verified digest (an artifact manifest whose `subject` is the image). A registry with the OCI referrers API lists it by itself; one
// without gets it in the referrers tag `sha256-<hex>` (OCI distribution spec, "Referrers Tag
// Schema"), the index cosign 3 also writes its signatures into.
import * as core from '@actions/core';
import { sha256, type Manifest } from '../oci/manifest.js';
import type { RegistryClient } from '../registry/client.js';
import { errorText } from '../error-text.js';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
} as const;
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** An OCI descriptor, as manifests and indexes name content. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** Where the attestation of one image repository went. */
export interface AttestationPush {
  image: string;
  /** The attestation manifest in the registry (`image@sha256:...`); '' when not stored. */
  reference: string;
  /** How the registry lists it: its referrers API, or the referrers tag `image:sha256-<hex>`. */
  listedBy: string;
  /** Why it is not in the registry ('' when stored). */
  failure: string;
}

/**
 * The attestation's manifest: an OCI artifact of type Sigstore bundle with the empty config,
 * the bundle as its one layer and the image as its subject, annotated as actions/attest's
 * own registry push does. Returns the exact bytes stored. Pure.
 */
export function attestationManifest(
  bundle: Buffer,
  subject: Descriptor,
  created: Date,
): { manifest: Manifest; descriptor: Descriptor } {
  const annotations = {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': SLSA_PROVENANCE_V1,
    'org.opencontainers.image.created': created.toISOString(),
  };
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: BUNDLE_MEDIA_TYPE,
      config: { ...EMPTY_CONFIG },
      layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest: sha256(bundle), size: bundle.length }],
      subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
      annotations,
    }),
  );
  const digest = sha256(body);
  return {
    manifest: { mediaType: OCI_MANIFEST, body, digest },
    descriptor: {
      mediaType: OCI_MANIFEST,
      digest,
      size: body.length,
      artifactType: BUNDLE_MEDIA_TYPE,
      annotations,
    },
  };
}

/**
 * The referrers tag's index with `entry` added: a new index when there is none (`existing`
 * undefined), the same index (every entry and field kept, `entry` appended) when it lacks
 * `entry`'s digest, and `unchanged` when it holds it already. Throws when `existing` is not an
 * OCI image index, which must then not be overwritten. Pure.
 */
export function mergeReferrersIndex(
  existing: Manifest | undefined,
  entry: Descriptor,
): { manifest: Manifest; unchanged: boolean } {
  let index: { manifests?: unknown; [key: string]: unknown } = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [],
  };
  if (existing) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing.body.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const doc = parsed as { mediaType?: unknown; manifests?: unknown } | undefined;
    const isIndex =
      typeof doc === 'object' &&
      doc !== null &&
      !Array.isArray(doc) &&
      Array.isArray(doc.manifests) &&
      (doc.mediaType ?? existing.mediaType) === OCI_INDEX &&
      existing.mediaType === OCI_INDEX;
    if (!isIndex) {
      throw new Error(
        `it holds a ${existing.mediaType} (${existing.digest}), not an OCI image index of referrers`,
      );
    }
    index = doc;
    const manifests = index.manifests as { digest?: unknown }[];
    if (manifests.some((m) => m?.digest === entry.digest)) {
      return { manifest: existing, unchanged: true };
    }
  }
  const body = Buffer.from(
    JSON.stringify({ ...index, manifests: [...(index.manifests as unknown[]), entry] }),
  );
  return { manifest: { mediaType: OCI_INDEX, body, digest: sha256(body) }, unchanged: false };
}

/** The referrers tag of `digest`: `<algorithm>-<hex>` (OCI distribution spec). Pure. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-').slice(0, 128);
}

/**
 * Stores `bundle` (the Sigstore bundle of the attestation, as JSON) as a referrer of
 * `image@digest`: the bundle and empty config blobs, the artifact manifest by digest, then,
 * when the registry has no referrers API, the manifest's entry in the referrers tag's index.
 * Returns the manifest's reference and how the registry lists it; throws what the registry
 * answered.
 */
export async function pushAttestation(
  registry: RegistryClient,
  image: string,
  digest: string,
  bundle: Buffer,
  created = new Date(),
): Promise<{ reference: string; listedBy: string }> {
  const subject = await registry.getManifest(image, digest);
  const { manifest, descriptor } = attestationManifest(
    bundle,
    { mediaType: subject.mediaType, digest: subject.digest, size: subject.body.length },
    created,
  );
  const bundleDigest = sha256(bundle);
  if (!(await registry.blobExists(image, bundleDigest))) {
    await registry.putBlob(image, bundleDigest, bundle);
  }
  if (!(await registry.blobExists(image, EMPTY_CONFIG.digest))) {
    await registry.putBlob(image, EMPTY_CONFIG.digest, Buffer.from('{}'));
  }
  await registry.putManifest(image, manifest.digest, manifest);
  const reference = `${image}@${manifest.digest}`;
  if (await registry.hasReferrersApi(image, digest)) {
    return { reference, listedBy: 'the referrers API' };
  }
  const tag = referrersTag(digest);
  const existing = await registry.findManifest(image, tag);
  let merged: { manifest: Manifest; unchanged: boolean };
  try {
    merged = mergeReferrersIndex(existing, descriptor);
  } catch (error) {
    const reason = errorText(error);
    throw new Error(
      `the referrers tag ${image}:${tag} was left as it is: ${reason}; the attestation manifest ${reference} is stored but not listed as a referrer of the image`,
    );
  }
  if (!merged.unchanged) await registry.putManifest(image, tag, merged.manifest);
  return { reference, listedBy: `${image}:${tag}` };
}

/**
 * Stores the attestation in every image repository. A registry that refuses it gets a warning
 * and the others are tried; with `required` (sign: true) it throws, naming each, after trying
 * them all — as a registry that refuses a signature.
 */
export async function pushAttestations(
  registry: RegistryClient,
  images: string[],
  digest: string,
  bundle: unknown,
  required: boolean,
): Promise<AttestationPush[]> {
  const bytes = Buffer.from(JSON.stringify(bundle));
  const results: AttestationPush[] = [];
  for (const image of images) {
    try {
      const pushed = await pushAttestation(registry, image, digest, bytes);
      results.push({ image, ...pushed, failure: '' });
      core.info(
        `build provenance attestation of ${image}@${digest} stored in the registry: ${pushed.reference}, listed by ${pushed.listedBy}`,
      );
    } catch (error) {
      const failure = errorText(error);
      results.push({ image, reference: '', listedBy: '', failure });
      const message = `attest: storing the build provenance attestation of ${image}@${digest} in the registry: ${failure}`;
      if (required) core.error(message);
      else
        core.warning(
          `${message}; it is in the repository's attestation store, and the other registries have it (sign: true makes this an error)`,
        );
    }
  }
  const failed = results.filter((r) => r.failure);
  if (failed.length > 0 && required) {
    throw new Error(
      `sign is true and the build provenance attestation could not be stored in ${failed.map((r) => `${r.image} (${r.failure})`).join('; ')}`,
    );
  }
  return results;
}
