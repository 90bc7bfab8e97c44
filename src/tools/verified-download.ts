// A download checked against its release's checksums file (buildx, cosign): fetched once,
// proxy-aware and bounded, its sha256 compared before it is kept in the tool cache; a cached
// copy is checked against the same file before it is used.
import * as core from '@actions/core';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import * as tc from '@actions/tool-cache';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { USER_AGENT, parseChecksums, type BuildxDownload } from './buildx-release.js';

/** What {@link downloadVerified} fetches, checks and caches, and the input its errors name. */
export interface VerifiedDownload extends BuildxDownload {
  /** The input that asked for it (`buildx-version`, `sign`), named in every error. */
  input: string;
  /** Name in the runner's tool cache. */
  tool: string;
  version: string;
  /** File name of the binary in the tool cache. */
  binary: string;
}

/**
 * Downloads a release binary, checks its sha256 against the release's checksums file and
 * caches it in the runner's tool cache; returns the cache directory. A mismatch caches nothing.
 */
export async function downloadVerified(
  download: VerifiedDownload,
  timeoutMs: number,
): Promise<string> {
  const { assetName, assetUrl, checksumsUrl, input, tool, version, binary } = download;
  const checksumsName = checksumsUrl.slice(checksumsUrl.lastIndexOf('/') + 1);
  const expected = await releaseChecksum(download, timeoutMs);

  // Not tc.downloadTool: its requests cannot be aborted and it retries for minutes after a
  // stall, which would keep the step's process alive past any timeout.
  core.info(`Downloading ${assetUrl}`);
  const temp = process.env.RUNNER_TEMP || os.tmpdir();
  await fs.mkdir(temp, { recursive: true });
  const file = path.join(temp, `${assetName}-${randomUUID()}`);
  try {
    const actual = await httpGet(
      assetUrl,
      timeoutMs,
      true,
      async (response) => {
        expectOk(assetUrl, response, input);
        const hash = createHash('sha256');
        await pipeline(
          response.message,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(file),
        );
        return hash.digest('hex');
      },
      input,
    );
    if (actual !== expected) {
      throw new Error(
        `${input}: refusing ${assetName} from ${assetUrl}: its sha256 is ${actual}, ` +
          `but ${checksumsUrl} says ${expected}`,
      );
    }
    core.info(`sha256 of ${assetName} matches ${checksumsName}: ${actual}`);
    return await tc.cacheFile(file, binary, tool, version, process.arch);
  } finally {
    await fs.rm(file, { force: true });
  }
}

/**
 * A binary found in the runner's tool cache, checked against the release's checksums file as a
 * download is: a cache that another job of the runner changed is refused, naming the input.
 */
export async function checkCached(
  cacheDir: string,
  download: VerifiedDownload,
  timeoutMs: number,
): Promise<void> {
  const expected = await releaseChecksum(download, timeoutMs);
  const file = path.join(cacheDir, download.binary);
  const actual = createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
  if (actual !== expected) {
    throw new Error(
      `${download.input}: refusing ${file} from the runner's tool cache: its sha256 is ${actual}, but ${download.checksumsUrl} says ${expected} for ${download.assetName}; remove that directory from the tool cache (RUNNER_TOOL_CACHE) and run the job again`,
    );
  }
  core.info(`sha256 of the cached ${download.binary} matches the release's: ${actual}`);
}

/** The sha256 the release's checksums file gives for the asset; an error naming the input when none. */
async function releaseChecksum(download: VerifiedDownload, timeoutMs: number): Promise<string> {
  const { assetName, checksumsUrl, input } = download;
  const checksums = await httpGet(
    checksumsUrl,
    timeoutMs,
    true,
    async (response) => {
      const body = await response.readBody();
      expectOk(checksumsUrl, response, input);
      return body;
    },
    input,
  );
  const expected = parseChecksums(checksums, assetName);
  if (!expected) {
    throw new Error(
      `${input}: ${checksumsUrl} has no sha256 line for ${assetName}; ` +
        `expected a line "<sha256> *${assetName}"`,
    );
  }

  return expected;
}

/**
 * One GET, proxy-aware (@actions/http-client honours https_proxy and no_proxy), 5xx retried,
 * and bounded: at the deadline the request and its socket are destroyed, not left running.
 */
export async function httpGet<T>(
  url: string,
  timeoutMs: number,
  followRedirects: boolean,
  use: (response: HttpClientResponse) => Promise<T>,
  input = 'buildx-version',
): Promise<T> {
  const client = new HttpClient(USER_AGENT, [], {
    allowRedirects: followRedirects,
    allowRetries: true,
    maxRetries: 2,
    socketTimeout: timeoutMs,
  });
  let response: HttpClientResponse | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${input}: GET ${url} did not finish within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  let settled = false;
  const work = client.get(url).then((r) => {
    response = r;
    if (settled) throw new Error(`GET ${url}: answered after the deadline`);
    return use(r);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    settled = true;
    clearTimeout(timer);
    response?.message.destroy();
    client.dispose();
  }
}

export function expectOk(
  url: string,
  response: HttpClientResponse,
  input = 'buildx-version',
): void {
  const status = response.message.statusCode ?? 0;
  if (status !== 200) throw new Error(`${input}: GET ${url} answered HTTP ${status}`);
}
