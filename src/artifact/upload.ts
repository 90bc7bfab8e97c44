import * as core from '@actions/core';
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeFetch } from '../http.js';
import { INVALID_NAME_CHARACTERS, invalidNameCharacters } from './name.js';
import { zipArchive, type ZipEntry } from './zip.js';

// The upload protocol of @actions/artifact v6 (actions/upload-artifact@v4 and later), spoken
// directly: that client bundles Azure's storage SDK and an archiver, 4 MB of the 5 MB this
// action's bundle had, to send four small requests. __tests__/e2e/artifact-upload.test.ts
// checks that both clients send the same requests.

const SERVICE = 'github.actions.results.api.v1.ArtifactService';
/** The artifact backend version @actions/artifact 6 creates. */
const ARTIFACT_VERSION = 7;
/** The Azure Blob Storage REST API version @azure/storage-blob 12.34 sends. */
const BLOB_API_VERSION = '2026-10-06';
const USER_AGENT = 'build-tag-push';

export interface UploadOptions {
  /** ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL, as the runner sets them. */
  env?: Record<string, string | undefined>;
  /** Attempts of a request that failed with a 5xx or 429 answer (5, as @actions/artifact). */
  maxAttempts?: number;
  /** Wait before the first retry; it grows by half at each retry (3 s, as @actions/artifact). */
  retryDelayMs?: number;
  timeoutMs?: number;
  now?: Date;
  fetch?: typeof fetch;
}

export interface UploadedArtifact {
  id: string;
  /** Bytes of the zip archive. */
  size: number;
  /** `sha256:<hex>` of the zip archive. */
  digest: string;
}

export { invalidNameCharacters } from './name.js';

/**
 * The workflow run and job IDs in the `scp` claim of ACTIONS_RUNTIME_TOKEN
 * (`Actions.Results:<run>:<job>`). The token's signature is the service's business. Pure.
 */
export function backendIds(token: string): { run: string; job: string } {
  const invalid = new Error(
    'ACTIONS_RUNTIME_TOKEN is not a token with an Actions.Results:<run>:<job> scope',
  );
  const payload = token.split('.')[1];
  if (!payload) throw invalid;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const scp = (claims as { scp?: unknown } | null)?.scp;
  if (typeof scp !== 'string') throw invalid;
  for (const scope of scp.split(' ')) {
    const parts = scope.split(':');
    if (parts[0] !== 'Actions.Results') continue;
    if (parts.length !== 3 || !parts[1] || !parts[2]) throw invalid;
    return { run: parts[1], job: parts[2] };
  }
  throw invalid;
}

/**
 * Uploads files as one zipped workflow artifact: CreateArtifact, the zip as one block of the
 * signed blob URL, the block list, FinalizeArtifact. Fails with the service's own message.
 */
export async function uploadArtifact(
  name: string,
  files: ZipEntry[],
  options: UploadOptions = {},
): Promise<UploadedArtifact> {
  const env = options.env ?? process.env;
  const token = env.ACTIONS_RUNTIME_TOKEN;
  const resultsUrl = env.ACTIONS_RESULTS_URL;
  if (!token) throw new Error('ACTIONS_RUNTIME_TOKEN is not set');
  if (!resultsUrl || !URL.canParse(resultsUrl))
    throw new Error(
      `ACTIONS_RESULTS_URL is ${resultsUrl ? `"${resultsUrl}", not a URL` : 'not set'}`,
    );
  const invalid = invalidNameCharacters(name);
  if (invalid.length > 0) {
    throw new Error(
      `"${name}" is not an artifact name: it has ${invalid.map((c) => JSON.stringify(c)).join(', ')}; these cannot be in one: ${INVALID_NAME_CHARACTERS.map((c) => JSON.stringify(c)).join(' ')}`,
    );
  }
  const client = new Client(token, new URL(resultsUrl).origin, options);
  const ids = backendIds(token);
  const owner = { workflow_run_backend_id: ids.run, workflow_job_run_backend_id: ids.job };

  const created = await client.twirp('CreateArtifact', {
    ...owner,
    name,
    version: ARTIFACT_VERSION,
    mime_type: 'application/zip',
  });
  const signedUrl = created.signed_upload_url;
  if (created.ok !== true || typeof signedUrl !== 'string' || !URL.canParse(signedUrl))
    throw new Error('CreateArtifact: the results service answered without an upload URL');
  const signature = new URL(signedUrl).searchParams.get('sig');
  if (signature) {
    core.setSecret(signature);
    core.setSecret(encodeURIComponent(signature));
  }

  const archive = zipArchive(files, options.now ?? new Date());
  const digest = `sha256:${createHash('sha256').update(archive).digest('hex')}`;
  // Block IDs as Azure's SDK makes them: a UUID and the block number, 48 characters, base64.
  const blockId = Buffer.from(`${randomUUID()}${'0'.repeat(12)}`).toString('base64');
  await client.blob(
    withQuery(signedUrl, `comp=block&blockid=${encodeURIComponent(blockId)}`),
    archive,
    {
      'Content-Type': 'application/octet-stream',
    },
  );
  await client.blob(
    withQuery(signedUrl, 'comp=blocklist'),
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><BlockList><Latest>${blockId}</Latest></BlockList>`,
    ),
    { 'Content-Type': 'application/xml', 'x-ms-blob-content-type': 'application/zip' },
  );

  const finalized = await client.twirp('FinalizeArtifact', {
    ...owner,
    name,
    size: String(archive.length),
    hash: digest,
  });
  const id = finalized.artifact_id;
  if (finalized.ok !== true || (typeof id !== 'string' && typeof id !== 'number'))
    throw new Error('FinalizeArtifact: the results service answered without an artifact ID');
  return { id: String(id), size: archive.length, digest };
}

class Client {
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly token: string,
    private readonly origin: string,
    options: UploadOptions,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 3000;
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
    this.fetch = options.fetch ?? nodeFetch;
  }

  /** A Twirp JSON call to the results service; its JSON answer. */
  async twirp(method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const url = `${this.origin}/twirp/${SERVICE}/${method}`;
    return await this.retrying<Record<string, unknown>>(async () => {
      const response = await this.send(method, url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${this.token}`,
          'User-Agent': USER_AGENT,
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // The service answers JSON, errors included; anything else is a proxy or an outage.
        return {
          retry: true,
          error: `${method}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`,
        };
      }
      const record = (typeof json === 'object' && json !== null ? json : {}) as Record<
        string,
        unknown
      >;
      if (response.ok) return { value: record };
      const msg = typeof record.msg === 'string' ? `: ${record.msg}` : '';
      return {
        retry: retryable(response.status),
        error: `${method}: the results service answered HTTP ${response.status}${msg}`,
      };
    });
  }

  /** A PUT to the signed blob URL; Azure answers 201 Created. */
  async blob(url: string, body: Buffer, headers: Record<string, string>): Promise<void> {
    const what = url.includes('comp=blocklist') ? 'block list upload' : 'block upload';
    await this.retrying(async () => {
      const response = await this.send(what, url, {
        method: 'PUT',
        headers: { ...headers, 'x-ms-version': BLOB_API_VERSION, 'User-Agent': USER_AGENT },
        body: new Uint8Array(body),
      });
      const text = await response.text();
      if (response.status === 201) return { value: undefined };
      const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
      return {
        retry: retryable(response.status),
        error: `${what}: the blob store answered HTTP ${response.status}${code ? ` (${code})` : ''}`,
      };
    });
  }

  private async send(what: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { message?: unknown } };
      const reason =
        name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000} s`
          : typeof cause?.message === 'string'
            ? cause.message
            : String(error);
      throw new Error(`${what}: cannot reach ${new URL(url).host} (${reason})`);
    }
  }

  private async retrying<T>(
    attempt: () => Promise<{ value: T } | { retry: boolean; error: string }>,
  ): Promise<T> {
    let delay = this.retryDelayMs;
    for (let n = 1; ; n++) {
      const result = await attempt();
      if ('value' in result) return result.value;
      if (!result.retry || n >= this.maxAttempts) {
        throw new Error(n > 1 ? `${result.error} (after ${n} attempts)` : result.error);
      }
      core.info(`${result.error}; attempt ${n + 1} of ${this.maxAttempts} in ${delay} ms`);
      await sleep(delay);
      delay = Math.round(delay * 1.5);
    }
  }
}

// The signed URL's own parameters (the signature) stay byte for byte as the service wrote them.
function withQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

function retryable(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}
