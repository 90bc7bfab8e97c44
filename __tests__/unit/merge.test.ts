import { createHash } from 'node:crypto';
import {
  buildIndex,
  configPlatform,
  DOCKER_LIST,
  DOCKER_MANIFEST,
  indexAnnotations,
  indexEntries,
  jobPlatform,
  OCI_INDEX,
  OCI_MANIFEST,
  platformArtifactName,
} from '../../src/release/merge.js';
import { testRunArgs } from '../../src/gate/spec.js';

const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;

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
