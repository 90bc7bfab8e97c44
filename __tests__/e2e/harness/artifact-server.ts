import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { readZip, writeZip } from './zip.js';

/** A workflow artifact the server received and finalized. */
export interface UploadedArtifact {
  id: number;
  name: string;
  mimeType?: string;
  /** `size` the client declared in FinalizeArtifact. */
  size: number;
  /** `hash` the client declared in FinalizeArtifact (`sha256:...`). */
  hash?: string;
  /** sha256 of the bytes the server actually received, in the same form. */
  receivedHash: string;
  /** The uploaded blob (a zip, or the raw file for `skipArchive` uploads). */
  blob: Buffer;
  /** The files inside, by their path in the artifact. */
  files: Record<string, Buffer>;
}

/** One request the server answered, for assertions on the protocol. */
export interface ArtifactRequest {
  method: string;
  /** Twirp method name (`CreateArtifact`) or `block`, `blocklist`, `blob`. */
  kind: string;
  status: number;
  /** The request's query parameters, headers and body, to compare clients on the wire. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Options of {@link startArtifactServer}. */
export interface ArtifactServerOptions {
  /** Answer this step with an error, to test how the action copes. */
  failOn?: 'CreateArtifact' | 'upload' | 'FinalizeArtifact';
  /** The workflow run's backend ID: one server is one run. */
  runId?: string;
  /** The backend ID of the job {@link ArtifactServer.runtimeToken} is for. */
  jobId?: string;
  /**
   * Host name in the URLs the server hands out (ACTIONS_RESULTS_URL, signed upload URLs);
   * default 127.0.0.1. A name only a test proxy resolves makes every request go through it.
   */
  host?: string;
}

/** A stand-in for the GitHub Actions results service, on 127.0.0.1. */
export interface ArtifactServer {
  /** ACTIONS_RESULTS_URL, e.g. `http://127.0.0.1:PORT/`. */
  url: string;
  /** ACTIONS_RUNTIME_TOKEN: an unsigned JWT with the `Actions.Results:<runId>:<jobId>` scope. */
  runtimeToken: string;
  /** Both variables, to spread into `runAction({ env })`. */
  env: { ACTIONS_RUNTIME_TOKEN: string; ACTIONS_RESULTS_URL: string };
  /**
   * The variables for another job of the same run (a matrix job): a runtime token whose scope
   * names `jobId`. Artifacts are per run, as on GitHub: every job sees (and lists) them all.
   */
  jobEnv(jobId: string): { ACTIONS_RUNTIME_TOKEN: string; ACTIONS_RESULTS_URL: string };
  /** Finalized artifacts, in upload order. */
  uploads: UploadedArtifact[];
  requests: ArtifactRequest[];
  /**
   * Puts an artifact in the run as if the job `jobId` had uploaded it (any job of a run can
   * upload any name), replacing one of the same name: what the action must not trust blindly.
   */
  seed(name: string, files: Record<string, string>, jobId: string): void;
  stop(): Promise<void>;
}

const twirpPrefix = '/twirp/github.actions.results.api.v1.ArtifactService/';

interface Pending {
  id: number;
  name: string;
  /** The job that created it. */
  jobId: string;
  mimeType?: string;
  blocks: Map<string, Buffer>;
  blob?: Buffer;
  /** The blob's Content-Type, as the upload set it (`x-ms-blob-content-type`); served back on GET. */
  contentType?: string;
  /** `hash` of FinalizeArtifact (`sha256:...`): ListArtifacts gives it as `digest`. */
  hash?: string;
  finalized: boolean;
}

/**
 * Starts a local HTTP server that speaks the results-service protocol of
 * @actions/artifact v6 (ENGINE.md): CreateArtifact returns a signed blob URL,
 * the client PUTs blocks (201) and a block list (201), then FinalizeArtifact.
 * ListArtifacts, GetSignedArtifactURL and DeleteArtifact are answered too.
 * Errors are JSON, as the client needs (anything else makes it retry).
 */
export async function startArtifactServer(
  options: ArtifactServerOptions = {},
): Promise<ArtifactServer> {
  const runId = options.runId ?? 'e2e-run-backend-id';
  const jobId = options.jobId ?? 'e2e-job-backend-id';
  // Token -> the job it was issued for.
  const tokens = new Map<string, string>();
  const tokenFor = (job: string): string => {
    const existing = [...tokens].find(([, j]) => j === job)?.[0];
    if (existing) return existing;
    const token = unsignedJwt({
      scp: `Actions.ExampleScope Actions.Results:${runId}:${job}`,
      iss: 'e2e',
      exp: Math.floor(Date.now() / 1000) + 3600,
    });
    tokens.set(token, job);
    return token;
  };
  const runtimeToken = tokenFor(jobId);
  const uploads: UploadedArtifact[] = [];
  const requests: ArtifactRequest[] = [];
  const artifacts = new Map<string, Pending>();
  let nextId = 1000;
  let base = '';

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', base);
    const wire = { query: Object.fromEntries(url.searchParams), headers: request.headers, body };
    const reply = (kind: string, status: number, payload: unknown, headers = {}): void => {
      requests.push({ method: request.method ?? '', kind, status, ...wire });
      const text = payload === undefined ? '' : JSON.stringify(payload);
      response.writeHead(status, {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
        ...headers,
      });
      response.end(text);
    };
    const twirpError = (kind: string, status: number, code: string, msg: string): void =>
      reply(kind, status, { code, msg });

    if (request.method === 'POST' && url.pathname.startsWith(twirpPrefix)) {
      const method = url.pathname.slice(twirpPrefix.length);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return twirpError(method, 400, 'malformed', 'request body is not JSON');
      }
      const tokenJob = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (tokenJob === undefined) {
        return twirpError(method, 401, 'unauthenticated', 'missing or wrong runtime token');
      }
      // Uploads name the caller's own job; a download or a delete names the job that uploaded
      // the artifact (as ListArtifacts gives it), whichever job of the run asks (upload-artifact's
      // `overwrite` deletes an earlier attempt's artifact so).
      const artifactJob =
        (method === 'GetSignedArtifactURL' || method === 'DeleteArtifact') &&
        typeof input.name === 'string'
          ? artifacts.get(input.name)?.jobId
          : undefined;
      if (
        input.workflow_run_backend_id !== runId ||
        input.workflow_job_run_backend_id !== (artifactJob ?? tokenJob)
      ) {
        return twirpError(method, 400, 'invalid_argument', 'backend ids do not match the token');
      }
      const name = typeof input.name === 'string' ? input.name : '';
      if (method === options.failOn) {
        return twirpError(method, 403, 'permission_denied', `${method} refused (failOn)`);
      }
      switch (method) {
        case 'CreateArtifact': {
          if (!name) return twirpError(method, 400, 'invalid_argument', 'name is required');
          if (artifacts.get(name)?.finalized) {
            return twirpError(
              method,
              409,
              'already_exists',
              'an artifact with this name already exists on the workflow run',
            );
          }
          const id = nextId++;
          const mime = input.mime_type;
          artifacts.set(name, {
            id,
            name,
            jobId: tokenJob,
            mimeType: typeof mime === 'string' ? mime : undefined,
            blocks: new Map(),
            finalized: false,
          });
          return reply(method, 200, {
            ok: true,
            signed_upload_url: `${base}e2e-blobs/${runId}/${id}?sig=e2e`,
          });
        }
        case 'FinalizeArtifact': {
          const pending = artifacts.get(name);
          if (!pending?.blob) {
            return twirpError(method, 404, 'not_found', `no uploaded blob for artifact "${name}"`);
          }
          pending.finalized = true;
          const hash = isRecord(input.hash) ? input.hash.value : input.hash;
          if (typeof hash === 'string') pending.hash = hash;
          const isZip = pending.blob.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
          uploads.push({
            id: pending.id,
            name,
            mimeType: pending.mimeType,
            size: Number(input.size ?? 0),
            hash: typeof hash === 'string' ? hash : undefined,
            receivedHash: `sha256:${createHash('sha256').update(pending.blob).digest('hex')}`,
            blob: pending.blob,
            files: isZip ? readZip(pending.blob) : { [name]: pending.blob },
          });
          return reply(method, 200, { ok: true, artifact_id: String(pending.id) });
        }
        case 'ListArtifacts': {
          // The run's finalized artifacts, whichever job uploaded them (as the results
          // service answers), narrowed by the optional name and ID filters.
          // Wrapper types (StringValue, Int64Value) are bare values in protobuf's JSON form.
          const unwrap = (value: unknown): unknown => (isRecord(value) ? value.value : value);
          const nameFilter = unwrap(input.name_filter);
          const idFilter = unwrap(input.id_filter);
          const wantedId =
            typeof idFilter === 'string' || typeof idFilter === 'number' ? String(idFilter) : '';
          const list = [...artifacts.values()]
            .filter((a) => a.finalized)
            .filter((a) => nameFilter === undefined || nameFilter === a.name)
            .filter((a) => idFilter === undefined || wantedId === String(a.id))
            .map((a) => ({
              workflow_run_backend_id: runId,
              workflow_job_run_backend_id: a.jobId,
              database_id: String(a.id),
              name: a.name,
              size: String(a.blob?.length ?? 0),
              created_at: new Date().toISOString(),
              ...(a.hash ? { digest: a.hash } : {}),
            }));
          return reply(method, 200, { artifacts: list });
        }
        case 'GetSignedArtifactURL': {
          const found = artifacts.get(name);
          if (!found?.finalized)
            return twirpError(method, 404, 'not_found', `no artifact "${name}"`);
          return reply(method, 200, {
            signed_url: `${base}e2e-blobs/${runId}/${found.id}?sig=e2e`,
          });
        }
        case 'DeleteArtifact': {
          const found = artifacts.get(name);
          if (!found?.finalized)
            return twirpError(method, 404, 'not_found', `no artifact "${name}"`);
          artifacts.delete(name);
          const index = uploads.findIndex((u) => u.id === found.id);
          if (index >= 0) uploads.splice(index, 1);
          return reply(method, 200, { ok: true, artifact_id: String(found.id) });
        }
        default:
          return twirpError(method, 404, 'bad_route', `no method ${method}`);
      }
    }

    const blob = /^\/e2e-blobs\/[^/]+\/(\d+)$/.exec(url.pathname);
    const pending = blob
      ? [...artifacts.values()].find((a) => a.id === Number(blob[1]))
      : undefined;
    if (!pending || url.searchParams.get('sig') !== 'e2e') {
      return reply('unknown', 404, { code: 'not_found', msg: `${request.method} ${url.pathname}` });
    }
    if (request.method === 'GET') {
      requests.push({ method: 'GET', kind: 'blob', status: 200, ...wire });
      // As Azure Blob Storage does: the Content-Type the upload gave (application/zip for a
      // zipped artifact, which the client unzips as it downloads).
      response.writeHead(200, {
        'Content-Type': pending.contentType ?? 'application/octet-stream',
        'Content-Length': pending.blob?.length ?? 0,
      });
      response.end(pending.blob);
      return;
    }
    if (request.method !== 'PUT') return reply('blob', 405, { code: 'method', msg: 'PUT only' });
    const comp = url.searchParams.get('comp');
    if (options.failOn === 'upload')
      return reply(comp ?? 'blob', 403, { code: 'denied', msg: 'failOn' });
    // Azure's block blob API: 201 Created for every write (200 is an error to the SDK).
    const created = {
      ETag: `"0x${pending.id.toString(16)}"`,
      'Last-Modified': new Date().toUTCString(),
      'x-ms-request-id': `e2e-${requests.length}`,
      'x-ms-version': '2025-01-05',
      'x-ms-request-server-encrypted': 'true',
    };
    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid');
      if (!blockId)
        return reply('block', 400, { code: 'InvalidQueryParameterValue', msg: 'blockid' });
      pending.blocks.set(blockId, body);
      return reply('block', 201, undefined, created);
    }
    if (comp === 'blocklist') {
      const ids = [
        ...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g),
      ].map((m) => m[1] ?? '');
      const parts = ids.map((id) => pending.blocks.get(id));
      if (parts.some((part) => part === undefined)) {
        return reply('blocklist', 400, { code: 'InvalidBlockList', msg: 'unknown block id' });
      }
      pending.blob = Buffer.concat(parts as Buffer[]);
      pending.contentType = headerValue(request.headers['x-ms-blob-content-type']);
      return reply('blocklist', 201, undefined, created);
    }
    if (comp === null) {
      pending.blob = body;
      pending.contentType = headerValue(request.headers['x-ms-blob-content-type']);
      return reply('blob', 201, undefined, created);
    }
    return reply('blob', 400, { code: 'InvalidQueryParameterValue', msg: `comp=${comp}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { 'Content-Type': 'application/json' });
      }
      response.end(JSON.stringify({ code: 'internal', msg: String(error) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null)
    throw new Error('artifact server: no address');
  base = `http://${options.host ?? '127.0.0.1'}:${address.port}/`;

  return {
    url: base,
    runtimeToken,
    env: { ACTIONS_RUNTIME_TOKEN: runtimeToken, ACTIONS_RESULTS_URL: base },
    jobEnv: (job) => ({ ACTIONS_RUNTIME_TOKEN: tokenFor(job), ACTIONS_RESULTS_URL: base }),
    uploads,
    requests,
    seed: (name, files, job) => {
      const blob = writeZip(files);
      const hash = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
      artifacts.set(name, {
        id: nextId++,
        name,
        jobId: job,
        blocks: new Map(),
        blob,
        contentType: 'application/zip',
        hash,
        finalized: true,
      });
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.${Buffer.from('e2e').toString('base64url')}`;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
