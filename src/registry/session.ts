import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { nodeFetch } from './http.js';
import type { Credentials } from '../docker/config.js';
import {
  classifyNetworkError,
  classifyStatus,
  NO_RETRY,
  retryNoteOf,
  withRetry,
  type Failure,
  type RetryOptions,
  type RetryPolicy,
} from '../retry.js';

/** Where an image lives: `host[:port]/repository`, as docker resolves a name. */
export interface ImageReference {
  /** The registry as logins know it: `ghcr.io`, `127.0.0.1:5000`, `docker.io` for Docker Hub. */
  registry: string;
  /** The host the registry API answers on (`registry-1.docker.io` for Docker Hub). */
  apiHost: string;
  /** The repository path, with `library/` for Docker Hub's official images. */
  repository: string;
  scheme: 'http' | 'https';
}

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
 * Parses an image name (`ghcr.io/acme/app`, `localhost:5000/app`, `user/app`, `alpine`) the way
 * docker does: the first path component is a registry host when it has a `.` or `:` or is
 * `localhost`; otherwise the image is on Docker Hub. A trailing `:tag` or `@digest` is ignored.
 * Loopback hosts are spoken to over plain HTTP, as docker does. Pure.
 */
export function parseReference(image: string): ImageReference {
  let name = image.trim().replace(/@.*$/, '');
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) name = name.slice(0, colon);

  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasHost =
    first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasHost ? first : 'docker.io';
  let repository = hasHost ? name.slice(slash + 1) : name;
  if (['index.docker.io', 'registry-1.docker.io'].includes(registry)) registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!repository || repository.startsWith('/') || repository.endsWith('/')) {
    throw new Error(
      `"${image}" is not an image name; expected [host[:port]/]path such as ghcr.io/acme/app`,
    );
  }
  return {
    registry,
    apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry,
    repository,
    scheme: isLoopback(registry) ? 'http' : 'https',
  };
}

function isLoopback(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(0, registry.indexOf(']') + 1)
    : registry.split(':')[0];
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isLoopbackAddress(address: string): boolean {
  return /^127\./.test(address) || address === '::1';
}

async function resolveHost(host: string): Promise<string[]> {
  const { lookup } = await import('node:dns/promises');
  return (await lookup(host, { all: true })).map((entry) => entry.address);
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (`Bearer realm="...",service="...",scope="..."` or
 * `Basic realm="..."`). When several challenges are joined in one header, Bearer wins. Pure.
 */
export function parseWwwAuthenticate(header: string | null | undefined): Challenge | undefined {
  if (!header) return undefined;
  const challenges: Challenge[] = [];
  // scheme token, then key=value pairs where a quoted value may hold commas (scope="...:pull,push").
  const token =
    /\s*([A-Za-z][\w-]*)(?!\s*=)(?:\s+|$)|\s*([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
  let match: RegExpExecArray | null;
  while (token.lastIndex < header.length && (match = token.exec(header)) !== null) {
    if (match[1] !== undefined) {
      challenges.push({ scheme: match[1].toLowerCase(), params: {} });
    } else if (challenges.length > 0) {
      const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[4] ?? '');
      challenges[challenges.length - 1].params[match[2].toLowerCase()] = value;
    }
  }
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges[0];
}

export interface RegistryClientOptions {
  /** Credentials for a registry (as in ImageReference.registry); undefined means anonymous. */
  credentials?: (registry: string) => Credentials | undefined;
  /** Bound of every request, token requests included. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Resolves a registry host name (to tell a loopback registry); dns.lookup by default. */
  lookup?: (host: string) => Promise<string[]>;
  /** Retries of a request that met a transient failure (connection refused, 5xx, 429); none by default. */
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

/** A transient HTTP answer, thrown inside the retry loop and given back as the answer when retries run out. */
class RetryableAnswer extends Error {
  constructor(
    readonly response: Response,
    readonly failure: Failure,
  ) {
    super(failure.reason);
  }
}

type Access = 'pull' | 'push';

/**
 * A small client of the registry HTTP API (distribution v2) for reading and copying manifests:
 * anonymous, Basic and Bearer-token auth, a bounded timeout on every request. Errors name the
 * registry, the image and tag and the HTTP status, never a credential.
 */
export class RegistryClient {
  private readonly credentials: (registry: string) => Credentials | undefined;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly sleep?: (ms: number) => Promise<void>;
  private readonly authorization = new Map<string, string>();
  /** Hosts that asked for Basic auth: it does not depend on the repository or the access. */
  private readonly basicHosts = new Set<string>();
  /** Answers given back after the retries ran out, with what the error should say about them. */
  private readonly retryNotes = new WeakMap<Response, string>();

  /** Per host: whether docker would speak plain HTTP to it (see {@link plainHttp}). */
  private readonly plain = new Map<string, Promise<boolean>>();
  private readonly lookup: (host: string) => Promise<string[]>;

  constructor(options: RegistryClientOptions = {}) {
    this.credentials = options.credentials ?? (() => undefined);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetch = options.fetch ?? nodeFetch;
    // A fetch of the caller's (a test's) has its own hosts: their names are not resolved.
    this.lookup = options.lookup ?? (options.fetch ? () => Promise.resolve([]) : resolveHost);
    this.retry = options.retry ?? NO_RETRY;
    this.sleep = options.sleep;
  }

  /**
   * Learns ahead of the requests, for instance while the build runs, how the registry of each
   * image authenticates: a host that asks for Basic gets the credentials at once, and a Bearer
   * token with the push scope is fetched for the repository. One try each, given up when
   * `signal` aborts (the build is over). Never fails: a request then meets its challenge itself.
   */
  async warmUp(images: string[], signal: AbortSignal): Promise<void> {
    await Promise.allSettled(
      [...new Set(images)].map(async (image) => {
        const ref = await this.local(parseReference(image));
        const push = `${ref.apiHost}/${ref.repository}:push`;
        if (this.authorization.has(push) || this.basicHosts.has(ref.apiHost)) return;
        const what = `asking ${ref.registry} how it authenticates`;
        const ping = await this.sendOnce(
          ref,
          what,
          `${ref.scheme}://${ref.apiHost}/v2/`,
          { method: 'GET' },
          signal,
        );
        await ping.body?.cancel();
        if (ping.status !== 401) return;
        const challenge = parseWwwAuthenticate(ping.headers.get('www-authenticate'));
        if (challenge?.scheme === 'basic') {
          if (this.basic(ref.registry)) this.basicHosts.add(ref.apiHost);
          return;
        }
        const authorization = await this.authorize(ref, what, challenge, 'push', signal);
        if (!authorization || signal.aborted) return;
        // A token for pull and push serves the reads too.
        this.authorization.set(push, authorization);
        this.authorization.set(`${ref.apiHost}/${ref.repository}:pull`, authorization);
      }),
    ).then((results) => {
      for (const result of results) {
        if (result.status === 'rejected') core.debug(`registry warm-up: ${String(result.reason)}`);
      }
    });
  }

  /** The digest `image:tag` points to, or undefined when the tag does not exist. */
  async manifestDigest(image: string, tag: string): Promise<string | undefined> {
    const ref = parseReference(image);
    const what = `reading the digest of ${image}:${tag}`;
    const head = await this.request(ref, what, 'HEAD', `manifests/${tag}`, 'pull');
    if (head.status === 404) return undefined;
    if (!head.ok) throw await this.failure(ref, what, head);
    const digest = head.headers.get('docker-content-digest');
    if (digest) return digest;
    // Some registries leave the header out of HEAD answers: the digest is the hash of the bytes.
    const get = await this.request(ref, what, 'GET', `manifests/${tag}`, 'pull');
    if (get.status === 404) return undefined;
    if (!get.ok) throw await this.failure(ref, what, get);
    const body = Buffer.from(await get.arrayBuffer());
    return get.headers.get('docker-content-digest') ?? sha256(body);
  }

  /** The manifest stored under `digest`, byte for byte, checked against the digest. */
  async getManifest(image: string, digest: string): Promise<Manifest> {
    const ref = parseReference(image);
    const what = `reading the manifest ${image}@${digest}`;
    const response = await this.request(ref, what, 'GET', `manifests/${digest}`, 'pull');
    if (!response.ok) throw await this.failure(ref, what, response);
    const body = Buffer.from(await response.arrayBuffer());
    if (digest.startsWith('sha256:') && sha256(body) !== digest) {
      throw new Error(
        `${what}: ${ref.registry} answered with content whose digest is ${sha256(body)}`,
      );
    }
    return { mediaType: mediaTypeOf(response.headers.get('content-type'), body), body, digest };
  }

  /** The manifest `image:reference` (a tag or a digest), or undefined when there is none. */
  async findManifest(image: string, reference: string): Promise<Manifest | undefined> {
    const ref = parseReference(image);
    const what = `reading the manifest ${image}${reference.includes(':') ? '@' : ':'}${reference}`;
    const response = await this.request(ref, what, 'GET', `manifests/${reference}`, 'pull');
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) throw await this.failure(ref, what, response);
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
  async hasReferrersApi(image: string, digest: string): Promise<boolean> {
    const ref = parseReference(image);
    const what = `asking ${ref.registry} for the referrers of ${image}@${digest}`;
    const response = await this.request(ref, what, 'GET', `referrers/${digest}`, 'pull');
    await response.body?.cancel();
    const type = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    return response.ok && type === 'application/vnd.oci.image.index.v1+json';
  }

  /**
   * The descriptors the OCI referrers API lists for `image@digest`; undefined when the registry
   * has no such API (404, or an answer that is not an OCI index).
   */
  async referrers(image: string, digest: string): Promise<{ digest: string }[] | undefined> {
    const ref = parseReference(image);
    const what = `listing the referrers of ${image}@${digest}`;
    const response = await this.request(ref, what, 'GET', `referrers/${digest}`, 'pull');
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
  async putManifest(image: string, tag: string, manifest: Manifest): Promise<string> {
    const ref = parseReference(image);
    const what = `tagging ${image}:${tag}`;
    const response = await this.request(ref, what, 'PUT', `manifests/${tag}`, 'push', manifest);
    if (!response.ok) throw await this.failure(ref, what, response);
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
  async deleteTag(image: string, tag: string): Promise<boolean> {
    const ref = parseReference(image);
    const what = `removing the tag ${image}:${tag}`;
    const response = await this.request(ref, what, 'DELETE', `manifests/${tag}`, 'push');
    if (response.ok || response.status === 404) {
      await response.body?.cancel();
      return true;
    }
    if ([400, 405, 501].includes(response.status)) {
      await response.body?.cancel();
      return false;
    }
    throw await this.failure(ref, what, response);
  }

  /**
   * The labels of the image config of `image@digest` with the manifest's annotations over them
   * (for an index: of its first platform image, with the index's annotations over those).
   */
  async imageLabels(image: string, digest: string): Promise<Record<string, string>> {
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
    let doc = parse(await this.getManifest(image, digest));
    const layers: Record<string, string>[] = [doc.annotations ?? {}];
    if (doc.manifests) {
      // Attestation manifests (buildx's provenance) have platform unknown/unknown.
      const child = doc.manifests.find(
        (m) =>
          !m.annotations?.['vnd.docker.reference.type'] && (m.platform?.os ?? '') !== 'unknown',
      );
      if (!child) return { ...layers[0] };
      doc = parse(await this.getManifest(image, child.digest));
      layers.unshift(doc.annotations ?? {});
    }
    let labels: Record<string, string> = {};
    if (doc.config?.digest) {
      const config = JSON.parse(
        (await this.getBlob(image, doc.config.digest)).toString('utf8'),
      ) as { config?: { Labels?: Record<string, string> | null } };
      labels = config.config?.Labels ?? {};
    }
    return Object.assign({}, labels, ...layers) as Record<string, string>;
  }

  /** True when `image` has the blob `digest` (a layer or config). */
  async blobExists(image: string, digest: string): Promise<boolean> {
    const ref = parseReference(image);
    const what = `looking for the blob ${digest} in ${image}`;
    const response = await this.request(ref, what, 'HEAD', `blobs/${digest}`, 'pull');
    await response.body?.cancel();
    if (response.status === 404) return false;
    if (!response.ok) throw await this.failure(ref, what, response);
    return true;
  }

  /** The blob `digest` of `image`, checked against the digest. */
  async getBlob(image: string, digest: string): Promise<Buffer> {
    const ref = parseReference(image);
    const what = `reading the blob ${digest} of ${image}`;
    const response = await this.request(ref, what, 'GET', `blobs/${digest}`, 'pull');
    if (!response.ok) throw await this.failure(ref, what, response);
    const body = Buffer.from(await response.arrayBuffer());
    if (digest.startsWith('sha256:') && sha256(body) !== digest) {
      throw new Error(
        `${what}: ${ref.registry} answered with content whose digest is ${sha256(body)}`,
      );
    }
    return body;
  }

  /**
   * Mounts the blob `digest` of the repository `fromImage` into `image` (one registry, no copy
   * of the bytes). Returns true when mounted; false when the registry declined (it then opened
   * an upload, which this cancels by leaving it unused) and the blob must be uploaded.
   */
  async mountBlob(image: string, digest: string, fromImage: string): Promise<boolean> {
    const ref = parseReference(image);
    const from = parseReference(fromImage);
    const what = `mounting the blob ${digest} from ${fromImage} into ${image}`;
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from.repository)}`;
    const response = await this.request(ref, what, 'POST', `blobs/uploads/?${query}`, 'push', {
      body: Buffer.alloc(0),
      contentType: 'application/octet-stream',
    });
    await response.body?.cancel();
    if (response.status === 201) return true;
    if (response.status === 202) return false;
    throw await this.failure(ref, what, response);
  }

  /** Uploads `content` as the blob `digest` of `image` in one request (a monolithic upload). */
  async putBlob(image: string, digest: string, content: Buffer): Promise<void> {
    const ref = parseReference(image);
    const what = `uploading the blob ${digest} to ${image}`;
    const location = await this.openUpload(ref, what);
    const url = new URL(location, `${ref.scheme}://${ref.apiHost}/`);
    url.searchParams.set('digest', digest);
    const put = await this.request(ref, what, 'PUT', url.toString(), 'push', {
      body: content,
      contentType: 'application/octet-stream',
    });
    await put.body?.cancel();
    if (put.status !== 201 && !put.ok) throw await this.failure(ref, what, put);
  }

  /**
   * Copies the blob `digest` of `from` into `to` as a stream: its bytes flow from the GET to
   * the upload's PUT with back-pressure, so memory stays constant whatever the size. Bounded
   * by an idle timer (network-timeout without a byte moving), not by the whole transfer; a
   * transient failure starts the copy over, as the retry policy says. The bytes are checked
   * against the digest on the way (and by the registry). Returns the number of bytes copied.
   */
  async copyBlob(from: string, to: string, digest: string): Promise<number> {
    const source = parseReference(from);
    const ref = parseReference(to);
    const what = `copying the blob ${digest} from ${from} to ${to}`;
    return withRetry(() => this.copyBlobOnce(source, ref, what, digest), this.streamRetry(what));
  }

  /** How a streamed transfer is retried: a whole new attempt on a transient failure. */
  private streamRetry(what: string): RetryOptions {
    return {
      policy: this.retry,
      what,
      classify: (error) =>
        (error as { failure?: Failure }).failure ?? { kind: 'permanent', reason: String(error) },
      log: (line) => core.info(line),
      sleep: this.sleep,
    };
  }

  private async copyBlobOnce(
    source: ImageReference,
    ref: ImageReference,
    what: string,
    digest: string,
  ): Promise<number> {
    const idle = new IdleTimer(this.timeoutMs);
    try {
      const location = await this.openUpload(ref, what);
      idle.arm();
      const get = await this.request(
        source,
        what,
        'GET',
        `blobs/${digest}`,
        'pull',
        undefined,
        idle.signal,
      );
      if (!get.ok || !get.body) throw await this.failure(source, what, get);

      const length = get.headers.get('content-length');
      return await this.uploadStream(ref, what, digest, location, get.body, idle, length);
    } finally {
      idle.clear();
    }
  }

  /**
   * Uploads the file `path` as the blob `digest` of `image`, streamed from the disk (constant
   * memory whatever its size), bounded by an idle timer and retried as {@link copyBlob} is.
   */
  async putBlobFile(image: string, digest: string, path: string, size: number): Promise<number> {
    const ref = parseReference(image);
    const what = `uploading the blob ${digest} to ${image}`;
    return withRetry(async () => {
      const idle = new IdleTimer(this.timeoutMs);
      try {
        const location = await this.openUpload(ref, what);
        idle.arm();
        const file = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
        return await this.uploadStream(ref, what, digest, location, file, idle, String(size));
      } finally {
        idle.clear();
      }
    }, this.streamRetry(what));
  }

  /** Opens a blob upload in `ref`'s repository; returns its Location. */
  private async openUpload(ref: ImageReference, what: string): Promise<string> {
    const start = await this.request(ref, what, 'POST', 'blobs/uploads/', 'push', {
      body: Buffer.alloc(0),
      contentType: 'application/octet-stream',
    });
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) {
      if (start.ok) throw new Error(`${what}: ${ref.registry} opened no upload (no Location)`);
      throw await this.failure(ref, what, start);
    }
    return location;
  }

  /**
   * Sends `body` as the blob `digest` to the upload at `location`, with back-pressure: each
   * chunk re-arms the idle timer and is hashed, and the bytes must have the digest. Returns the
   * number of bytes sent.
   */
  private async uploadStream(
    ref: ImageReference,
    what: string,
    digest: string,
    location: string,
    body: ReadableStream<Uint8Array>,
    idle: IdleTimer,
    length: string | null,
  ): Promise<number> {
    const hash = createHash('sha256');
    let bytes = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          idle.arm();
          hash.update(chunk);
          if (Math.floor((bytes + chunk.length) / GC_EVERY) > Math.floor(bytes / GC_EVERY)) {
            collectGarbage();
          }
          bytes += chunk.length;
          controller.enqueue(chunk);
        },
        flush(controller) {
          const found = `sha256:${hash.digest('hex')}`;
          if (digest.startsWith('sha256:') && found !== digest) {
            controller.error(new Error(`${what}: the bytes read have the digest ${found}`));
          }
        },
      }),
    );
    const url = new URL(location, `${ref.scheme}://${ref.apiHost}/`);
    url.searchParams.set('digest', digest);
    // The upload was opened with this repository's push authorization; the PUT carries it
    // only to the registry's own origin. A stream cannot be sent twice: no 401 round trip.
    const own = url.origin === `${ref.scheme}://${ref.apiHost}`;
    const authorization = own
      ? (this.authorization.get(`${ref.apiHost}/${ref.repository}:push`) ??
        (this.basicHosts.has(ref.apiHost) ? this.basic(ref.registry) : undefined))
      : undefined;
    const put = await this.sendOnce(
      ref,
      what,
      url.toString(),
      {
        method: 'PUT',
        headers: {
          'Content-Type': 'application/octet-stream',
          ...(length ? { 'Content-Length': length } : {}),
          ...(authorization ? { Authorization: authorization } : {}),
        },
        body: counted,
        duplex: 'half',
      },
      undefined,
      idle.signal,
    );
    await put.body?.cancel();
    if (put.status !== 201 && !put.ok) {
      const failure = classifyStatus(put.status, put.headers.get('retry-after'));
      throw Object.assign(await this.failure(ref, what, put), { failure });
    }
    return bytes;
  }

  /**
   * One request to `path` below `/v2/<repository>/` (or to an absolute URL the registry gave,
   * such as an upload location), authenticated as the registry asks.
   */
  private async request(
    ref: ImageReference,
    what: string,
    method: string,
    path: string,
    access: Access,
    upload?: Manifest | { body: Buffer; contentType: string },
    /** Replaces the network-timeout bound (a streamed body is bounded by an idle timer). */
    bound?: AbortSignal,
  ): Promise<Response> {
    await this.local(ref);
    const url = /^https?:\/\//.test(path)
      ? path
      : `${ref.scheme}://${ref.apiHost}/v2/${ref.repository}/${path}`;
    const key = `${ref.apiHost}/${ref.repository}:${access}`;
    const contentType = upload
      ? 'mediaType' in upload
        ? upload.mediaType
        : upload.contentType
      : undefined;
    const send = (authorization: string | undefined): Promise<Response> =>
      this.send(ref, what, url, bound, {
        method,
        headers: {
          ...(contentType
            ? { 'Content-Type': contentType }
            : { Accept: MANIFEST_TYPES.join(', ') }),
          ...(authorization ? { Authorization: authorization } : {}),
        },
        ...(upload ? { body: new Uint8Array(upload.body) } : {}),
        // A request bounded by an idle timer streams its answer (nodeFetch buffers otherwise).
        ...(bound ? { stream: true } : {}),
      });

    // Credentials go only to the registry's own origin: an upload Location on another host, or
    // over plain http where the registry is https, gets none.
    if (new URL(url).origin !== `${ref.scheme}://${ref.apiHost}`) return send(undefined);
    // A host that took Basic credentials gets them at once: no 401 round trip per repository.
    const known =
      this.authorization.get(key) ??
      (this.basicHosts.has(ref.apiHost) ? this.basic(ref.registry) : undefined);
    let response = await send(known);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate'));
    const authorization = await this.authorize(ref, what, challenge, access);
    if (!authorization) return response;
    this.authorization.set(key, authorization);
    if (challenge?.scheme === 'basic') this.basicHosts.add(ref.apiHost);
    response = await send(authorization);
    return response;
  }

  /**
   * Sets `ref.scheme` to `http` when docker would speak plain HTTP to the registry: its host is
   * a name that resolves to loopback addresses only (docker's default insecure range is
   * 127.0.0.0/8; `localhost` and loopback IPs are http already). Resolved once per host; a name
   * that does not resolve here (behind a proxy) stays https. Returns `ref`.
   */
  private async local(ref: ImageReference): Promise<ImageReference> {
    if (ref.scheme === 'http') return ref;
    const host = ref.apiHost.replace(/:\d+$/, '');
    if (/^[\d.]+$|^\[/.test(host)) return ref;
    let plain = this.plain.get(host);
    if (!plain) {
      plain = this.lookup(host).then(
        (addresses) => addresses.length > 0 && addresses.every(isLoopbackAddress),
        () => false,
      );
      this.plain.set(host, plain);
    }
    if (await plain) ref.scheme = 'http';
    return ref;
  }

  /** The Basic Authorization header of the registry's credentials; undefined without any. */
  private basic(registry: string): string | undefined {
    const credentials = this.credentials(registry);
    // An identity token is only good for the token service (an OAuth2 refresh token).
    return credentials?.password
      ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
      : undefined;
  }

  /** The Authorization header that answers a challenge, or undefined when there is nothing to try. */
  private async authorize(
    ref: ImageReference,
    what: string,
    challenge: Challenge | undefined,
    access: Access,
    /** For the warm-up: one try, abandoned when this signal aborts. */
    signal?: AbortSignal,
  ): Promise<string | undefined> {
    const credentials = this.credentials(ref.registry);
    const basic = this.basic(ref.registry);
    if (challenge?.scheme !== 'bearer') return basic;

    const realm = challenge.params.realm;
    if (!realm)
      throw new Error(`${what}: ${ref.registry} asked for a token without saying where to get it`);
    let tokenUrl: URL;
    try {
      tokenUrl = new URL(realm);
    } catch {
      throw new Error(
        `${what}: ${ref.registry} asked for a token from "${realm}", which is not a URL`,
      );
    }
    // The password goes to a token service only over https (a loopback one aside, as docker does).
    if ((basic || credentials) && tokenUrl.protocol !== 'https:' && !isLoopback(tokenUrl.host)) {
      throw new Error(
        `${what}: ${ref.registry} asked for a token from ${tokenUrl.origin}, over plain http; credentials are sent to a token service only over https`,
      );
    }
    if (challenge.params.service) tokenUrl.searchParams.set('service', challenge.params.service);
    tokenUrl.searchParams.set(
      'scope',
      `repository:${ref.repository}:${access === 'push' ? 'pull,push' : 'pull'}`,
    );
    core.debug(
      `registry token: ${tokenUrl.origin}${tokenUrl.pathname} for ${tokenUrl.searchParams.get('scope')}`,
    );
    // An identity token (ACR, a credential helper's `<token>` login) is exchanged as docker
    // does: an OAuth2 refresh-token grant POSTed to the realm.
    const identityToken = credentials?.identityToken;
    const init: RequestInit = identityToken
      ? {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: identityToken,
            service: challenge.params.service ?? '',
            scope: tokenUrl.searchParams.get('scope') ?? '',
            client_id: 'build-tag-push',
          }).toString(),
        }
      : { method: 'GET', headers: basic ? { Authorization: basic } : {} };
    const url = identityToken ? realm : tokenUrl.toString();
    const response = signal
      ? await this.sendOnce(ref, what, url, init, signal)
      : await this.send(ref, what, url, undefined, init);
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(
        `${what}: ${statusMeaning(ref.registry, response.status, credentials)} (token request to ${tokenUrl.host}, HTTP ${response.status})`,
      );
    }
    const json = (await response.json().catch(() => ({}))) as {
      token?: unknown;
      access_token?: unknown;
    };
    const token = typeof json.token === 'string' ? json.token : json.access_token;
    if (typeof token !== 'string' || !token) {
      throw new Error(
        `${what}: the token service ${tokenUrl.host} of ${ref.registry} answered without a token`,
      );
    }
    return `Bearer ${token}`;
  }

  /**
   * One request, retried on a transient failure as the policy says. When retries run out, a
   * transient HTTP answer is returned (the caller turns it into an error) and a network error
   * is thrown.
   */
  private async send(
    ref: ImageReference,
    what: string,
    url: string,
    bound: AbortSignal | undefined,
    init: RequestInit,
  ): Promise<Response> {
    try {
      return await withRetry(
        async () => {
          const response = await this.sendOnce(ref, what, url, init, undefined, bound);
          const failure = classifyStatus(response.status, response.headers.get('retry-after'));
          if (failure.kind !== 'transient') return response;
          // Read now: the answer may be returned after the retries, with its error text.
          const text = await response.text().catch(() => '');
          const kept = new Response(response.status === 204 ? null : text, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          });
          throw new RetryableAnswer(kept, {
            ...failure,
            reason: `${ref.registry} answered ${failure.reason}`,
          });
        },
        {
          policy: this.retry,
          what,
          classify: (error) =>
            error instanceof RetryableAnswer
              ? error.failure
              : ((error as { failure?: Failure }).failure ?? {
                  kind: 'permanent',
                  reason: String(error),
                }),
          log: (line) => core.info(line),
          sleep: this.sleep,
        },
      );
    } catch (error) {
      if (error instanceof RetryableAnswer) {
        const note = retryNoteOf(error);
        if (note) this.retryNotes.set(error.response, note);
        return error.response;
      }
      throw error;
    }
  }

  private async sendOnce(
    ref: ImageReference,
    what: string,
    url: string,
    init: RequestInit,
    signal?: AbortSignal,
    /** Replaces the network-timeout bound of the whole request. */
    bound?: AbortSignal,
  ): Promise<Response> {
    const timeout = bound ?? AbortSignal.timeout(this.timeoutMs);
    try {
      return await this.fetch(url, {
        ...init,
        redirect: 'follow',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (error) {
      const host = new URL(url).host;
      const failure = classifyNetworkError(error);
      // fetch rejects with a DOMException (TimeoutError) on timeout: checked by name, not by class.
      const { name, message, cause } = (error ?? {}) as {
        name?: unknown;
        message?: unknown;
        cause?: unknown;
      };
      if (name === 'TimeoutError' || name === 'AbortError') {
        const limit = `${this.timeoutMs >= 1000 ? `${this.timeoutMs / 1000} s` : `${this.timeoutMs} ms`} (network-timeout)`;
        throw Object.assign(new Error(`${what}: ${host} did not answer within ${limit}`), {
          failure: { ...failure, reason: `${host} did not answer within ${limit}` },
        });
      }
      const causeMessage = (cause as { message?: unknown } | undefined)?.message;
      const reason = typeof causeMessage === 'string' ? causeMessage : String(message ?? error);
      throw Object.assign(new Error(`${what}: cannot reach ${ref.scheme}://${host} (${reason})`), {
        failure,
      });
    }
  }

  private async failure(ref: ImageReference, what: string, response: Response): Promise<Error> {
    const text =
      response.status === 401 || response.status === 403
        ? ''
        : await response.text().catch(() => '');
    if (response.status === 401 || response.status === 403) await response.body?.cancel();
    const detail = registryErrors(text);
    const meaning = statusMeaning(ref.registry, response.status, this.credentials(ref.registry));
    const note = this.retryNotes.get(response);
    return new Error(
      `${what}: ${meaning} (HTTP ${response.status}${detail ? `: ${detail}` : ''}${note ? `; ${note}` : ''})`,
    );
  }
}

function statusMeaning(
  registry: string,
  status: number,
  credentials: Credentials | undefined,
): string {
  if (status === 401 || status === 403) {
    return credentials
      ? `${registry} refused the credentials for "${credentials.username}"`
      : `no credentials were given for ${registry}; add it to registry-auth`;
  }
  if (status === 404) return `${registry} has no such manifest or repository`;
  return `${registry} answered an error`;
}

/** The `errors` of a registry's JSON error answer, shortened. */
function registryErrors(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: unknown; message?: unknown }[] };
    if (Array.isArray(parsed.errors)) {
      return parsed.errors
        .map((e) =>
          [e.code, e.message].filter((part) => typeof part === 'string' && part).join(' '),
        )
        .filter(Boolean)
        .join('; ')
        .slice(0, 300);
    }
  } catch {
    // Not JSON: fall through to the plain text.
  }
  return text.trim().slice(0, 200);
}

function mediaTypeOf(contentType: string | null, body: Buffer): string {
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

/** Bytes of a streamed blob between two garbage collections. */
const GC_EVERY = 16 * 1024 * 1024;
let gc: (() => void) | undefined;

/**
 * Frees the chunks a streamed blob has gone through. V8 collects them only once about 64 MB
 * of them pile up, which would be the action's largest use of memory; a collection every
 * GC_EVERY bytes keeps a copy's memory flat whatever the blob's size.
 */
function collectGarbage(): void {
  try {
    if (!gc) {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    gc = () => undefined;
  }
}

/**
 * An abort signal that fires when `arm` has not been called for `ms`: the bound of a
 * transfer that may rightly take long, as long as bytes keep moving.
 */
class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.controller.abort(new DOMException('no byte moved', 'TimeoutError')),
      this.ms,
    );
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}

export function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}
