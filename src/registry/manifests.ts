// The manifest operations of one repository: digest, get, find, put, delete a tag, labels, the referrers API.
import type { Blobs } from './blobs.js';
import type { Repository, Session } from './session.js';
import { mediaTypeOf, sha256, type Manifest } from '../oci/manifest.js';

/** The manifests of one repository, read and written byte for byte through the client's session. */
export class Manifests {
  /**
   * Manifests and labels read by digest, each read once: content-addressed, they never go
   * stale. A read that failed is forgotten, so the next one asks again.
   */
  private readonly byDigest = new Map<string, Promise<Manifest>>();
  private readonly labelsByDigest = new Map<string, Promise<Record<string, string>>>();

  constructor(
    private readonly session: Session,
    private readonly repo: Repository,
    private readonly blobs: Blobs,
  ) {}

  /** The digest `image:tag` points to, or undefined when the tag does not exist. */
  async digest(tag: string): Promise<string | undefined> {
    const { image, ref } = this.repo;
    const what = `reading the digest of ${image}:${tag}`;
    const head = await this.session.request(ref, what, 'HEAD', `manifests/${tag}`, 'pull');
    if (head.status === 404) return undefined;
    if (!head.ok) throw await this.session.failure(ref, what, head);
    const digest = head.headers.get('docker-content-digest');
    if (digest) return digest;
    // Some registries leave the header out of HEAD answers: the digest is the hash of the bytes.
    const get = await this.session.request(ref, what, 'GET', `manifests/${tag}`, 'pull');
    if (get.status === 404) return undefined;
    if (!get.ok) throw await this.session.failure(ref, what, get);
    const body = Buffer.from(await get.arrayBuffer());
    return get.headers.get('docker-content-digest') ?? sha256(body);
  }

  /** The manifest stored under `digest`, byte for byte, checked against the digest. */
  get(digest: string): Promise<Manifest> {
    return once(this.byDigest, digest, () => this.read(digest));
  }

  private async read(digest: string): Promise<Manifest> {
    const { image, ref } = this.repo;
    const what = `reading the manifest ${image}@${digest}`;
    const response = await this.session.request(ref, what, 'GET', `manifests/${digest}`, 'pull');
    if (!response.ok) throw await this.session.failure(ref, what, response);
    const body = Buffer.from(await response.arrayBuffer());
    if (digest.startsWith('sha256:') && sha256(body) !== digest) {
      throw new Error(
        `${what}: ${ref.registry} answered with content whose digest is ${sha256(body)}`,
      );
    }
    return { mediaType: mediaTypeOf(response.headers.get('content-type'), body), body, digest };
  }

  /** The manifest `image:reference` (a tag or a digest), or undefined when there is none. */
  async find(reference: string): Promise<Manifest | undefined> {
    const { image, ref } = this.repo;
    const what = `reading the manifest ${image}${reference.includes(':') ? '@' : ':'}${reference}`;
    const response = await this.session.request(ref, what, 'GET', `manifests/${reference}`, 'pull');
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw await this.session.failure(ref, what, response);
    const body = Buffer.from(await response.arrayBuffer());
    const digest = reference.startsWith('sha256:')
      ? reference
      : (response.headers.get('docker-content-digest') ?? sha256(body));
    if (sha256(body) !== digest && digest.startsWith('sha256:')) {
      throw new Error(
        `${what}: ${ref.registry} answered with content whose digest is ${sha256(body)}`,
      );
    }
    return { mediaType: mediaTypeOf(response.headers.get('content-type'), body), body, digest };
  }

  /**
   * Whether the registry answers the OCI referrers API (`GET /v2/<name>/referrers/<digest>`)
   * for `image`: true when it lists referrers itself; false when it answers 404 (no such API,
   * as distribution 2.x) or anything but an OCI index, so a client keeps the referrers tag.
   */
  async hasReferrersApi(digest: string): Promise<boolean> {
    const { image, ref } = this.repo;
    const what = `asking ${ref.registry} for the referrers of ${image}@${digest}`;
    const response = await this.session.request(ref, what, 'GET', `referrers/${digest}`, 'pull');
    await response.body?.cancel();
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    return response.ok && type === 'application/vnd.oci.image.index.v1+json';
  }

  /**
   * The descriptors the OCI referrers API lists for `image@digest`; undefined when the registry
   * has no such API (404, or an answer that is not an OCI index).
   */
  async referrers(digest: string): Promise<{ digest: string }[] | undefined> {
    const { image, ref } = this.repo;
    const what = `listing the referrers of ${image}@${digest}`;
    const response = await this.session.request(ref, what, 'GET', `referrers/${digest}`, 'pull');
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    if (!response.ok || type !== 'application/vnd.oci.image.index.v1+json') {
      await response.body?.cancel();
      return undefined;
    }
    const doc = JSON.parse(Buffer.from(await response.arrayBuffer()).toString('utf8')) as {
      manifests?: { digest?: unknown }[];
    };
    return (doc.manifests ?? [])
      .filter((m): m is { digest: string } => typeof m?.digest === 'string')
      .map((m) => ({ digest: m.digest }));
  }

  /** Stores `manifest` under `tag` (same bytes, same media type, so the same digest); returns the digest. */
  async put(tag: string, manifest: Manifest): Promise<string> {
    const { image, ref } = this.repo;
    const what = `tagging ${image}:${tag}`;
    const response = await this.session.request(
      ref,
      what,
      'PUT',
      `manifests/${tag}`,
      'push',
      manifest,
    );
    if (!response.ok) throw await this.session.failure(ref, what, response);
    await response.body?.cancel();
    const digest = response.headers.get('docker-content-digest') ?? manifest.digest;
    if (digest !== manifest.digest) {
      throw new Error(
        `${what}: ${ref.registry} stored the manifest as ${digest}, expected ${manifest.digest}`,
      );
    }
    return digest;
  }

  /**
   * Removes the tag `tag` of `image` (the manifest and its other tags stay): true when removed
   * or not there, false when the registry does not remove tags (OCI distribution 1.1 lets a
   * registry decline).
   */
  async deleteTag(tag: string): Promise<boolean> {
    const { image, ref } = this.repo;
    const what = `removing the tag ${image}:${tag}`;
    const response = await this.session.request(ref, what, 'DELETE', `manifests/${tag}`, 'push');
    if (response.ok || response.status === 404) {
      await response.body?.cancel();
      return true;
    }
    if ([400, 405, 501].includes(response.status)) {
      await response.body?.cancel();
      return false;
    }
    throw await this.session.failure(ref, what, response);
  }

  /**
   * The labels of the image config of `image@digest` with the manifest's annotations over them
   * (for an index: of its first platform image, with the index's annotations over those).
   */
  async labels(digest: string): Promise<Record<string, string>> {
    return { ...(await once(this.labelsByDigest, digest, () => this.readLabels(digest))) };
  }

  private async readLabels(digest: string): Promise<Record<string, string>> {
    const { image } = this.repo;
    type Doc = {
      annotations?: Record<string, string>;
      config?: { digest?: string };
      manifests?: {
        digest: string;
        platform?: { os?: string };
        annotations?: Record<string, string>;
      }[];
    };
    const parse = (manifest: Manifest): Doc => {
      try {
        return JSON.parse(manifest.body.toString('utf8')) as Doc;
      } catch {
        throw new Error(`the manifest ${image}@${manifest.digest} is not JSON`);
      }
    };
    let doc = parse(await this.get(digest));
    const layers: Record<string, string>[] = [doc.annotations ?? {}];
    if (doc.manifests) {
      // Attestation manifests (buildx's provenance) have platform unknown/unknown.
      const child = doc.manifests.find(
        (m) =>
          !m.annotations?.['vnd.docker.reference.type'] && (m.platform?.os ?? '') !== 'unknown',
      );
      if (!child) return { ...layers[0] };
      doc = parse(await this.get(child.digest));
      layers.unshift(doc.annotations ?? {});
    }
    let labels: Record<string, string> = {};
    if (doc.config?.digest) {
      const config = JSON.parse((await this.blobs.get(doc.config.digest)).toString('utf8')) as {
        config?: { Labels?: Record<string, string> | null };
      };
      labels = config.config?.Labels ?? {};
    }
    return Object.assign({}, labels, ...layers) as Record<string, string>;
  }
}

/** The value of `key` in `cache`, made by `make` on the first ask; a failure is not kept. */
function once<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  // Only content addresses are kept: anything else names what may change.
  if (!key.startsWith('sha256:')) return make();
  let found = cache.get(key);
  if (!found) {
    found = make();
    cache.set(key, found);
    const made = found;
    made.catch(() => {
      if (cache.get(key) === made) cache.delete(key);
    });
  }
  return found;
}
