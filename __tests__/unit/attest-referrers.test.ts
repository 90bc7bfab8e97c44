// The build provenance attestation as an OCI referrer: the artifact manifest built from the
// bundle and the image, the referrers tag index it joins (an existing one kept entry for entry),
// and how the summary and the `attestations` output report it.
import { createHash } from 'node:crypto';
import type { Manifest } from '../../src/oci/manifest.js';
import { RegistryClient } from '../../src/registry/client.js';
import { attestationsOutput } from '../../src/report/outputs.js';
import { attestationsMarkdown } from '../../src/report/summary.js';
import {
  attestationManifest,
  BUNDLE_MEDIA_TYPE,
  EMPTY_CONFIG,
  mergeReferrersIndex,
  OCI_INDEX,
  OCI_MANIFEST,
  pushAttestation,
  referrersTag,
  type Descriptor,
} from '../../src/sign/referrers.js';

const hash = (bytes: Buffer | string) =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const digest = `sha256:${'a'.repeat(64)}`;
const subject: Descriptor = {
  mediaType: 'application/vnd.oci.image.index.v1+json',
  digest,
  size: 1234,
};
const created = new Date('2026-11-27T12:00:00Z');
const bundle = Buffer.from(JSON.stringify({ mediaType: BUNDLE_MEDIA_TYPE, dsseEnvelope: {} }));

test('the empty config descriptor is the digest and size of `{}`', () => {
  expect(EMPTY_CONFIG.digest).toBe(hash('{}'));
  expect(EMPTY_CONFIG.size).toBe(2);
});

test('the attestation manifest: Sigstore bundle artifact, empty config, the bundle as its layer, the image as subject, annotated; its descriptor for the index', () => {
  const { manifest, descriptor } = attestationManifest(bundle, subject, created);
  expect(manifest.mediaType).toBe(OCI_MANIFEST);
  expect(manifest.digest).toBe(hash(manifest.body));
  const annotations = {
    'dev.sigstore.bundle.content': 'dsse-envelope',
    'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1',
    'org.opencontainers.image.created': '2026-11-27T12:00:00.000Z',
  };
  expect(JSON.parse(manifest.body.toString('utf8'))).toEqual({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: BUNDLE_MEDIA_TYPE,
    config: {
      mediaType: 'application/vnd.oci.empty.v1+json',
      digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
      size: 2,
    },
    layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest: hash(bundle), size: bundle.length }],
    subject,
    annotations,
  });
  expect(descriptor).toEqual({
    mediaType: OCI_MANIFEST,
    digest: manifest.digest,
    size: manifest.body.length,
    artifactType: BUNDLE_MEDIA_TYPE,
    annotations,
  });
  // The same bundle, image and time: the same bytes (a rerun stores nothing new).
  expect(attestationManifest(bundle, subject, created).manifest.digest).toBe(manifest.digest);
  expect(attestationManifest(bundle, subject, new Date(0)).manifest.digest).not.toBe(
    manifest.digest,
  );
});

const entry: Descriptor = {
  mediaType: OCI_MANIFEST,
  digest: `sha256:${'b'.repeat(64)}`,
  size: 700,
  artifactType: BUNDLE_MEDIA_TYPE,
  annotations: { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1' },
};

function stored(doc: unknown, mediaType = OCI_INDEX): Manifest {
  const body = Buffer.from(JSON.stringify(doc));
  return { mediaType, body, digest: hash(body) };
}

test('no referrers tag yet: a new OCI index with the one entry', () => {
  const { manifest, unchanged } = mergeReferrersIndex(undefined, entry);
  expect(unchanged).toBe(false);
  expect(manifest.mediaType).toBe(OCI_INDEX);
  expect(manifest.digest).toBe(hash(manifest.body));
  expect(JSON.parse(manifest.body.toString('utf8'))).toEqual({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [entry],
  });
});

test('an index cosign wrote: every entry and field kept as it is, the attestation appended', () => {
  const cosignEntry = {
    mediaType: OCI_MANIFEST,
    size: 877,
    digest: `sha256:${'c'.repeat(64)}`,
    artifactType: 'application/vnd.oci.empty.v1+json',
  };
  const existing = stored({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [cosignEntry],
    annotations: { 'com.example.kept': 'yes' },
  });
  const { manifest, unchanged } = mergeReferrersIndex(existing, entry);
  expect(unchanged).toBe(false);
  expect(JSON.parse(manifest.body.toString('utf8'))).toEqual({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [cosignEntry, entry],
    annotations: { 'com.example.kept': 'yes' },
  });
});

test('an index that lists the attestation already is left byte for byte', () => {
  const existing = stored({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] });
  expect(mergeReferrersIndex(existing, entry)).toEqual({ manifest: existing, unchanged: true });
});

test.each([
  [
    'an image manifest',
    stored({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] }, OCI_MANIFEST),
  ],
  [
    'a Docker manifest list',
    stored(
      { schemaVersion: 2, manifests: [] },
      'application/vnd.docker.distribution.manifest.list.v2+json',
    ),
  ],
  ['an index with no manifests list', stored({ schemaVersion: 2, mediaType: OCI_INDEX })],
  ['not JSON', { mediaType: OCI_INDEX, body: Buffer.from('nope'), digest: hash('nope') }],
])(
  'a referrers tag that holds %s is not merged into: it throws, saying what it holds',
  (_name, existing) => {
    expect(() => mergeReferrersIndex(existing, entry)).toThrow(
      `it holds a ${existing.mediaType} (${existing.digest}), not an OCI image index of referrers`,
    );
  },
);

test('the referrers tag of a digest is <algorithm>-<hex>', () => {
  expect(referrersTag(digest)).toBe(`sha256-${'a'.repeat(64)}`);
});

test('the attestations output and summary: the reference per image, or why it is not stored', () => {
  const pushed = [
    {
      image: 'ghcr.io/acme/app',
      reference: `ghcr.io/acme/app@sha256:${'d'.repeat(64)}`,
      listedBy: 'the referrers API',
      failure: '',
    },
    {
      image: 'registry.example/acme/app',
      reference: `registry.example/acme/app@sha256:${'e'.repeat(64)}`,
      listedBy: `registry.example/acme/app:sha256-${'a'.repeat(64)}`,
      failure: '',
    },
    {
      image: 'docker.io/acme/app',
      reference: '',
      listedBy: '',
      failure: 'docker.io answered an error (HTTP 400)',
    },
  ];
  expect(JSON.parse(attestationsOutput(pushed))).toEqual({
    'ghcr.io/acme/app': `ghcr.io/acme/app@sha256:${'d'.repeat(64)}`,
    'registry.example/acme/app': `registry.example/acme/app@sha256:${'e'.repeat(64)}`,
    'docker.io/acme/app': 'not stored: docker.io answered an error (HTTP 400)',
  });
  expect(attestationsOutput(undefined)).toBe('{}');
  expect(attestationsMarkdown(pushed)).toEqual([
    '- attestations in the registries (OCI referrers of the image):',
    `  - \`ghcr.io/acme/app\`: \`ghcr.io/acme/app@sha256:${'d'.repeat(64)}\`, listed by the referrers API`,
    `  - \`registry.example/acme/app\`: \`registry.example/acme/app@sha256:${'e'.repeat(64)}\`, listed by \`registry.example/acme/app:sha256-${'a'.repeat(64)}\``,
    '  - `docker.io/acme/app`: not stored: docker.io answered an error \\(HTTP 400\\)',
  ]);
  expect(attestationsMarkdown([])).toEqual([]);
});

/**
 * A registry with the OCI referrers API, scripted behind the client's fetch: it holds the
 * image, takes blobs and manifests, and lists referrers itself. Records each request.
 */
function referrersApiRegistry(image: Buffer): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  const fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const method = init?.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    const path = url.pathname.replace('/v2/acme/app/', '');
    if (method === 'GET' && path === `manifests/${hash(image)}`) {
      return Promise.resolve(new Response(image, { headers: { 'Content-Type': OCI_MANIFEST } }));
    }
    if (method === 'HEAD' && path.startsWith('blobs/')) {
      return Promise.resolve(new Response(null, { status: 404 }));
    }
    if (method === 'POST' && path === 'blobs/uploads/') {
      return Promise.resolve(
        new Response(null, { status: 202, headers: { Location: '/v2/acme/app/blobs/uploads/u1' } }),
      );
    }
    if (method === 'PUT' && path === 'blobs/uploads/u1') {
      return Promise.resolve(new Response(null, { status: 201 }));
    }
    if (method === 'PUT' && path.startsWith('manifests/sha256:')) {
      return Promise.resolve(
        new Response(null, {
          status: 201,
          headers: { 'Docker-Content-Digest': path.slice('manifests/'.length) },
        }),
      );
    }
    if (method === 'GET' && path === `referrers/${hash(image)}`) {
      return Promise.resolve(
        new Response(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }), {
          headers: { 'Content-Type': OCI_INDEX },
        }),
      );
    }
    return Promise.resolve(new Response(null, { status: 404 }));
  };
  return { fetch, requests };
}

test('a registry with the referrers API: the attestation is put by digest and the referrers tag is never touched', async () => {
  const image = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST }));
  const { fetch, requests } = referrersApiRegistry(image);
  const client = new RegistryClient({ fetch });
  const pushed = await pushAttestation(
    client,
    'localhost:5000/acme/app',
    hash(image),
    bundle,
    created,
  );
  const expected = attestationManifest(
    bundle,
    { mediaType: OCI_MANIFEST, digest: hash(image), size: image.length },
    created,
  ).manifest.digest;
  expect(pushed).toEqual({
    reference: `localhost:5000/acme/app@${expected}`,
    listedBy: 'the referrers API',
  });
  expect(requests).toContain(`PUT /v2/acme/app/manifests/${expected}`);
  expect(requests).toContain(`GET /v2/acme/app/referrers/${hash(image)}`);
  expect(requests.filter((r) => r.includes('manifests/sha256-'))).toEqual([]);
});

test('a registry without it (404), or answering the referrers path with anything but an OCI index, has no referrers API', async () => {
  const answering = (response: () => Response) =>
    new RegistryClient({ fetch: () => Promise.resolve(response()) });
  expect(
    await answering(() => new Response(null, { status: 404 })).hasReferrersApi(
      'localhost:5000/app',
      digest,
    ),
  ).toBe(false);
  expect(
    await answering(
      () => new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } }),
    ).hasReferrersApi('localhost:5000/app', digest),
  ).toBe(false);
  expect(
    await answering(
      () =>
        new Response('{"manifests":[]}', {
          headers: { 'Content-Type': `${OCI_INDEX}; charset=utf-8` },
        }),
    ).hasReferrersApi('localhost:5000/app', digest),
  ).toBe(true);
});
