// RegistryClient, the one object callers hold: each image name parsed once into a repository handle; manifests and blobs through one session.
import * as core from '@actions/core';
import { Blobs } from './blobs.js';
import { Manifests } from './manifests.js';
import { Session, type Repository, type SessionOptions } from './session.js';
import type { Manifest } from '../oci/manifest.js';
import { parseReference } from '../oci/reference.js';

export type RegistryClientOptions = SessionOptions;

/** A repository of the client: its name parsed once, its manifests and its blobs. */
export interface RepositoryHandle extends Repository {
  readonly manifests: Manifests;
  readonly blobs: Blobs;
}

/**
 * A small client of the registry HTTP API (distribution v2) for reading and copying manifests:
 * anonymous, Basic and Bearer-token auth, a bounded timeout on every request. Errors name the
 * registry, the image and tag and the HTTP status, never a credential.
 */
export class RegistryClient {
  private readonly session: Session;
  private readonly repositories = new Map<string, RepositoryHandle>();

  constructor(options: RegistryClientOptions = {}) {
    this.session = new Session(options);
  }

  /**
   * The repository of `image` (a name as docker reads it; a tag or digest on it is ignored),
   * parsed on the first use and kept: every later call with the same name gets the same handle.
   * Throws when `image` is not an image name.
   */
  repository(image: string): RepositoryHandle {
    let handle = this.repositories.get(image);
    if (!handle) {
      const repo: Repository = { image, ref: parseReference(image) };
      const blobs = new Blobs(this.session, repo);
      handle = { ...repo, blobs, manifests: new Manifests(this.session, repo, blobs) };
      this.repositories.set(image, handle);
    }
    return handle;
  }

  /**
   * Learns ahead of the requests, for instance while the build runs, how the registry of each
   * image authenticates: a host that asks for Basic gets the credentials at once, and a Bearer
   * token with the push scope is fetched for the repository. One try each, given up when
   * `signal` aborts (the build is over). Never fails: a request then meets its challenge itself.
   */
  async warmUp(images: string[], signal: AbortSignal): Promise<void> {
    const results = await Promise.allSettled(
      [...new Set(images)].map(async (image) =>
        this.session.warmUp(this.repository(image).ref, signal),
      ),
    );
    for (const result of results) {
      if (result.status === 'rejected') core.debug(`registry warm-up: ${String(result.reason)}`);
    }
  }

  /** The digest `image:tag` points to, or undefined when the tag does not exist. */
  async manifestDigest(image: string, tag: string): Promise<string | undefined> {
    return this.repository(image).manifests.digest(tag);
  }

  /** The manifest stored under `digest`, byte for byte, checked against the digest. */
  async getManifest(image: string, digest: string): Promise<Manifest> {
    return this.repository(image).manifests.get(digest);
  }

  /** The manifest `image:reference` (a tag or a digest), or undefined when there is none. */
  async findManifest(image: string, reference: string): Promise<Manifest | undefined> {
    return this.repository(image).manifests.find(reference);
  }

  /** Whether the registry of `image` answers the OCI referrers API itself. */
  async hasReferrersApi(image: string, digest: string): Promise<boolean> {
    return this.repository(image).manifests.hasReferrersApi(digest);
  }

  /** The descriptors the OCI referrers API lists for `image@digest`; undefined without the API. */
  async referrers(image: string, digest: string): Promise<{ digest: string }[] | undefined> {
    return this.repository(image).manifests.referrers(digest);
  }

  /** Stores `manifest` under `tag` (same bytes, same media type, so the same digest); returns the digest. */
  async putManifest(image: string, tag: string, manifest: Manifest): Promise<string> {
    return this.repository(image).manifests.put(tag, manifest);
  }

  /** Removes the tag of `image`: true when removed or not there, false when the registry declines. */
  async deleteTag(image: string, tag: string): Promise<boolean> {
    return this.repository(image).manifests.deleteTag(tag);
  }

  /** The labels of the image config of `image@digest` with the manifest's annotations over them. */
  async imageLabels(image: string, digest: string): Promise<Record<string, string>> {
    return this.repository(image).manifests.labels(digest);
  }

  /** True when `image` has the blob `digest` (a layer or config). */
  async blobExists(image: string, digest: string): Promise<boolean> {
    return this.repository(image).blobs.exists(digest);
  }

  /** The blob `digest` of `image`, checked against the digest. */
  async getBlob(image: string, digest: string): Promise<Buffer> {
    return this.repository(image).blobs.get(digest);
  }

  /** Mounts the blob `digest` of `fromImage` into `image`: false when the registry declined. */
  async mountBlob(image: string, digest: string, fromImage: string): Promise<boolean> {
    return this.repository(image).blobs.mount(digest, this.repository(fromImage));
  }

  /** Uploads `content` as the blob `digest` of `image` in one request (a monolithic upload). */
  async putBlob(image: string, digest: string, content: Buffer): Promise<void> {
    return this.repository(image).blobs.put(digest, content);
  }

  /** Copies the blob `digest` of `from` into `to` as a stream; returns the number of bytes. */
  async copyBlob(from: string, to: string, digest: string): Promise<number> {
    const source = this.repository(from);
    return this.repository(to).blobs.copyFrom(source, digest);
  }

  /** Uploads the file `path` as the blob `digest` of `image`, streamed; returns the bytes sent. */
  async putBlobFile(image: string, digest: string, path: string, size: number): Promise<number> {
    return this.repository(image).blobs.putFile(digest, path, size);
  }
}
