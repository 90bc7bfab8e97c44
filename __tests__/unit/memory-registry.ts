// An in-memory registry for the unit tests of the moving-tag step: tags, image identities, writes.
import type { Manifest } from '../../src/oci/manifest.js';
import type { ReleaseIdentity } from '../../src/release/forward.js';
import type { MoveRegistry } from '../../src/release/move.js';

/** An in-memory registry: tags and image identities per repository; every write recorded. */
export class MemoryRegistry implements MoveRegistry {
  readonly tags = new Map<string, string>();
  readonly identities = new Map<string, ReleaseIdentity>();
  readonly writes: string[] = [];
  failPut = new Set<string>();
  /** Writes applied, then answered with a timeout (the registry applied them, the answer was lost). */
  lostAnswer = new Set<string>();
  canDelete = true;
  /** Called after each write: a concurrent run may act then. */
  afterPut?: (ref: string) => void;

  put(ref: string, digest: string, identity: ReleaseIdentity): void {
    this.tags.set(ref, digest);
    this.identities.set(digest, identity);
  }
  manifestDigest(image: string, tag: string): Promise<string | undefined> {
    return Promise.resolve(this.tags.get(`${image}:${tag}`));
  }
  getManifest(_image: string, digest: string): Promise<Manifest> {
    return Promise.resolve({ mediaType: 'm', body: Buffer.from(digest), digest });
  }
  putManifest(image: string, tag: string, manifest: Manifest): Promise<string> {
    const ref = `${image}:${tag}`;
    if (this.failPut.has(ref)) return Promise.reject(new Error(`tagging ${ref}: HTTP 500`));
    this.writes.push(`${ref}=${manifest.digest}`);
    this.tags.set(ref, manifest.digest);
    this.afterPut?.(ref);
    if (this.lostAnswer.delete(ref)) {
      return Promise.reject(new Error(`tagging ${ref}: no answer within 30s (after 3 attempts)`));
    }
    return Promise.resolve(manifest.digest);
  }
  deleteTag(image: string, tag: string): Promise<boolean> {
    if (!this.canDelete) return Promise.resolve(false);
    this.writes.push(`delete ${image}:${tag}`);
    this.tags.delete(`${image}:${tag}`);
    return Promise.resolve(true);
  }
  imageLabels(_image: string, digest: string): Promise<Record<string, string>> {
    const id = this.identities.get(digest) ?? { version: '', revision: '' };
    return Promise.resolve({
      'org.opencontainers.image.version': id.version,
      'org.opencontainers.image.revision': id.revision,
    });
  }
}
