import { jest } from '@jest/globals';
import { crc32, inflateRawSync } from 'node:zlib';
import { backendIds, invalidNameCharacters, uploadArtifact } from '../../src/artifact/upload.js';
import { zipArchive } from '../../src/artifact/zip.js';
import { readZip } from '../e2e/harness/zip.js';

const at = new Date(2024, 4, 6, 7, 8, 10);

describe('zipArchive', () => {
  const entries = [
    { name: 'image-digest.json', data: Buffer.from('{\n  "digest": "sha256:0123"\n}\n') },
    { name: 'digest.txt', data: Buffer.from('sha256:0123\n') },
    { name: 'dir/é.txt', data: Buffer.alloc(0) },
  ];
  const zip = zipArchive(entries, at);

  test('holds each file, deflated, under its name', () => {
    expect(readZip(zip)).toEqual(Object.fromEntries(entries.map((e) => [e.name, e.data])));
    expect(zip.readUInt16LE(8)).toBe(8); // deflate
  });

  test('records the CRC-32 of each file (checked against the standard check value)', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    const eocd = zip.length - 22;
    let offset = zip.readUInt32LE(eocd + 16);
    for (const entry of entries) {
      expect(zip.readUInt32LE(offset + 16)).toBe(crc32(entry.data));
      const local = zip.readUInt32LE(offset + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26);
      const compressed = zip.subarray(start, start + zip.readUInt32LE(offset + 20));
      expect(inflateRawSync(compressed)).toEqual(entry.data);
      offset += 46 + zip.readUInt16LE(offset + 28);
    }
  });

  test('the MS-DOS time of the files, names in UTF-8, mode 0644, and the same bytes for the same input', () => {
    const time = zip.readUInt16LE(10);
    const date = zip.readUInt16LE(12);
    expect([time >> 11, (time >> 5) & 63, (time & 31) * 2]).toEqual([7, 8, 10]);
    expect([(date >> 9) + 1980, (date >> 5) & 15, date & 31]).toEqual([2024, 5, 6]);
    expect(zip.readUInt16LE(6) & 0x800).toBe(0x800);
    const central = zip.readUInt32LE(zip.length - 22 + 16);
    expect(zip.readUInt32LE(central + 38) >>> 16).toBe(0o100644);
    expect(zipArchive(entries, at)).toEqual(zip);
  });
});

describe('backendIds', () => {
  const token = (claims: unknown): string =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  test('the run and job IDs of the Actions.Results scope', () => {
    expect(backendIds(token({ scp: 'Actions.ExampleScope Actions.Results:run-1:job-2' }))).toEqual({
      run: 'run-1',
      job: 'job-2',
    });
  });

  test.each([
    ['no scope', token({ iss: 'x' })],
    ['no Actions.Results scope', token({ scp: 'Actions.ExampleScope' })],
    ['a scope without the job', token({ scp: 'Actions.Results:run-1' })],
    ['not a JWT', 'not-a-token'],
    ['a payload that is not JSON', 'e30.bm90IGpzb24.sig'],
  ])('%s is an error', (_, value) => {
    expect(() => backendIds(value)).toThrow(
      'ACTIONS_RUNTIME_TOKEN is not a token with an Actions.Results:<run>:<job> scope',
    );
  });
});

test.each([
  ['image-digest', []],
  ['app image digest', []],
  ['a/b', ['/']],
  ['a:b?', [':', '?']],
])('invalidNameCharacters(%j)', (name, invalid) => {
  expect(invalidNameCharacters(name)).toEqual(invalid);
});

describe('uploadArtifact', () => {
  const env = {
    ACTIONS_RUNTIME_TOKEN: `e30.${Buffer.from(JSON.stringify({ scp: 'Actions.Results:r:j' })).toString('base64url')}.sig`,
    ACTIONS_RESULTS_URL: 'https://results.example/some/path',
  };
  const files = [{ name: 'digest.txt', data: Buffer.from('sha256:0123\n') }];
  let out: jest.SpiedFunction<typeof process.stdout.write>;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  /** A results service and blob store that answer from a script, recording every request. */
  function service(answers: Record<string, Array<[number, string]>>) {
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      const href =
        input instanceof URL ? input.href : typeof input === 'string' ? input : input.url;
      const key = href.includes('/twirp/')
        ? href.slice(href.lastIndexOf('/') + 1)
        : href.includes('comp=blocklist')
          ? 'blocklist'
          : 'block';
      calls.push(`${init?.method} ${key}`);
      const [status, body] = answers[key]?.shift() ?? [500, '{"msg":"unexpected"}'];
      return Promise.resolve(new Response(body, { status }));
    };
    return { calls, fetch };
  }
  const created: [number, string] = [
    200,
    '{"ok":true,"signed_upload_url":"https://blob.example/c/d/x?sig=s3cr%2Bt"}',
  ];

  test('retries 5xx answers of the service with a growing wait, then goes on', async () => {
    const { calls, fetch } = service({
      CreateArtifact: [[503, '{"msg":"busy"}'], [502, '<html>bad gateway</html>'], created],
      block: [[201, '']],
      blocklist: [[201, '']],
      FinalizeArtifact: [[200, '{"ok":true,"artifact_id":"77"}']],
    });
    const result = await uploadArtifact('digest', files, { env, fetch, retryDelayMs: 1 });
    expect(result.id).toBe('77');
    expect(calls).toEqual([
      'POST CreateArtifact',
      'POST CreateArtifact',
      'POST CreateArtifact',
      'PUT block',
      'PUT blocklist',
      'POST FinalizeArtifact',
    ]);
    const lines = out.mock.calls.map((c) => String(c[0]));
    expect(lines).toContain(
      'CreateArtifact: the results service answered HTTP 503: busy; attempt 2 of 5 in 1 ms\n',
    );
    // The signature of the upload URL is masked, as @actions/artifact does.
    expect(lines).toContain('::add-mask::s3cr+t\n');
    expect(lines).toContain('::add-mask::s3cr%252Bt\n'); // s3cr%2Bt, with the command's % escaped
  });

  test('a 4xx answer is not retried; the service message is the error', async () => {
    const { calls, fetch } = service({ CreateArtifact: [[409, '{"msg":"already exists"}']] });
    await expect(uploadArtifact('digest', files, { env, fetch, retryDelayMs: 1 })).rejects.toThrow(
      'CreateArtifact: the results service answered HTTP 409: already exists',
    );
    expect(calls).toEqual(['POST CreateArtifact']);
  });

  test('gives up after the last attempt, saying how many', async () => {
    const { fetch } = service({ CreateArtifact: [] });
    await expect(
      uploadArtifact('digest', files, { env, fetch, retryDelayMs: 1, maxAttempts: 2 }),
    ).rejects.toThrow('HTTP 500: unexpected (after 2 attempts)');
  });

  test('a blob store error carries its code', async () => {
    const { fetch } = service({
      CreateArtifact: [created],
      block: [[403, '<Error><Code>AuthenticationFailed</Code></Error>']],
    });
    await expect(uploadArtifact('digest', files, { env, fetch })).rejects.toThrow(
      'block upload: the blob store answered HTTP 403 (AuthenticationFailed)',
    );
  });

  test.each([
    [{ ...env, ACTIONS_RESULTS_URL: undefined }, 'ACTIONS_RESULTS_URL is not set'],
    [{ ...env, ACTIONS_RESULTS_URL: 'nope' }, 'ACTIONS_RESULTS_URL is "nope", not a URL'],
    [{ ...env, ACTIONS_RUNTIME_TOKEN: '' }, 'ACTIONS_RUNTIME_TOKEN is not set'],
  ])('the runner environment is checked first (%#)', async (bad, message) => {
    const { calls, fetch } = service({});
    await expect(uploadArtifact('digest', files, { env: bad, fetch })).rejects.toThrow(message);
    expect(calls).toEqual([]);
  });

  test('a name the service refuses is an error before any request', async () => {
    const { calls, fetch } = service({});
    await expect(uploadArtifact('a/b', files, { env, fetch })).rejects.toThrow(
      '"a/b" is not an artifact name: it has "/"',
    );
    expect(calls).toEqual([]);
  });
});
