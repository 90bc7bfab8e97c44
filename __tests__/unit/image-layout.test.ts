// Reading what `docker save` wrote: the containerd store's OCI layout (the image's own
// manifests, so the upload keeps the image ID as its digest) and the classic store's
// manifest.json (config + uncompressed layers).
import { createHash } from 'node:crypto';
import { imageLayout, legacyManifest } from '../../src/oci/layout.js';

const sha = (content: string | Buffer): string =>
  `sha256:${createHash('sha256').update(content).digest('hex')}`;

/** An archive in memory: path -> content. */
function archive(files: Record<string, string>) {
  const read = (path: string): Promise<Buffer> =>
    path in files
      ? Promise.resolve(Buffer.from(files[path]))
      : Promise.reject(new Error(`no ${path}`));
  const exists = (path: string): boolean => path in files;
  return { read, exists };
}

const without = (files: Record<string, string>, path: string): Record<string, string> =>
  Object.fromEntries(Object.entries(files).filter(([p]) => p !== path));

const blob = (content: string): [string, string] => [
  `blobs/${sha(content).replace(':', '/')}`,
  content,
];

const config = '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}';
const layer = 'layer bytes';
const attestation = '{"predicateType":"https://slsa.dev/provenance/v0.2"}';
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: 1 },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(layer), size: 1 },
  ],
});
const attestationManifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: 1 },
  layers: [{ mediaType: 'application/vnd.in-toto+json', digest: sha(attestation), size: 1 }],
});
const index = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(manifest),
      size: 1,
      platform: { architecture: 'amd64', os: 'linux' },
    },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(attestationManifest),
      size: 1,
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      platform: { architecture: 'unknown', os: 'unknown' },
    },
  ],
});
const layout = Object.fromEntries([
  ['index.json', '{}'],
  ['oci-layout', '{"imageLayoutVersion":"1.0.0"}'],
  blob(config),
  blob(layer),
  blob(attestation),
  blob(manifest),
  blob(attestationManifest),
  blob(index),
]);

describe('imageLayout (containerd image store)', () => {
  test('an index with an attestation manifest: blobs once, manifests children first, index last', async () => {
    const { read, exists } = archive(layout);
    const image = await imageLayout(sha(index), read, exists);
    expect(image?.digest).toBe(sha(index));
    expect(image?.manifests.map((m) => m.digest)).toEqual([
      sha(manifest),
      sha(attestationManifest),
      sha(index),
    ]);
    expect(image?.manifests.map((m) => m.mediaType)).toEqual([
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
      'application/vnd.oci.image.index.v1+json',
    ]);
    // The config both manifests name is listed once.
    expect(image?.blobs).toEqual([sha(config), sha(layer), sha(attestation)]);
    // The bytes are the saved ones: the digest of what is uploaded is the image ID.
    expect(sha(image!.manifests[2].body)).toBe(sha(index));
  });

  test('a single manifest (provenance: false): the manifest is the image', async () => {
    const { read, exists } = archive(layout);
    const image = await imageLayout(sha(manifest), read, exists);
    expect(image?.manifests.map((m) => m.digest)).toEqual([sha(manifest)]);
    expect(image?.blobs).toEqual([sha(config), sha(layer)]);
  });

  test('a classic store ID (a config digest) is not an image of the layout', async () => {
    const { read, exists } = archive(layout);
    await expect(imageLayout(sha(config), read, exists)).resolves.toBeUndefined();
  });

  test('no index.json (the classic store of Docker 20.10): undefined', async () => {
    const rest = without(layout, 'index.json');
    const { read, exists } = archive(rest);
    await expect(imageLayout(sha(index), read, exists)).resolves.toBeUndefined();
  });

  test('a platform manifest the store does not hold: an error, never a partial upload', async () => {
    const rest = without(layout, blob(manifest)[0]);
    const { read, exists } = archive(rest);
    await expect(imageLayout(sha(index), read, exists)).rejects.toThrow(
      `the engine's image ${sha(index)} lacks its manifest ${sha(manifest)}`,
    );
  });

  test('a missing layer: an error naming it', async () => {
    const rest = without(layout, blob(layer)[0]);
    const { read, exists } = archive(rest);
    await expect(imageLayout(sha(index), read, exists)).rejects.toThrow(
      `the saved image lacks the blob ${sha(layer)} (layer of ${sha(manifest)})`,
    );
  });
});

describe('legacyManifest (classic image store)', () => {
  const files = {
    'manifest.json': JSON.stringify([
      { Config: 'other.json', RepoTags: [], Layers: ['x/layer.tar'] },
      { Config: 'abc.json', RepoTags: ['app:1'], Layers: ['a/layer.tar', 'b/layer.tar'] },
    ]),
    'other.json': '{"other":true}',
    'abc.json': config,
  };

  test('finds the entry whose config is the image ID', async () => {
    const { read } = archive(files);
    await expect(legacyManifest(sha(config), read)).resolves.toEqual({
      config: 'abc.json',
      layers: ['a/layer.tar', 'b/layer.tar'],
    });
  });

  test('no entry with that config: an error naming the image ID', async () => {
    const { read } = archive(files);
    await expect(legacyManifest(sha('nothing'), read)).rejects.toThrow(
      `docker save wrote no image whose config is ${sha('nothing')}`,
    );
  });

  test('no manifest.json: an error', async () => {
    const { read } = archive({});
    await expect(legacyManifest(sha(config), read)).rejects.toThrow('no readable manifest.json');
  });
});
