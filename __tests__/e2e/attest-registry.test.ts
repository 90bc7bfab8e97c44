// `attest: true` stores the build provenance attestation in the registry as an OCI referrer of
// the image, in the same referrers tag index (`sha256-<hex>`) that cosign 3 writes its
// signature into on a registry without the referrers API (distribution 2.8, as here). What is
// checked against the real registry and the real cosign: after a key signature, the
// attestation joins cosign's index without removing its entry, and `cosign verify --key` still
// succeeds; a signature made after the attestation keeps the attestation's entry; a referrers
// tag that is not an index is left alone; a registry that refuses the push is a warning-level
// failure, or an error with sign: true.
// The attestation itself (GitHub's attestation API and Fulcio) cannot be reached here: the
// bundle stored is a stand-in JSON document, which the registry stores as it is.
import { jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256, type Manifest } from '../../src/oci/manifest.js';
import { RegistryClient } from '../../src/registry/client.js';
import { NO_TLOG_SIGNING_CONFIG } from '../../src/sign/cosign.js';
import {
  BUNDLE_MEDIA_TYPE,
  EMPTY_CONFIG,
  OCI_INDEX,
  pushAttestation,
  pushAttestations,
  SLSA_PROVENANCE_V1,
} from '../../src/sign/referrers.js';
import {
  generateKeyPair,
  makeTempDir,
  removeTempDirs,
  runCosign,
  startRegistry,
  verifyWithKey,
  type Registry,
} from './harness/index.js';

jest.setTimeout(300_000);

const A = { user: 'alice', password: 'e2e-attest-A-pw-Kq4z' };
const KEY_PASSWORD = 'e2e-attest-key-pw-Lp2w';
/** What cosign 3 annotates its signature bundle with (cosign's own predicate type). */
const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

let registry: Registry;
let keyDir = '';
let dockerConfig = '';
let signingConfig = '';
let client: RegistryClient;

beforeAll(async () => {
  registry = await startRegistry(A);
  keyDir = (await generateKeyPair(KEY_PASSWORD, 'attest-cosign-key')).dir;
  signingConfig = join(keyDir, 'signing-config.json');
  await writeFile(signingConfig, NO_TLOG_SIGNING_CONFIG);
  dockerConfig = await makeTempDir('attest-docker-config');
  const auth = Buffer.from(`${A.user}:${A.password}`).toString('base64');
  await writeFile(
    join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [registry.url]: { auth } } }),
  );
  client = new RegistryClient({
    credentials: (host) =>
      host === registry.url ? { username: A.user, password: A.password } : undefined,
  });
});

afterAll(async () => {
  await registry?.stop();
  await removeTempDirs();
});

/** Pushes a small OCI image (one config, one layer) to `image`; returns its digest. */
async function pushImage(image: string, content: string): Promise<string> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      config: { Labels: { content } },
    }),
  );
  const layer = Buffer.from(content);
  await client.putBlob(image, sha256(config), config);
  await client.putBlob(image, sha256(layer), layer);
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [
        {
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
          digest: sha256(layer),
          size: layer.length,
        },
      ],
    }),
  );
  const manifest: Manifest = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    body,
    digest: sha256(body),
  };
  return client.putManifest(image, manifest.digest, manifest);
}

function cosign(args: string[]): Promise<{ code: number; out: string }> {
  return runCosign(args, { DOCKER_CONFIG: dockerConfig, COSIGN_PASSWORD: KEY_PASSWORD });
}

/** `cosign sign --key`, as the action runs it for a `sign-key` without transparency log. */
async function sign(image: string, digest: string): Promise<void> {
  const signed = await cosign([
    'sign',
    '--yes',
    '--key',
    join(keyDir, 'cosign.key'),
    '--signing-config',
    signingConfig,
    '--allow-http-registry',
    '--allow-insecure-registry',
    `${image}@${digest}`,
  ]);
  expect(signed.out).not.toMatch(/Error:/);
  expect(signed.code).toBe(0);
}

function verify(image: string, digest: string): Promise<{ code: number; out: string }> {
  return verifyWithKey(`${image}@${digest}`, join(keyDir, 'cosign.pub'), dockerConfig);
}

interface IndexEntry {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** The entries of the referrers tag index of `repo@digest`, as the registry serves it. */
async function referrers(repo: string, digest: string, from = registry): Promise<IndexEntry[]> {
  const index = await from.manifest(repo, digest.replace(':', '-'));
  expect(index?.mediaType).toBe(OCI_INDEX);
  return (index?.body as { manifests?: IndexEntry[] } | undefined)?.manifests ?? [];
}

/** A stand-in of the Sigstore bundle attestProvenance gives back (its shape, no real signature). */
function fakeBundle(digest: string): Record<string, unknown> {
  return {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint: 'e2e' } },
    dsseEnvelope: {
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from(
        JSON.stringify({
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ name: 'app', digest: { sha256: digest.slice(7) } }],
          predicateType: SLSA_PROVENANCE_V1,
          predicate: {},
        }),
      ).toString('base64'),
      signatures: [{ sig: 'ZTJl' }],
    },
  };
}

test('after a key signature: the attestation joins cosign’s referrers index, both entries are listed, and cosign verify --key still succeeds', async () => {
  const repo = 'acme/signed-then-attested';
  const image = `${registry.url}/${repo}`;
  const digest = await pushImage(image, `signed then attested ${Date.now()}`);
  await sign(image, digest);
  const signature = await referrers(repo, digest);
  expect(signature).toHaveLength(1);
  // cosign 3's signature: a Sigstore bundle artifact too, told apart by its predicate type.
  // (Its index entry carries no annotations, and the config's media type as artifactType.)
  const cosignArtifact = (await registry.manifest(repo, signature[0].digest))?.body as {
    artifactType?: string;
    annotations?: Record<string, string>;
  };
  expect(cosignArtifact.artifactType).toBe(BUNDLE_MEDIA_TYPE);
  expect(cosignArtifact.annotations?.['dev.sigstore.bundle.predicateType']).toBe(
    COSIGN_SIGN_PREDICATE,
  );

  const bundle = fakeBundle(digest);
  const results = await pushAttestations(client, [image], digest, bundle, true);
  expect(results).toEqual([
    {
      image,
      reference: expect.stringMatching(new RegExp(`^${image}@sha256:[0-9a-f]{64}$`)) as unknown,
      listedBy: `${image}:${digest.replace(':', '-')}`,
      failure: '',
    },
  ]);
  const attestationDigest = results[0].reference.split('@')[1];

  // (a) the index lists cosign's signature, unchanged, and the attestation.
  const entries = await referrers(repo, digest);
  expect(entries).toHaveLength(2);
  expect(entries[0]).toEqual(signature[0]);
  expect(entries[1]).toEqual({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: attestationDigest,
    size: expect.any(Number) as unknown,
    artifactType: BUNDLE_MEDIA_TYPE,
    annotations: {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': SLSA_PROVENANCE_V1,
      'org.opencontainers.image.created': expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    },
  });

  // The artifact: the bundle as its layer, the empty config, the image as its subject.
  const artifact = await registry.manifest(repo, attestationDigest);
  const subject = await client.getManifest(image, digest);
  const doc = artifact?.body as {
    artifactType: string;
    config: unknown;
    layers: { digest: string; mediaType: string }[];
    subject: unknown;
    annotations: Record<string, string>;
  };
  expect(doc.artifactType).toBe(BUNDLE_MEDIA_TYPE);
  expect(doc.config).toEqual(EMPTY_CONFIG);
  expect(doc.subject).toEqual({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest,
    size: subject.body.length,
  });
  expect(doc.layers[0].mediaType).toBe(BUNDLE_MEDIA_TYPE);
  const stored = await client.getBlob(image, doc.layers[0].digest);
  expect(JSON.parse(stored.toString('utf8'))).toEqual(bundle);
  expect((await client.getBlob(image, EMPTY_CONFIG.digest)).toString()).toBe('{}');

  // (b) cosign still finds and verifies its signature beside the attestation.
  const verified = await verify(image, digest);
  expect(verified.out).toContain('The signatures were verified against the specified public key');
  expect(verified.code).toBe(0);

  // The same attestation again (a rerun of the hook): stored once, the index unchanged.
  const created = new Date(doc.annotations['org.opencontainers.image.created']);
  const again = await pushAttestation(client, image, digest, stored, created);
  expect(again.reference).toBe(results[0].reference);
  expect(await referrers(repo, digest)).toEqual(entries);
});

test('a signature made after the attestation keeps the attestation in the referrers index', async () => {
  const repo = 'acme/attested-then-signed';
  const image = `${registry.url}/${repo}`;
  const digest = await pushImage(image, `attested then signed ${Date.now()}`);
  const [result] = await pushAttestations(client, [image], digest, fakeBundle(digest), true);
  expect(result.failure).toBe('');
  const before = await referrers(repo, digest);
  expect(before.map((e) => e.digest)).toEqual([result.reference.split('@')[1]]);
  await sign(image, digest);
  const after = await referrers(repo, digest);
  expect(after).toHaveLength(2);
  expect(after).toContainEqual(before[0]);
  expect((await verify(image, digest)).code).toBe(0);
});

test('a referrers tag that holds no OCI index is not overwritten: the image is named in the failure (sign: auto), and sign: true throws', async () => {
  const repo = 'acme/tag-taken';
  const image = `${registry.url}/${repo}`;
  const digest = await pushImage(image, `tag taken ${Date.now()}`);
  // Someone's image under the referrers tag.
  await client.putManifest(
    image,
    digest.replace(':', '-'),
    await client.getManifest(image, digest),
  );

  const [result] = await pushAttestations(client, [image], digest, fakeBundle(digest), false);
  expect(result.reference).toBe('');
  expect(result.failure).toMatch(
    new RegExp(
      `^the referrers tag ${image}:${digest.replace(':', '-')} was left as it is: it holds a application/vnd.oci.image.manifest.v1\\+json`,
    ),
  );
  expect(await registry.manifestDigest(repo, digest.replace(':', '-'))).toBe(digest);
  await expect(pushAttestations(client, [image], digest, fakeBundle(digest), true)).rejects.toThrow(
    `sign is true and the build provenance attestation could not be stored in ${image} (`,
  );
});

test('a registry that refuses the push: a failure naming it, the other registry has the attestation; sign: true throws', async () => {
  const open = await startRegistry();
  try {
    const refused = `${registry.url}/acme/refused`;
    const accepted = `${open.url}/acme/accepted`;
    const digest = await pushImage(refused, `refused ${Date.now()}`);
    // The same image in the open registry.
    const manifest = await client.getManifest(refused, digest);
    const doc = JSON.parse(manifest.body.toString()) as {
      config: { digest: string };
      layers: { digest: string }[];
    };
    for (const blob of [doc.config.digest, ...doc.layers.map((l) => l.digest)]) {
      await client.copyBlob(refused, accepted, blob);
    }
    await client.putManifest(accepted, digest, manifest);

    // A client with no login for the first registry: it answers 401.
    const anonymous = new RegistryClient();
    const results = await pushAttestations(
      anonymous,
      [refused, accepted],
      digest,
      fakeBundle(digest),
      false,
    );
    expect(results[0].failure).toContain(`no credentials were given for ${registry.url}`);
    expect(results[1].failure).toBe('');
    expect((await referrers('acme/accepted', digest, open)).map((e) => e.digest)).toEqual([
      results[1].reference.split('@')[1],
    ]);
    expect(await registry.tags('acme/refused')).not.toContain(digest.replace(':', '-'));
    await expect(
      pushAttestations(anonymous, [refused, accepted], digest, fakeBundle(digest), true),
    ).rejects.toThrow(
      new RegExp(
        `^sign is true and the build provenance attestation could not be stored in ${registry.url}/acme/refused \\(`,
      ),
    );
  } finally {
    await open.stop();
  }
});
