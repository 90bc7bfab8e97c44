// The blob operations of one repository: exists, get, mount, monolithic and streamed upload, copy with an idle timer.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Repository, Session } from './session.js';
import { sha256 } from '../oci/manifest.js';
import type { ImageReference } from '../oci/reference.js';
import { classifyStatus, withRetry } from '../retry.js';

/** The blobs (layers, configs) of one repository, through the client's session. */
export class Blobs {
  constructor(
    private readonly session: Session,
    private readonly repo: Repository,
  ) {}

  /** True when `image` has the blob `digest` (a layer or config). */
  async exists(digest: string): Promise<boolean> {
    const { image, ref } = this.repo;
    const what = `looking for the blob ${digest} in ${image}`;
    const response = await this.session.request(ref, what, 'HEAD', `blobs/${digest}`, 'pull');
    await response.body?.cancel();
    if (response.status === 404) return false;
    if (!response.ok) throw await this.session.failure(ref, what, response);
    return true;
  }

  /** The blob `digest` of `image`, checked against the digest. */
  async get(digest: string): Promise<Buffer> {
    const { image, ref } = this.repo;
    const what = `reading the blob ${digest} of ${image}`;
    const response = await this.session.request(ref, what, 'GET', `blobs/${digest}`, 'pull');
    if (!response.ok) throw await this.session.failure(ref, what, response);
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
  async mount(digest: string, source: Repository): Promise<boolean> {
    const { image, ref } = this.repo;
    const { image: fromImage, ref: from } = source;
    const what = `mounting the blob ${digest} from ${fromImage} into ${image}`;
    const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from.repository)}`;
    const response = await this.session.request(
      ref,
      what,
      'POST',
      `blobs/uploads/?${query}`,
      'push',
      {
        body: Buffer.alloc(0),
        contentType: 'application/octet-stream',
      },
    );
    await response.body?.cancel();
    if (response.status === 201) return true;
    if (response.status === 202) return false;
    throw await this.session.failure(ref, what, response);
  }

  /** Uploads `content` as the blob `digest` of the repository in one request (a monolithic upload). */
  async put(digest: string, content: Buffer): Promise<void> {
    const { image, ref } = this.repo;
    const what = `uploading the blob ${digest} to ${image}`;
    const location = await this.openUpload(ref, what);
    const url = new URL(location, `${ref.scheme}://${ref.apiHost}/`);
    url.searchParams.set('digest', digest);
    const put = await this.session.request(ref, what, 'PUT', url.toString(), 'push', {
      body: content,
      contentType: 'application/octet-stream',
    });
    await put.body?.cancel();
    if (put.status !== 201 && !put.ok) throw await this.session.failure(ref, what, put);
  }

  /**
   * Copies the blob `digest` of `source` into this repository as a stream: its bytes flow from the GET to
   * the upload's PUT with back-pressure, so memory stays constant whatever the size. Bounded
   * by an idle timer (network-timeout without a byte moving), not by the whole transfer; a
   * transient failure starts the copy over, as the retry policy says. The bytes are checked
   * against the digest on the way (and by the registry). Returns the number of bytes copied.
   */
  async copyFrom(source: Repository, digest: string): Promise<number> {
    const what = `copying the blob ${digest} from ${source.image} to ${this.repo.image}`;
    return withRetry(
      () => this.copyOnce(source.ref, this.repo.ref, what, digest),
      this.session.streamRetry(what),
    );
  }

  private async copyOnce(
    source: ImageReference,
    ref: ImageReference,
    what: string,
    digest: string,
  ): Promise<number> {
    const idle = new IdleTimer(this.session.timeoutMs);
    try {
      const location = await this.openUpload(ref, what);
      idle.arm();
      const get = await this.session.request(
        source,
        what,
        'GET',
        `blobs/${digest}`,
        'pull',
        undefined,
        idle.signal,
      );
      if (!get.ok || !get.body) throw await this.session.failure(source, what, get);

      const length = get.headers.get('content-length');
      return await this.uploadStream(ref, what, digest, location, get.body, idle, length, source);
    } finally {
      idle.clear();
    }
  }

  /**
   * Uploads the file `path` as the blob `digest` of `image`, streamed from the disk (constant
   * memory whatever its size), bounded by an idle timer and retried as {@link copyFrom} is.
   */
  async putFile(digest: string, path: string, size: number): Promise<number> {
    const { image, ref } = this.repo;
    const what = `uploading the blob ${digest} to ${image}`;
    return withRetry(async () => {
      const idle = new IdleTimer(this.session.timeoutMs);
      try {
        const location = await this.openUpload(ref, what);
        idle.arm();
        const file = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
        return await this.uploadStream(ref, what, digest, location, file, idle, String(size));
      } finally {
        idle.clear();
      }
    }, this.session.streamRetry(what));
  }

  /** Opens a blob upload in `ref`'s repository; returns its Location. */
  private async openUpload(ref: ImageReference, what: string): Promise<string> {
    const start = await this.session.request(ref, what, 'POST', 'blobs/uploads/', 'push', {
      body: Buffer.alloc(0),
      contentType: 'application/octet-stream',
    });
    await start.body?.cancel();
    const location = start.headers.get('location');
    if (start.status !== 202 || !location) {
      if (start.ok) throw new Error(`${what}: ${ref.registry} opened no upload (no Location)`);
      throw await this.session.failure(ref, what, start);
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
    /** Where the bytes come from, when another registry: named when it stalls. */
    source?: ImageReference,
  ): Promise<number> {
    const hash = createHash('sha256');
    let bytes = 0;
    // Set while the upload waits for the source's next chunk: a stall then is the source's.
    let awaitingSource = false;
    const reader = body.getReader();
    const counted = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          awaitingSource = true;
          const { done, value } = await reader.read();
          awaitingSource = false;
          if (done) {
            const found = `sha256:${hash.digest('hex')}`;
            if (digest.startsWith('sha256:') && found !== digest) {
              controller.error(new Error(`${what}: the bytes read have the digest ${found}`));
            } else controller.close();
            return;
          }
          idle.arm();
          hash.update(value);
          if (Math.floor((bytes + value.length) / GC_EVERY) > Math.floor(bytes / GC_EVERY)) {
            collectGarbage();
          }
          bytes += value.length;
          controller.enqueue(value);
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    const timeoutMs = this.session.timeoutMs;
    const stalledSource = (): Error | undefined =>
      source && idle.signal.aborted && awaitingSource
        ? Object.assign(
            new Error(
              `${what}: the source ${source.registry} sent no byte within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`} (network-timeout), after ${bytes} bytes`,
            ),
            { failure: { kind: 'transient', reason: `the source ${source.registry} stalled` } },
          )
        : undefined;
    const url = new URL(location, `${ref.scheme}://${ref.apiHost}/`);
    url.searchParams.set('digest', digest);
    // The upload was opened with this repository's push authorization; the PUT carries it
    // only to the registry's own origin. A stream cannot be sent twice: no 401 round trip.
    const authorization = this.session.authorizationFor(ref, url.toString(), 'push');
    const put = await this.session
      .sendOnce(
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
      )
      .catch((error: unknown) => {
        throw stalledSource() ?? error;
      });
    await put.body?.cancel();
    if (put.status !== 201 && !put.ok) {
      const failure = classifyStatus(put.status, put.headers.get('retry-after'));
      throw Object.assign(await this.session.failure(ref, what, put), { failure });
    }
    return bytes;
  }
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
