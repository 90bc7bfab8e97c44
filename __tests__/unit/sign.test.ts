import { jest } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSignKey, maskKey, signMode } from '../../src/inputs/values.js';
import { signingOutputs } from '../../src/report/outputs.js';
import { signingMarkdown } from '../../src/report/summary.js';
import { attestProvenanceOf, provenanceOptions } from '../../src/sign/attest.js';
import {
  GITHUB_ISSUER,
  NO_TLOG_SIGNING_CONFIG,
  parseCosignVersion,
  publicKeyArgs,
  signArgs,
  signingConfigHasTlog,
  tokenClaims,
  verifyArgs,
  verifyCommand,
  workflowIdentity,
  type SignMethod,
} from '../../src/sign/cosign.js';
import { COSIGN_RELEASES, cosignDownload, usableCosign } from '../../src/tools/cosign.js';
import { repositoryIsPublic } from '../../src/context/context.js';
import { decideSigning, type SigningFacts } from '../../src/sign/mode.js';
import { Signer } from '../../src/sign/signer.js';

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

const digest = `sha256:${'a'.repeat(64)}`;

const keyed: SignMethod = {
  kind: 'key',
  keyFile: '/tmp/run/signing/cosign.key',
  publicKeyFile: '/tmp/run/signing/cosign.pub',
  signingConfig: '/tmp/run/signing/signing-config.json',
  tlog: false,
  trustedRoot: '',
};
const keyless: SignMethod = {
  kind: 'keyless',
  identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3',
  issuer: GITHUB_ISSUER,
  signingConfig: '',
  trustedRoot: '',
};

describe('cosign command lines', () => {
  test('with a key, no transparency log, a plain-http loopback registry', () => {
    expect(signArgs(keyed, '127.0.0.1:5000/acme/app', digest)).toEqual([
      'sign',
      '--yes',
      '--key',
      '/tmp/run/signing/cosign.key',
      '--signing-config',
      '/tmp/run/signing/signing-config.json',
      '--allow-http-registry',
      '--allow-insecure-registry',
      `127.0.0.1:5000/acme/app@${digest}`,
    ]);
    expect(verifyArgs(keyed, '127.0.0.1:5000/acme/app', digest)).toEqual([
      'verify',
      '--key',
      '/tmp/run/signing/cosign.pub',
      '--insecure-ignore-tlog=true',
      '--allow-http-registry',
      '--allow-insecure-registry',
      `127.0.0.1:5000/acme/app@${digest}`,
    ]);
  });

  test('with a key and a signing config that has a transparency log: verify checks the log', () => {
    const method: SignMethod = { ...keyed, tlog: true, signingConfig: '/w/sc.json' };
    expect(verifyArgs(method, 'ghcr.io/acme/app', digest)).toEqual([
      'verify',
      '--key',
      '/tmp/run/signing/cosign.pub',
      `ghcr.io/acme/app@${digest}`,
    ]);
  });

  test('keyless on the public-good instance: no key, no token, no http flags for an https registry', () => {
    expect(signArgs(keyless, 'ghcr.io/acme/app', digest)).toEqual([
      'sign',
      '--yes',
      `ghcr.io/acme/app@${digest}`,
    ]);
    expect(verifyArgs(keyless, 'ghcr.io/acme/app', digest)).toEqual([
      'verify',
      '--certificate-identity',
      'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      `ghcr.io/acme/app@${digest}`,
    ]);
  });

  test('keyless on a private Sigstore instance: its signing config to sign, its trusted root to verify', () => {
    const method: SignMethod = {
      ...keyless,
      signingConfig: '/w/sigstore/signing-config.json',
      trustedRoot: '/w/sigstore/trusted-root.json',
    };
    expect(signArgs(method, 'registry.corp.example/app', digest)).toEqual([
      'sign',
      '--yes',
      '--signing-config',
      '/w/sigstore/signing-config.json',
      '--trusted-root',
      '/w/sigstore/trusted-root.json',
      `registry.corp.example/app@${digest}`,
    ]);
    expect(verifyArgs(method, 'registry.corp.example/app', digest)).toEqual([
      'verify',
      '--certificate-identity',
      keyless.identity,
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
      '--trusted-root',
      '/w/sigstore/trusted-root.json',
      `registry.corp.example/app@${digest}`,
    ]);
    expect(verifyCommand(method, 'registry.corp.example/app', digest)).toBe(
      `cosign verify --certificate-identity ${keyless.identity} --certificate-oidc-issuer ${GITHUB_ISSUER} --trusted-root trusted-root.json registry.corp.example/app@${digest}`,
    );
  });

  test('the verify command a user runs names cosign.pub, not the key file of the run', () => {
    expect(verifyCommand(keyed, 'ghcr.io/acme/app', digest)).toBe(
      `cosign verify --key cosign.pub --insecure-ignore-tlog=true ghcr.io/acme/app@${digest}`,
    );
  });

  test('public-key derives the public key into a file', () => {
    expect(publicKeyArgs('/k/cosign.key', '/k/cosign.pub')).toEqual([
      'public-key',
      '--key',
      '/k/cosign.key',
      '--outfile',
      '/k/cosign.pub',
    ]);
  });

  test.each([
    ['acme/app', false],
    ['localhost:5000/app', true],
    ['127.0.0.1:5000/app', true],
    ['ghcr.io/acme/app', false],
  ])('%s: http flags %s', (image, insecure) => {
    expect(signArgs(keyless, image, digest).includes('--allow-http-registry')).toBe(insecure);
  });
});

describe('keyless identity', () => {
  const jwt = (claims: object): string =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

  test('the token’s job_workflow_ref (a reusable workflow’s own file) wins over GITHUB_WORKFLOW_REF', () => {
    const claims = tokenClaims(
      jwt({ job_workflow_ref: 'acme/ci/.github/workflows/image.yml@refs/heads/main' }),
    );
    expect(
      workflowIdentity(
        'https://github.com',
        claims.job_workflow_ref as string,
        'acme/app/.github/workflows/release.yml@refs/tags/v1',
      ),
    ).toBe('https://github.com/acme/ci/.github/workflows/image.yml@refs/heads/main');
    expect(
      workflowIdentity(
        'https://ghes.example/',
        undefined,
        'acme/app/.github/workflows/r.yml@refs/tags/v1',
      ),
    ).toBe('https://ghes.example/acme/app/.github/workflows/r.yml@refs/tags/v1');
    expect(workflowIdentity('', undefined, undefined)).toBe('');
  });

  test('a token that is not a JWT has no claims', () => {
    expect(tokenClaims('not-a-token')).toEqual({});
    expect(tokenClaims('a.!!!.c')).toEqual({});
  });
});

describe('signing config and versions', () => {
  test('the no-tlog config is what `cosign signing-config create` writes with no service', () => {
    expect(JSON.parse(NO_TLOG_SIGNING_CONFIG)).toEqual({
      mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
      rekorTlogConfig: {},
      tsaConfig: {},
    });
    expect(signingConfigHasTlog(NO_TLOG_SIGNING_CONFIG)).toBe(false);
    expect(
      signingConfigHasTlog(JSON.stringify({ rekorTlogUrls: [{ url: 'https://rekor.corp' }] })),
    ).toBe(true);
    expect(signingConfigHasTlog('not json')).toBe(false);
  });

  test.each<[string, string | undefined]>([
    ['GitVersion:    v3.0.2\nGitCommit: abc', '3.0.2'],
    ['GitVersion:    v2.5.0', '2.5.0'],
    ['GitVersion:    devel\nGitCommit:     unknown', undefined],
  ])('cosign version %j', (output, version) => {
    expect(parseCosignVersion(output)).toBe(version);
  });

  test.each<[string | undefined, boolean, boolean]>([
    ['3.0.2', false, true],
    ['3.1.1', true, true],
    ['2.5.0', true, false],
    [undefined, true, true],
    [undefined, false, false],
  ])('cosign %s (signing-config: %s) usable: %s', (version, signingConfig, usable) => {
    expect(usableCosign(version, signingConfig)).toBe(usable);
  });

  test('the pinned release and a mirror', () => {
    expect(cosignDownload('3.0.2', 'x64')).toEqual({
      assetName: 'cosign-linux-amd64',
      assetUrl: `${COSIGN_RELEASES}/v3.0.2/cosign-linux-amd64`,
      checksumsUrl: `${COSIGN_RELEASES}/v3.0.2/cosign_checksums.txt`,
    });
    expect(cosignDownload('3.0.2', 'arm64', 'https://mirror.corp/cosign').assetUrl).toBe(
      'https://mirror.corp/cosign/v3.0.2/cosign-linux-arm64',
    );
    expect(() => cosignDownload('3.0.2', 'x64', 'ftp://mirror')).toThrow(
      /^cosign-mirror: "ftp:\/\/mirror" is not an https URL/,
    );
    expect(() => cosignDownload('3.0.2', 'x64', 'http://mirror.corp/cosign')).toThrow(
      /^cosign-mirror: "http:\/\/mirror.corp\/cosign" is plain http, where anyone on the path can replace both/,
    );
    expect(() => cosignDownload('3.0.2', 'mips')).toThrow(
      /^sign: cosign publishes no binary for the architecture "mips"/,
    );
  });
});

describe('decideSigning', () => {
  const facts = (over: Partial<SigningFacts>): SigningFacts => ({
    mode: 'auto',
    hasKey: false,
    idToken: false,
    repositoryPublic: true,
    push: true,
    ...over,
  });
  test.each<[string, Partial<SigningFacts>, string]>([
    ['auto, a key', { hasKey: true, repositoryPublic: false }, 'key'],
    ['auto, public, id-token', { idToken: true }, 'keyless'],
    ['auto, private, id-token', { idToken: true, repositoryPublic: false }, 'none'],
    ['auto, visibility unknown, id-token', { idToken: true, repositoryPublic: undefined }, 'none'],
    ['auto, no id-token', {}, 'none'],
    [
      'true, private, id-token',
      { mode: 'true', idToken: true, repositoryPublic: false },
      'keyless',
    ],
    ['true, a key and id-token', { mode: 'true', hasKey: true, idToken: true }, 'key'],
    ['false, a key', { mode: 'false', hasKey: true }, 'none'],
    ['auto, a key, nothing pushed', { hasKey: true, push: false }, 'none'],
    ['true, nothing to sign with, nothing pushed', { mode: 'true', push: false }, 'none'],
  ])('%s: %s', (_name, over, kind) => {
    const decision = decideSigning(facts(over));
    expect(decision.sign ? decision.kind : 'none').toBe(kind);
    if (decision.sign) expect(decision.required).toBe(over.mode === 'true');
  });

  test('true with no key and no id-token: an error that says what to grant', () => {
    expect(() => decideSigning(facts({ mode: 'true' }))).toThrow(
      /^sign: "true", but there is nothing to sign with: no sign-key, and no OIDC token .*expected `permissions: id-token: write` on the job, or sign-key/,
    );
  });

  test.each<[Record<string, unknown>, boolean | undefined]>([
    [{ repository: { private: false } }, true],
    [{ repository: { private: true } }, false],
    [{ repository: { private: false, visibility: 'internal' } }, false],
    [{ repository: { visibility: 'public' } }, true],
    [{}, undefined],
  ])('repository %j public: %s', (payload, expected) => {
    expect(repositoryIsPublic((payload.repository ?? {}) as Record<string, unknown>)).toBe(
      expected,
    );
  });
});

describe('signing inputs', () => {
  test.each(['auto', 'true', 'false', ' TRUE '])('sign: %j', (value) => {
    expect(signMode(value)).toBe(value.trim().toLowerCase());
  });
  test('sign: maybe names the input, the value and what is expected', () => {
    expect(() => signMode('maybe')).toThrow(
      /^sign: "maybe" is not a signing mode; expected auto \(.*\), true or false$/,
    );
  });
  test('a sign-key that is not PEM is refused without showing it', () => {
    const value = 'c2VjcmV0LWtleS1ieXRlcw==';
    let message = '';
    try {
      checkSignKey(value);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^sign-key: the value \(hidden\) is not a cosign private key;/);
    expect(message).not.toContain(value);
    expect(checkSignKey('')).toBe('');
  });
  test('a key is masked whole and line by line, its armour lines left readable', () => {
    const masked: string[] = [];
    const key =
      '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAAbbbbCCCC\nddddEEEE\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
    maskKey(key, (s) => masked.push(s));
    expect(masked).toEqual([key, 'AAAAbbbbCCCC', 'ddddEEEE']);
  });
});

describe('outputs and summary', () => {
  const images = ['ghcr.io/acme/app', 'docker.io/acme/app'];
  test('signatures: a reference per signed image, `not signed: why` for the others', () => {
    const signing = {
      results: [
        {
          image: images[0],
          reference: `${images[0]}:sha256-${'a'.repeat(64)}`,
          failure: '',
          verifyCommand: 'cosign verify A',
        },
        {
          image: images[1],
          reference: '',
          failure: 'cosign sign failed: DENIED',
          verifyCommand: 'cosign verify B',
        },
      ],
      skipped: '',
      publicKey: '-----BEGIN PUBLIC KEY-----\nPUB\n-----END PUBLIC KEY-----\n',
    };
    expect(signingOutputs(images, signing)).toEqual({
      signatures: JSON.stringify({
        [images[0]]: `${images[0]}:sha256-${'a'.repeat(64)}`,
        [images[1]]: 'not signed: cosign sign failed: DENIED',
      }),
      verifyCommands: 'cosign verify A',
    });
    const markdown = signingMarkdown(signing).join('\n');
    expect(markdown).toContain('### Signatures');
    expect(markdown).toContain('```sh\ncosign verify A\n```');
    expect(markdown).not.toContain('cosign verify B');
    expect(markdown).toContain('-----BEGIN PUBLIC KEY-----\nPUB\n-----END PUBLIC KEY-----');
  });
  test('nothing signed: every image says why', () => {
    const signing = { results: [], skipped: 'sign is false', publicKey: '' };
    expect(JSON.parse(signingOutputs(images, signing).signatures)).toEqual({
      [images[0]]: 'not signed: sign is false',
      [images[1]]: 'not signed: sign is false',
    });
    expect(signingMarkdown(signing)).toEqual(['', '- signed: no (sign is false)']);
  });
});

describe('attest', () => {
  test('one subject per image, public-good Sigstore only for a public repository', () => {
    expect(
      provenanceOptions(['ghcr.io/acme/app', 'docker.io/acme/app'], digest, 'tok', true),
    ).toEqual({
      subjects: [
        { name: 'ghcr.io/acme/app', digest: { sha256: 'a'.repeat(64) } },
        { name: 'docker.io/acme/app', digest: { sha256: 'a'.repeat(64) } },
      ],
      token: 'tok',
      sigstore: 'public-good',
    });
    expect(provenanceOptions(['ghcr.io/acme/app'], digest, 'tok', false).sigstore).toBe('github');
    expect(provenanceOptions(['ghcr.io/acme/app'], digest, 'tok', undefined).sigstore).toBe(
      'github',
    );
    expect(() => provenanceOptions(['a/b'], 'sha512:abc', 'tok', true)).toThrow(
      /^attest: "sha512:abc" is not a sha256 digest/,
    );
  });

  test('attestProvenance is called with those options; its ID and bundle are returned; a failure says what to grant', async () => {
    const calls: unknown[] = [];
    const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json' };
    const attested = await attestProvenanceOf(
      ['ghcr.io/acme/app'],
      digest,
      'tok',
      true,
      (options) => {
        calls.push(options);
        return Promise.resolve({ attestationID: '1234', tlogID: '99', bundle });
      },
    );
    expect(attested).toEqual({ id: '1234', bundle });
    expect(calls).toEqual([provenanceOptions(['ghcr.io/acme/app'], digest, 'tok', true)]);
    await expect(
      attestProvenanceOf(['ghcr.io/acme/app'], digest, 'tok', true, () =>
        Promise.reject(new Error('Resource not accessible by integration')),
      ),
    ).rejects.toThrow(
      /^attest: the build provenance attestation of sha256:a+ failed \(Resource not accessible by integration\); expected `permissions: id-token: write` and `attestations: write`/,
    );
  });

  test('@actions/attest loads (the dependency the bundle carries for attest: true)', async () => {
    const attest = await import('@actions/attest');
    expect(typeof attest.attestProvenance).toBe('function');
  });
});

describe('Signer.keyless with a cosign stand-in that records what it was given', () => {
  // The process boundary is the edge here: a script in cosign's place writes its arguments and
  // whether it saw a token, so the test sees what the real cosign would get.
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sign-unit-'));
    writeFileSync(join(dir, 'config.json'), '{}');
    writeFileSync(
      join(dir, 'cosign'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> ${dir}/argv\nprintf '%s\\n' "$SIGSTORE_ID_TOKEN" >> ${dir}/tokens\n[ "$1" = sign ] && [ -n "$FAIL_SIGN" ] && { echo "Error: PUT: DENIED" >&2; exit 1; }\nexit 0\n`,
    );
    chmodSync(join(dir, 'cosign'), 0o755);
  });
  afterEach(() => {
    delete process.env.FAIL_SIGN;
    rmSync(dir, { recursive: true, force: true });
  });

  const token = `e30.${Buffer.from(
    JSON.stringify({
      job_workflow_ref: 'acme/app/.github/workflows/release.yml@refs/tags/v1.2.3',
      iss: GITHUB_ISSUER,
    }),
  ).toString('base64url')}.signature-part`;

  const signer = (required: boolean) =>
    Signer.keyless(
      {
        signingConfig: '',
        trustedRoot: '',
        serverUrl: 'https://github.com',
        workflowRef: 'acme/app/.github/workflows/other.yml@refs/tags/v1.2.3',
        idToken: () => Promise.resolve(token),
      },
      {
        images: ['ghcr.io/acme/app', '127.0.0.1:5000/acme/app'],
        required,
        dockerConfig: dir,
        cosign: join(dir, 'cosign'),
        locate: (image, d) => Promise.resolve(`${image}:${d.replace(':', '-')}`),
      },
    );

  test('signs and verifies each image with the token in the environment, never in the arguments', async () => {
    const s = signer(false);
    await s.sign(digest);
    const argv = readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n');
    const identity = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3';
    expect(argv).toEqual([
      `sign --yes ghcr.io/acme/app@${digest}`,
      `verify --certificate-identity ${identity} --certificate-oidc-issuer ${GITHUB_ISSUER} ghcr.io/acme/app@${digest}`,
      `sign --yes --allow-http-registry --allow-insecure-registry 127.0.0.1:5000/acme/app@${digest}`,
      `verify --certificate-identity ${identity} --certificate-oidc-issuer ${GITHUB_ISSUER} --allow-http-registry --allow-insecure-registry 127.0.0.1:5000/acme/app@${digest}`,
    ]);
    expect(argv.join('\n')).not.toContain('signature-part');
    expect(readFileSync(join(dir, 'tokens'), 'utf8').trim().split('\n')).toEqual(
      Array(4).fill(token),
    );
    expect(s.results.map((r) => [r.reference, r.failure])).toEqual([
      [`ghcr.io/acme/app:sha256-${'a'.repeat(64)}`, ''],
      [`127.0.0.1:5000/acme/app:sha256-${'a'.repeat(64)}`, ''],
    ]);
    expect(s.results[0].verifyCommand).toBe(
      `cosign verify --certificate-identity ${identity} --certificate-oidc-issuer ${GITHUB_ISSUER} ghcr.io/acme/app@${digest}`,
    );
  });

  test('a registry that refuses: not signed (auto), an error naming the images (true)', async () => {
    process.env.FAIL_SIGN = '1';
    const lenient = signer(false);
    await lenient.sign(digest);
    expect(lenient.results.map((r) => r.failure)).toEqual([
      'cosign sign failed: PUT: DENIED',
      'cosign sign failed: PUT: DENIED',
    ]);
    await expect(signer(true).sign(digest)).rejects.toThrow(
      /^sign is true and ghcr.io\/acme\/app \(cosign sign failed: PUT: DENIED\); 127.0.0.1:5000\/acme\/app \(cosign sign failed: PUT: DENIED\) could not be signed$/,
    );
  });
});

describe('files given for signing', () => {
  test.each([
    ['signing-config', { signingConfig: '/nonexistent/sc.json', trustedRoot: '' }],
    ['trusted-root', { signingConfig: '', trustedRoot: '/nonexistent/root.json' }],
  ])('%s that cannot be read: an error naming the input and the path', (input, files) => {
    expect(() =>
      Signer.keyless(
        {
          ...files,
          serverUrl: '',
          workflowRef: '',
          idToken: () => Promise.resolve(''),
        },
        { images: ['a/b'], required: true, dockerConfig: '/nonexistent', cosign: 'cosign' },
      ),
    ).toThrow(
      new RegExp(
        `^${input}: cannot read "/nonexistent/.*" \\(ENOENT\\); expected the path of a Sigstore`,
      ),
    );
  });
});
