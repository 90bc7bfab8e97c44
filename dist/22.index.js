export const id = 22;
export const ids = [22];
export const modules = {

/***/ 3022:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  uploadArtifact: () => (/* binding */ uploadArtifact)
});

// UNUSED EXPORTS: backendIds, invalidNameCharacters

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./src/http.ts
var http = __webpack_require__(6803);
// EXTERNAL MODULE: ./src/artifact/name.ts
var artifact_name = __webpack_require__(8111);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/artifact/zip.ts

// @actions/artifact's archiver deflates at level 6 unless told otherwise.
const LEVEL = 6;
const VERSION = 20; // 2.0: deflate
const UTF8_NAMES = 0x0800;
const REGULAR_FILE_0644 = (0o100644 << 16) >>> 0;
/**
 * A zip archive of small files (deflated, no zip64), the form in which a workflow artifact is
 * stored and downloaded. Pure: the same entries and time give the same bytes.
 */
function zipArchive(entries, modified) {
    const { time, date } = dosDateTime(modified);
    const locals = [];
    const central = [];
    let offset = 0;
    for (const entry of entries) {
        const name = Buffer.from(entry.name, 'utf8');
        const data = (0,external_node_zlib_.deflateRawSync)(entry.data, { level: LEVEL });
        const crc = (0,external_node_zlib_.crc32)(entry.data);
        if (offset + data.length + name.length + 30 > 0xffffffff || entry.data.length > 0xffffffff) {
            throw new Error(`zip: ${entry.name} is too large for an archive without zip64`);
        }
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(VERSION, 4);
        local.writeUInt16LE(UTF8_NAMES, 6);
        local.writeUInt16LE(8, 8); // deflate
        local.writeUInt16LE(time, 10);
        local.writeUInt16LE(date, 12);
        local.writeUInt32LE(crc, 14);
        local.writeUInt32LE(data.length, 18);
        local.writeUInt32LE(entry.data.length, 22);
        local.writeUInt16LE(name.length, 26);
        local.writeUInt16LE(0, 28);
        locals.push(local, name, data);
        const header = Buffer.alloc(46);
        header.writeUInt32LE(0x02014b50, 0);
        header.writeUInt16LE((3 << 8) | VERSION, 4); // made by: Unix, so the mode below counts
        header.writeUInt16LE(VERSION, 6);
        header.writeUInt16LE(UTF8_NAMES, 8);
        header.writeUInt16LE(8, 10);
        header.writeUInt16LE(time, 12);
        header.writeUInt16LE(date, 14);
        header.writeUInt32LE(crc, 16);
        header.writeUInt32LE(data.length, 20);
        header.writeUInt32LE(entry.data.length, 24);
        header.writeUInt16LE(name.length, 28);
        header.writeUInt32LE(REGULAR_FILE_0644, 38);
        header.writeUInt32LE(offset, 42);
        central.push(header, name);
        offset += local.length + name.length + data.length;
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, directory, end]);
}
/** MS-DOS date and time fields (local time, 2-second steps, from 1980). */
function dosDateTime(at) {
    const year = Math.min(Math.max(at.getFullYear(), 1980), 2107);
    return {
        time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
        date: ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
    };
}

;// CONCATENATED MODULE: ./src/artifact/upload.ts






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

/**
 * The workflow run and job IDs in the `scp` claim of ACTIONS_RUNTIME_TOKEN
 * (`Actions.Results:<run>:<job>`). The token's signature is the service's business. Pure.
 */
function backendIds(token) {
    const invalid = new Error('ACTIONS_RUNTIME_TOKEN is not a token with an Actions.Results:<run>:<job> scope');
    const payload = token.split('.')[1];
    if (!payload)
        throw invalid;
    let claims;
    try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    }
    catch {
        throw invalid;
    }
    const scp = claims?.scp;
    if (typeof scp !== 'string')
        throw invalid;
    for (const scope of scp.split(' ')) {
        const parts = scope.split(':');
        if (parts[0] !== 'Actions.Results')
            continue;
        if (parts.length !== 3 || !parts[1] || !parts[2])
            throw invalid;
        return { run: parts[1], job: parts[2] };
    }
    throw invalid;
}
/**
 * Uploads files as one zipped workflow artifact: CreateArtifact, the zip as one block of the
 * signed blob URL, the block list, FinalizeArtifact. Fails with the service's own message.
 */
async function uploadArtifact(name, files, options = {}) {
    const env = options.env ?? process.env;
    const token = env.ACTIONS_RUNTIME_TOKEN;
    const resultsUrl = env.ACTIONS_RESULTS_URL;
    if (!token)
        throw new Error('ACTIONS_RUNTIME_TOKEN is not set');
    if (!resultsUrl || !URL.canParse(resultsUrl))
        throw new Error(`ACTIONS_RESULTS_URL is ${resultsUrl ? `"${resultsUrl}", not a URL` : 'not set'}`);
    const invalid = (0,artifact_name/* invalidNameCharacters */.t)(name);
    if (invalid.length > 0) {
        throw new Error(`"${name}" is not an artifact name: it has ${invalid.map((c) => JSON.stringify(c)).join(', ')}; these cannot be in one: ${artifact_name/* INVALID_NAME_CHARACTERS */.p.map((c) => JSON.stringify(c)).join(' ')}`);
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
        core/* setSecret */.Pq(signature);
        core/* setSecret */.Pq(encodeURIComponent(signature));
    }
    const archive = zipArchive(files, options.now ?? new Date());
    const digest = `sha256:${(0,external_node_crypto_.createHash)('sha256').update(archive).digest('hex')}`;
    // Block IDs as Azure's SDK makes them: a UUID and the block number, 48 characters, base64.
    const blockId = Buffer.from(`${(0,external_node_crypto_.randomUUID)()}${'0'.repeat(12)}`).toString('base64');
    await client.blob(withQuery(signedUrl, `comp=block&blockid=${encodeURIComponent(blockId)}`), archive, {
        'Content-Type': 'application/octet-stream',
    });
    await client.blob(withQuery(signedUrl, 'comp=blocklist'), Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><BlockList><Latest>${blockId}</Latest></BlockList>`), { 'Content-Type': 'application/xml', 'x-ms-blob-content-type': 'application/zip' });
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
    token;
    origin;
    maxAttempts;
    retryDelayMs;
    timeoutMs;
    fetch;
    constructor(token, origin, options) {
        this.token = token;
        this.origin = origin;
        this.maxAttempts = options.maxAttempts ?? 5;
        this.retryDelayMs = options.retryDelayMs ?? 3000;
        this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
        this.fetch = options.fetch ?? http/* nodeFetch */.v;
    }
    /** A Twirp JSON call to the results service; its JSON answer. */
    async twirp(method, body) {
        const url = `${this.origin}/twirp/${SERVICE}/${method}`;
        return await this.retrying(async () => {
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
            let json;
            try {
                json = JSON.parse(text);
            }
            catch {
                // The service answers JSON, errors included; anything else is a proxy or an outage.
                return {
                    retry: true,
                    error: `${method}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`,
                };
            }
            const record = (typeof json === 'object' && json !== null ? json : {});
            if (response.ok)
                return { value: record };
            const msg = typeof record.msg === 'string' ? `: ${record.msg}` : '';
            return {
                retry: retryable(response.status),
                error: `${method}: the results service answered HTTP ${response.status}${msg}`,
            };
        });
    }
    /** A PUT to the signed blob URL; Azure answers 201 Created. */
    async blob(url, body, headers) {
        const what = url.includes('comp=blocklist') ? 'block list upload' : 'block upload';
        await this.retrying(async () => {
            const response = await this.send(what, url, {
                method: 'PUT',
                headers: { ...headers, 'x-ms-version': BLOB_API_VERSION, 'User-Agent': USER_AGENT },
                body: new Uint8Array(body),
            });
            const text = await response.text();
            if (response.status === 201)
                return { value: undefined };
            const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
            return {
                retry: retryable(response.status),
                error: `${what}: the blob store answered HTTP ${response.status}${code ? ` (${code})` : ''}`,
            };
        });
    }
    async send(what, url, init) {
        try {
            return await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
        }
        catch (error) {
            const { name, cause } = (error ?? {});
            const reason = name === 'TimeoutError'
                ? `no answer within ${this.timeoutMs / 1000} s`
                : typeof cause?.message === 'string'
                    ? cause.message
                    : String(error);
            throw new Error(`${what}: cannot reach ${new URL(url).host} (${reason})`);
        }
    }
    async retrying(attempt) {
        let delay = this.retryDelayMs;
        for (let n = 1;; n++) {
            const result = await attempt();
            if ('value' in result)
                return result.value;
            if (!result.retry || n >= this.maxAttempts) {
                throw new Error(n > 1 ? `${result.error} (after ${n} attempts)` : result.error);
            }
            core/* info */.pq(`${result.error}; attempt ${n + 1} of ${this.maxAttempts} in ${delay} ms`);
            await (0,promises_.setTimeout)(delay);
            delay = Math.round(delay * 1.5);
        }
    }
}
// The signed URL's own parameters (the signature) stay byte for byte as the service wrote them.
function withQuery(url, query) {
    return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
function retryable(status) {
    return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}


/***/ })

};
