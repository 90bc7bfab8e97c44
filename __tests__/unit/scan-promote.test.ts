// The pure parts of scan and promote: the scan's environment and targets, the promote input,
// and the scan gate's order of writes (staging tag, scan, then the references) on a registry
// stand-in at the edge.
import { jest } from '@jest/globals';
import { parsePromote } from '../../src/inputs/promote.js';
import { scannedBuild, type ScanRegistry } from '../../src/release/scan.js';
import { scanEnvironment } from '../../src/scan/run.js';
import { scanTargets } from '../../src/scan/targets.js';

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

const hex = 'a'.repeat(64);

describe('promote', () => {
  test.each([
    [
      `ghcr.io/acme/app@sha256:${hex}`,
      { image: 'ghcr.io/acme/app', digest: `sha256:${hex}`, tag: '' },
    ],
    [
      `ghcr.io/acme/app:1.2@sha256:${hex}`,
      { image: 'ghcr.io/acme/app', digest: `sha256:${hex}`, tag: '' },
    ],
    [
      '127.0.0.1:5000/Acme/App:v1.2.3',
      { image: '127.0.0.1:5000/acme/app', digest: '', tag: 'v1.2.3' },
    ],
  ])('%s', (value, expected) => expect(parsePromote(value)).toEqual(expected));

  test('empty: no promotion', () => expect(parsePromote('  ')).toBeUndefined());

  test.each([
    ['ghcr.io/acme/app', 'has neither a digest nor a tag'],
    ['ghcr.io/acme/app@sha256:abc', 'has the digest "sha256:abc"'],
    ['ghcr.io/acme/app:bad/tag', 'has neither a digest nor a tag'],
    ['ghcr.io/acme/app:-x', 'has the tag "-x", which is not a valid tag'],
    ['not a reference', 'contains white space'],
    [
      'https://ghcr.io/acme/app:1',
      'has the image name "https://ghcr.io/acme/app", which is not valid',
    ],
  ])('%s is refused, naming promote', (value, problem) => {
    expect(() => parsePromote(value)).toThrow(
      `promote: "${value}" ${problem}; expected an image reference with a digest (ghcr.io/acme/app@sha256:<64 hex>) or a tag (ghcr.io/acme/app:1.2.3)`,
    );
  });
});

describe('scan environment', () => {
  test('no INPUT_*, ACTIONS_* (OIDC request, runtime token) or step files; IMAGE added', () => {
    const env = scanEnvironment(
      {
        PATH: '/bin',
        INPUT_PASSWORD: 'pw',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'u',
        ACTIONS_RUNTIME_TOKEN: 'r',
        GITHUB_OUTPUT: '/o',
        GITHUB_STATE: '/s',
        GITHUB_SHA: 'abc',
      },
      { IMAGE: 'r/a@sha256:1' },
    );
    expect(env).toEqual({ PATH: '/bin', GITHUB_SHA: 'abc', IMAGE: 'r/a@sha256:1' });
  });
});

describe('scan targets', () => {
  const index = (manifests: unknown[]): Buffer => Buffer.from(JSON.stringify({ manifests }));
  const amd = { digest: 'sha256:1', platform: { os: 'linux', architecture: 'amd64' } };
  const arm = {
    digest: 'sha256:2',
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  };
  const att = {
    digest: 'sha256:3',
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
  };

  test('an index of two platforms: one run per platform, attestations left out', () => {
    expect(scanTargets(index([amd, arm, att]), 'sha256:i')).toEqual([
      { platform: 'linux/amd64', digest: 'sha256:1' },
      { platform: 'linux/arm64/v8', digest: 'sha256:2' },
    ]);
  });

  test('one platform with its attestation, or an image manifest: the released digest once', () => {
    expect(scanTargets(index([amd, att]), 'sha256:i')).toEqual([
      { platform: 'linux/amd64', digest: 'sha256:i' },
    ]);
    expect(scanTargets(Buffer.from('{"layers":[]}'), 'sha256:m')).toEqual([
      { platform: '', digest: 'sha256:m' },
    ]);
  });
});

describe('the scan gate', () => {
  function registry(answer?: string): ScanRegistry & { log: string[] } {
    const log: string[] = [];
    return {
      log,
      manifestDigest: (image, tag) => {
        log.push(`read ${image}:${tag}`);
        return Promise.resolve(answer ?? 'sha256:d');
      },
      getManifest: (_image, digest) =>
        Promise.resolve({ mediaType: 'x', body: Buffer.from('{}'), digest }),
      putManifest: (image, tag) => {
        log.push(`tag ${image}:${tag}`);
        return Promise.resolve('sha256:d');
      },
      deleteTag: (image, tag) => {
        log.push(`delete ${image}:${tag}`);
        return Promise.resolve(true);
      },
    };
  }

  test('staged under the staging tag, read back, scanned, then tagged; the staging tag removed', async () => {
    const reg = registry();
    const built: string[][] = [];
    const build = scannedBuild(
      (refs) => {
        built.push(refs);
        return Promise.resolve('sha256:d');
      },
      (digest) => {
        reg.log.push(`scan ${digest}`);
        return Promise.resolve();
      },
      reg,
      'stage-1',
    );
    expect(await build(['r/a:1.0.0', 'r/b:1.0.0'])).toBe('sha256:d');
    expect(built).toEqual([['r/a:stage-1', 'r/b:stage-1']]);
    expect(reg.log).toEqual([
      'read r/a:stage-1',
      'read r/b:stage-1',
      'scan sha256:d',
      'tag r/a:1.0.0',
      'tag r/b:1.0.0',
      'delete r/a:stage-1',
      'delete r/b:stage-1',
    ]);
  });

  test('a failed scan writes no reference and removes the staging tags', async () => {
    const reg = registry();
    const build = scannedBuild(
      () => Promise.resolve('sha256:d'),
      () => Promise.reject(new Error('scan: found CVE')),
      reg,
      'stage-1',
    );
    await expect(build(['r/a:1.0.0'])).rejects.toThrow('scan: found CVE');
    expect(reg.log).toEqual(['read r/a:stage-1', 'delete r/a:stage-1']);
  });

  test('a registry that names another digest: no scan, no reference', async () => {
    const reg = registry('sha256:other');
    let scanned = false;
    const build = scannedBuild(
      () => Promise.resolve('sha256:d'),
      () => {
        scanned = true;
        return Promise.resolve();
      },
      reg,
      'stage-1',
    );
    await expect(build(['r/a:1.0.0'])).rejects.toThrow(
      'r/a:stage-1 names sha256:other, not the built sha256:d; nothing was scanned or tagged',
    );
    expect(scanned).toBe(false);
    expect(reg.log.filter((l) => l.startsWith('tag'))).toEqual([]);
  });
});
