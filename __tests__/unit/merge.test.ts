import { createHash } from 'node:crypto';
import {
  buildIndex,
  checkRecords,
  configPlatform,
  DOCKER_LIST,
  DOCKER_MANIFEST,
  indexAnnotations,
  indexEntries,
  jobPlatform,
  OCI_INDEX,
  OCI_MANIFEST,
  parseRecord,
  platformArtifactName,
  RECORD_SCHEMA,
  type PlatformRecord,
} from '../../src/release/merge.js';
import { testRunArgs } from '../../src/gate/spec.js';

const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;
const sha = 'ab'.repeat(20);

function record(platform: string, digest: string, extra: Partial<PlatformRecord> = {}) {
  return {
    schema: RECORD_SCHEMA,
    group: 'app',
    platform,
    digest,
    images: ['ghcr.io/acme/app'],
    revision: sha,
    runAttempt: 1,
    job: `build-${platform.split('/')[1]}`,
    runner: { name: 'GitHub Actions 2', os: 'Linux', arch: 'ARM64' },
    test: 'passed',
    testDurationMs: 1200,
    reusedFrom: '',
    fingerprint: '',
    ...extra,
  } satisfies PlatformRecord;
}

describe('platform jobs', () => {
  test('the artifact is named after the group and the platform', () => {
    expect(platformArtifactName('app', 'linux/arm64')).toBe('app-platform-linux-arm64');
    expect(platformArtifactName('web.api', 'linux/arm/v7')).toBe('web.api-platform-linux-arm-v7');
  });

  test('one platform per job, or the runner’s; several is an error that names the input', () => {
    expect(jobPlatform(['linux/arm64'], 'linux/amd64', 'app')).toBe('linux/arm64');
    expect(jobPlatform([], 'linux/amd64', 'app')).toBe('linux/amd64');
    expect(() => jobPlatform(['linux/amd64', 'linux/arm64'], 'linux/amd64', 'app')).toThrow(
      /^platforms: "linux\/amd64,linux\/arm64" names several platforms, and a job of merge-group "app" builds one/,
    );
  });

  test('a test of another platform runs the container for that platform', () => {
    const args = testRunArgs({
      name: 'btp-test-1',
      image: 'sha256:abc',
      command: 'true',
      envNames: [],
      platform: 'linux/arm64',
    });
    expect(args.slice(0, 8)).toEqual([
      'run',
      '--rm',
      '--name',
      'btp-test-1',
      '--pull',
      'never',
      '--platform',
      'linux/arm64',
    ]);
    expect(testRunArgs({ name: 'n', image: 'i', envNames: [] })).not.toContain('--platform');
  });
});

describe('parseRecord', () => {
  test('reads a record of build-tag-push', () => {
    const text = JSON.stringify(record('linux/arm64', digestOf('1')));
    expect(parseRecord(text, 'app-platform-linux-arm64').digest).toBe(digestOf('1'));
  });

  test.each([
    ['not json', /holds no JSON platform\.json/],
    [JSON.stringify({ schema: 'other', digest: digestOf('1') }), /is not a platform record/],
    [
      JSON.stringify({ ...record('linux/arm64', 'sha256:short') }),
      /has no valid digest \(sha256:short\)/,
    ],
    [JSON.stringify({ ...record('arm64', digestOf('1')) }), /has no platform/],
  ])('refuses %s', (text, message) => {
    expect(() => parseRecord(text, 'x')).toThrow(message);
  });
});

describe('checkRecords', () => {
  const amd64 = record('linux/amd64', digestOf('a'));
  const arm64 = record('linux/arm64', digestOf('b'));

  test('every expected platform, in the order of platforms', () => {
    const ordered = checkRecords([arm64, amd64], ['linux/amd64', 'linux/arm64'], 'app', sha);
    expect(ordered.map((r) => r.platform)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test('arm64/v8 is arm64', () => {
    expect(checkRecords([arm64], ['linux/arm64/v8'], 'app', sha)).toEqual([arm64]);
  });

  test('no platforms expected: every one found, sorted', () => {
    expect(checkRecords([arm64, amd64], [], 'app', sha).map((r) => r.platform)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  test('a missing platform: nothing is released, and the error says what was found and what to do', () => {
    expect(() => checkRecords([amd64], ['linux/amd64', 'linux/arm64'], 'app', sha)).toThrow(
      'merge: the merge-group "app" cannot be released; nothing was pushed:\n- no digest for linux/arm64 (found: linux/amd64): its platform job failed, was skipped, or has another merge-group; a failed platform job can be rerun alone, then this step',
    );
  });

  test('every problem at once: another commit, a platform not expected', () => {
    const old = record('linux/arm64', digestOf('c'), { revision: 'cd'.repeat(20) });
    const s390x = record('linux/s390x', digestOf('d'));
    let message = '';
    try {
      checkRecords([amd64, old, s390x], ['linux/amd64', 'linux/arm64'], 'app', sha);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      "linux/arm64: built from cdcdcdcdcdcd, not this run's commit abababababab",
    );
    expect(message).toContain('linux/s390x built by a job of the group but not in platforms');
  });

  test('no record and no platforms: an error that says to set platforms', () => {
    expect(() => checkRecords([], [], 'app', sha)).toThrow(
      /no platform job of the group uploaded a digest \(no artifact named app-platform-\*\)/,
    );
  });
});

describe('the merged index', () => {
  const manifest = (c: string, mediaType = OCI_MANIFEST) =>
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType, config: { digest: digestOf(c) } }));

  test('an image manifest is one entry, its platform from its config', () => {
    const body = manifest('1');
    const platform = configPlatform(
      Buffer.from(JSON.stringify({ os: 'linux', architecture: 'arm64', variant: 'v8' })),
    );
    expect(indexEntries(body, digestOf('e'), OCI_MANIFEST, platform)).toEqual([
      {
        mediaType: OCI_MANIFEST,
        digest: digestOf('e'),
        size: body.length,
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      },
    ]);
  });

  test('an index gives its entries as they are: the attestation stays with its image', () => {
    const image = {
      mediaType: OCI_MANIFEST,
      digest: digestOf('1'),
      size: 480,
      platform: { os: 'linux', architecture: 'arm64' },
    };
    const attestation = {
      mediaType: OCI_MANIFEST,
      digest: digestOf('2'),
      size: 566,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: {
        'vnd.docker.reference.digest': digestOf('1'),
        'vnd.docker.reference.type': 'attestation-manifest',
      },
    };
    const body = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [image, attestation] }),
    );
    expect(indexEntries(body, digestOf('3'), OCI_INDEX, undefined)).toEqual([image, attestation]);
  });

  test('OCI entries make an OCI index with the annotations; its digest is of its bytes', () => {
    const built = buildIndex(
      [
        { mediaType: OCI_MANIFEST, digest: digestOf('1'), size: 1 },
        { mediaType: OCI_MANIFEST, digest: digestOf('2'), size: 2 },
        { mediaType: OCI_MANIFEST, digest: digestOf('1'), size: 1 },
      ],
      { 'org.opencontainers.image.version': '3.0.0' },
    );
    const doc = JSON.parse(built.body.toString()) as {
      mediaType: string;
      manifests: unknown[];
      annotations: Record<string, string>;
    };
    expect(built.mediaType).toBe(OCI_INDEX);
    expect(doc.mediaType).toBe(OCI_INDEX);
    expect(doc.manifests).toHaveLength(2);
    expect(doc.annotations).toEqual({ 'org.opencontainers.image.version': '3.0.0' });
    expect(built.digest).toBe(`sha256:${createHash('sha256').update(built.body).digest('hex')}`);
  });

  test('Docker image manifests only (the classic store), no annotation: a Docker manifest list', () => {
    const built = buildIndex(
      [
        { mediaType: DOCKER_MANIFEST, digest: digestOf('1'), size: 1 },
        { mediaType: DOCKER_MANIFEST, digest: digestOf('2'), size: 2 },
      ],
      {},
    );
    expect(built.mediaType).toBe(DOCKER_LIST);
    expect(JSON.parse(built.body.toString())).not.toHaveProperty('annotations');
  });

  test('Docker image manifests with annotations: an OCI index that carries them', () => {
    const built = buildIndex(
      [
        { mediaType: DOCKER_MANIFEST, digest: digestOf('1'), size: 1 },
        { mediaType: DOCKER_MANIFEST, digest: digestOf('2'), size: 2 },
      ],
      { 'org.opencontainers.image.description': 'An app' },
    );
    expect(built.mediaType).toBe(OCI_INDEX);
    expect(JSON.parse(built.body.toString())).toMatchObject({
      annotations: { 'org.opencontainers.image.description': 'An app' },
    });
  });

  test('annotations: unlevelled and index ones; the levels of the platform images are left to them', () => {
    expect(
      indexAnnotations([
        'org.opencontainers.image.title=app',
        'index:org.opencontainers.image.version=3.0.0',
        'manifest:org.opencontainers.image.revision=abc',
        'manifest-descriptor:org.example=x',
        'index-descriptor:org.example=y',
        'not-an-annotation',
      ]),
    ).toEqual({
      'org.opencontainers.image.title': 'app',
      'org.opencontainers.image.version': '3.0.0',
    });
  });
});
