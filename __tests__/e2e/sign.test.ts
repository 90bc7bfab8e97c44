// Signing with a cosign key on the real engine and real registries: the verified digest is
// signed in every registry and each signature is checked here with `cosign verify --key`; a
// registry that refuses the signature is warned about (sign: auto) or fails the release before
// any moving tag moves (sign: true); bad signing inputs fail with what was expected; the key
// and its password appear in no log, output, summary, file or command line.
// Keyless signing runs up to the certificate request, against stand-ins of the runner's token
// service and of a private Fulcio; the rest of it (a real certificate, Rekor) cannot be reached
// here, and its command lines are unit-tested (__tests__/unit/sign.test.ts).
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  COSIGN,
  containerdStore,
  makeContext,
  generateKeyPair,
  makeTempDir,
  processListWhile,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startFaultyProxy,
  startRegistry,
  verifyWithKey,
  type ActionRun,
  type FaultyProxy,
  type Registry,
  type RunOptions,
} from './harness/index.js';

jest.setTimeout(600_000);

const run = promisify(execFile);
const repo = 'acme/app';
const A = { user: 'alice', password: 'e2e-sign-A-pw-Rt7q' };
const KEY_PASSWORD = 'e2e-sign-key-pw-Mv3x9';
const token = 'ghs_e2eSignTokenNotPrinted';

let registryA: Registry;
let registryB: Registry;
const proxies: FaultyProxy[] = [];
let privateKey = '';
let publicKeyFile = '';
/** A directory holding only `cosign`, put first on the step's PATH. */
let cosignBin = '';
/** The test's own Docker config, with the login of registry A: what `cosign verify` reads. */
let verifyConfig = '';
const runs: ActionRun[] = [];
const commandLinesSeen: string[] = [];

beforeAll(async () => {
  [registryA, registryB] = await Promise.all([startRegistry(A), startRegistry()]);
  const pair = await generateKeyPair(KEY_PASSWORD, 'cosign-key');
  privateKey = pair.privateKey;
  publicKeyFile = pair.publicKeyFile;
  cosignBin = join(await makeTempDir('cosign-bin'), 'bin');
  await mkdir(cosignBin);
  await symlink(COSIGN, join(cosignBin, 'cosign'));
  verifyConfig = await makeTempDir('verify-docker-config');
  const auth = Buffer.from(`${A.user}:${A.password}`).toString('base64');
  await writeFile(
    join(verifyConfig, 'config.json'),
    JSON.stringify({ auths: { [registryA.url]: { auth } } }),
  );
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all([registryA, registryB].map((r) => r?.stop()));
  await removeTempDirs();
});

function registryAuth(registry: string): string {
  return `- registry: ${registry}\n  username: ${A.user}\n  password: ${A.password}\n`;
}

async function step(options: RunOptions): Promise<ActionRun> {
  const { result } = await processListWhile(async () => {
    const main = await runAction({
      token,
      ...options,
      inputs: { 'artifact-name': '', ...options.inputs },
      env: { PATH: `${cosignBin}:${process.env.PATH ?? ''}`, ...options.env },
    });
    const post = await runPost(main);
    runs.push(main, post);
    return main;
  }).then((sample) => {
    commandLinesSeen.push(...sample.commandLines);
    return sample;
  });
  if (result.state.dockerConfig) assertNoCredentialsLeft(result);
  return result;
}

function keyInputs(): Record<string, string> {
  return { 'sign-key': privateKey, 'sign-key-password': KEY_PASSWORD };
}

function messages(run: ActionRun, command: string): string[] {
  return run.commands.filter((c) => c.command === command).map((c) => c.message);
}

/** `cosign verify --key` of `image@digest`, run here: the exit code and what it printed. */
function verify(image: string, digest: string): Promise<{ code: number; out: string }> {
  return verifyWithKey(`${image}@${digest}`, publicKeyFile, verifyConfig);
}

async function movingTags(registry: Registry): Promise<Record<string, string | undefined>> {
  const found: Record<string, string | undefined> = {};
  for (const tag of ['latest', '1', '1.2']) found[tag] = await registry.manifestDigest(repo, tag);
  return found;
}

test('a release to two registries is signed with the key in each, and each signature verifies with the public key', async () => {
  const context = await makeContext({ 'id.txt': `signed ${Date.now()}\n` });
  const images = [`${registryA.url}/${repo}`, `${registryB.url}/${repo}`];
  const main = await step({
    event: pushEvent('refs/tags/v1.2.3', { sha: '1'.repeat(40) }),
    inputs: {
      images: images.join('\n'),
      'registry-auth': registryAuth(registryA.url),
      context: context.dir,
      ...keyInputs(),
    },
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(messages(main, 'warning')).toEqual([]);
  expect(main.exitCode).toBe(0);
  const digest = main.outputs.digest;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  const signatureTag = digest.replace(':', '-');

  for (const [index, registry] of [registryA, registryB].entries()) {
    // cosign's signature: the registry has no referrers API, so it is under sha256-<hex>.
    expect(await registry.tags(repo)).toContain(signatureTag);
    expect(await registry.manifestDigest(repo, 'latest')).toBe(digest);
    const checked = await verify(images[index], digest);
    expect(checked.out).toContain('The signatures were verified against the specified public key');
    expect(checked.code).toBe(0);
  }
  expect(JSON.parse(main.outputs.signatures)).toEqual(
    Object.fromEntries(images.map((image) => [image, `${image}:${signatureTag}`])),
  );
  expect(main.outputs['verify-commands'].split('\n')).toEqual(
    images.map(
      (image) =>
        `cosign verify --key cosign.pub --insecure-ignore-tlog=true --allow-http-registry --allow-insecure-registry ${image}@${digest}`,
    ),
  );
  const publicKey = await readFile(publicKeyFile, 'utf8');
  expect(main.outputs['public-key'].trim()).toBe(publicKey.trim());
  expect(main.summary).toContain('### Signatures');
  expect(main.summary).toContain(publicKey.trim());
  expect(main.summary).toContain(main.outputs['verify-commands'].split('\n')[0]);
  // Signed after the stage was verified, before any moving tag moved.
  const log = main.stdout;
  const signedAt = log.indexOf(`signed and verified ${images[1]}@${digest}`);
  expect(signedAt).toBeGreaterThan(log.lastIndexOf(`verified ${images[1]}:1.2.3@${digest}`));
  expect(signedAt).toBeLessThan(log.indexOf(`${images[0]}:latest`, signedAt));
});

test('a registry that refuses the signature (403): a warning names it, the other registry is signed', async () => {
  const proxy = await startFaultyProxy(registryB.port, [
    {
      match: (r) => r.method === 'PUT' && /\/manifests\/sha256-[0-9a-f]{64}/.test(r.path),
      status: 403,
      code: 'DENIED',
      times: Infinity,
    },
  ]);
  proxies.push(proxy);
  const context = await makeContext({ 'id.txt': `refused ${Date.now()}\n` });
  const imageA = `${registryA.url}/${repo}`;
  const imageB = `${proxy.url}/${repo}`;
  const main = await step({
    event: pushEvent('refs/tags/v1.2.4', { sha: '2'.repeat(40) }),
    inputs: {
      images: `${imageA}\n${imageB}`,
      'registry-auth': registryAuth(registryA.url),
      context: context.dir,
      ...keyInputs(),
    },
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  const digest = main.outputs.digest;
  const warnings = messages(main, 'warning');
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain(`signing ${imageB}@${digest}: cosign sign failed`);
  expect(warnings[0]).toContain('the other registries are signed');
  // The refusal reached cosign from the registry's side, not from a crash of the step.
  expect(proxy.requests.some((r) => r.answer === 403)).toBe(true);

  expect((await verify(imageA, digest)).code).toBe(0);
  expect((await verify(imageB, digest)).code).not.toBe(0);
  const signatures = JSON.parse(main.outputs.signatures) as Record<string, string>;
  expect(signatures[imageA]).toBe(`${imageA}:${digest.replace(':', '-')}`);
  expect(signatures[imageB]).toMatch(/^not signed: cosign sign failed/);
  expect(main.outputs['verify-commands'].split('\n')).toHaveLength(1);
  // sign: auto degrades per registry: the release went on, latest moved in both.
  expect(await registryA.manifestDigest(repo, 'latest')).toBe(digest);
  expect(await registryB.manifestDigest(repo, 'latest')).toBe(digest);
});

test('sign: true and a registry that refuses the signature: the release fails and no moving tag moves', async () => {
  const proxy = await startFaultyProxy(registryB.port, [
    {
      match: (r) => r.method === 'PUT' && /\/manifests\/sha256-[0-9a-f]{64}/.test(r.path),
      status: 500,
      code: 'UNKNOWN',
      times: Infinity,
    },
  ]);
  proxies.push(proxy);
  const before = await Promise.all([registryA, registryB].map(movingTags));
  expect(before[0].latest).toMatch(/^sha256:/);
  const context = await makeContext({ 'id.txt': `required ${Date.now()}\n` });
  const imageA = `${registryA.url}/${repo}`;
  const imageB = `${proxy.url}/${repo}`;
  const main = await step({
    event: pushEvent('refs/tags/v1.2.5', { sha: '3'.repeat(40) }),
    inputs: {
      images: `${imageA}\n${imageB}`,
      'registry-auth': registryAuth(registryA.url),
      context: context.dir,
      sign: 'true',
      retries: 0,
      ...keyInputs(),
    },
  });
  expect(main.exitCode).toBe(1);
  const failure = messages(main, 'error').join('\n');
  expect(failure).toContain(`sign is true and ${imageB} (cosign sign failed`);
  expect(failure).toContain('no moving tag was moved');
  // The stage is there (verified), and signed where the registry took it; nothing moved.
  const staged = await registryA.manifestDigest(repo, '1.2.5');
  expect(staged).toMatch(/^sha256:/);
  expect(await Promise.all([registryA, registryB].map(movingTags))).toEqual(before);
  expect(main.summary).toContain('## Image push failed');
  expect(main.summary).toContain('signing: sign is true');
});

test('reuse: the promoted digest is signed again in every registry, the one it was copied to included; its attestations come along', async () => {
  const context = await makeContext({ 'id.txt': `promoted ${Date.now()}\n` });
  const imageA = `${registryA.url}/acme/promoted`;
  const imageB = `${registryB.url}/acme/promoted`;
  const first = await step({
    event: pushEvent('refs/heads/main', { sha: '4'.repeat(40) }),
    inputs: {
      images: imageA,
      'registry-auth': registryAuth(registryA.url),
      context: context.dir,
      reuse: 'true',
      ...keyInputs(),
    },
  });
  expect(messages(first, 'error')).toEqual([]);
  expect(first.exitCode).toBe(0);
  const digest = first.outputs.digest;
  const signatureTag = digest.replace(':', '-');
  const signaturesIn = async (registry: Registry): Promise<number> => {
    const index = await registry.manifest('acme/promoted', signatureTag);
    return Array.isArray(index?.body.manifests) ? index.body.manifests.length : 0;
  };
  expect(await signaturesIn(registryA)).toBe(1);
  expect(await registryB.tags('acme/promoted')).toEqual([]);

  const second = await step({
    event: pushEvent('refs/tags/v2.0.0', { sha: '4'.repeat(40) }),
    inputs: {
      images: `${imageA}\n${imageB}`,
      'registry-auth': registryAuth(registryA.url),
      context: context.dir,
      reuse: 'true',
      ...keyInputs(),
    },
  });
  expect(messages(second, 'error')).toEqual([]);
  expect(second.exitCode).toBe(0);
  expect(second.outputs.reused).toBe('true');
  expect(second.outputs.digest).toBe(digest);
  // This run's signature beside the first one in A; B's first, made on the copy.
  expect(await signaturesIn(registryA)).toBe(2);
  expect(await signaturesIn(registryB)).toBe(1);
  for (const image of [imageA, imageB]) expect((await verify(image, digest)).code).toBe(0);
  expect(JSON.parse(second.outputs.signatures)).toEqual({
    [imageA]: `${imageA}:${signatureTag}`,
    [imageB]: `${imageB}:${signatureTag}`,
  });
  // buildx's provenance and SBOM (when the engine makes them) are copied with the image.
  const [treeA, treeB] = await Promise.all(
    [registryA, registryB].map((r) => r.imageTree('acme/promoted', '2.0.0')),
  );
  // The containerd store's builds carry a provenance attestation (the classic store's none).
  if (containerdStore()) expect(treeA?.predicateTypes.length).toBeGreaterThan(0);
  expect(treeB?.missing).toEqual([]);
  expect(treeB?.predicateTypes).toEqual(treeA?.predicateTypes);
  expect(treeB?.digest).toBe(digest);
});

test.each<[string, Record<string, string>, RegExp]>([
  ['sign: maybe', { sign: 'maybe' }, /^sign: "maybe" is not a signing mode; expected auto/],
  [
    'sign: true with no key and no id-token',
    { sign: 'true' },
    /^sign: "true", but there is nothing to sign with: no sign-key, and no OIDC token/,
  ],
  [
    'a sign-key that is not a key',
    { 'sign-key': './cosign.key' },
    /^sign-key: the value \(hidden\) is not a cosign private key \(it looks like a file path/,
  ],
  [
    'a sign-key cosign cannot read',
    {
      'sign-key':
        '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n',
    },
    /^sign-key: cosign cannot read the key \(.+\); expected a cosign private key/,
  ],
  [
    'a wrong sign-key-password',
    { 'sign-key-password': 'e2e-sign-wrong-pw-Qz8k' },
    /^sign-key: cosign cannot read the key \(.*\); expected a cosign private key/,
  ],
])('%s: a clear error, nothing pushed', async (_name, inputs, expected) => {
  const context = await makeContext({ 'id.txt': `bad ${Date.now()}\n` });
  const main = await step({
    event: pushEvent('refs/tags/v9.0.0', { sha: '9'.repeat(40) }),
    inputs: {
      images: `${registryB.url}/acme/bad`,
      context: context.dir,
      ...(inputs['sign-key-password'] ? { 'sign-key': privateKey } : {}),
      ...inputs,
    },
  });
  expect(main.exitCode).toBe(1);
  const errors = messages(main, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(expected);
  expect(await registryB.tags('acme/bad')).toEqual([]);
});

/** A local HTTP server on 127.0.0.1 answering with `handler`. */
async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** A local HTTP server that records each request and answers it with `answer`. */
async function recordingServer(
  answer: () => { status: number; body: string },
): Promise<{ url: string; requests: { path: string; authorization: string }[]; server: Server }> {
  const requests: { path: string; authorization: string }[] = [];
  const started = await startServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push({ path: req.url ?? '', authorization: req.headers.authorization ?? '' });
      const { status, body } = answer();
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  return { ...started, requests };
}

test('keyless: the job’s OIDC token (audience sigstore) reaches the Fulcio of signing-config from cosign’s environment; a Fulcio that refuses leaves the image unsigned with a warning (sign: auto)', async () => {
  // The runner's token service and a private Fulcio stand in for GitHub's and Sigstore's:
  // the real cosign runs with the action's command line up to the certificate request.
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'sigstore',
    sub: 'repo:acme/app:ref:refs/tags/v3.0.0',
    job_workflow_ref: 'acme/app/.github/workflows/release.yml@refs/tags/v3.0.0',
    exp: 4102444800,
  };
  const idToken = `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.e2e-oidc-signature-part`;
  const requestToken = 'e2e-id-token-request-token-Hq2w';
  const oidc = await recordingServer(() => ({
    status: 200,
    body: JSON.stringify({ value: idToken }),
  }));
  const fulcio = await recordingServer(() => ({
    status: 400,
    body: JSON.stringify({ code: 400, message: 'refused by the e2e Fulcio' }),
  }));
  try {
    const configDir = await makeTempDir('signing-config');
    const signingConfig = join(configDir, 'signing-config.json');
    await run(COSIGN, [
      'signing-config',
      'create',
      `--fulcio=url=${fulcio.url},api-version=1,start-time=2024-01-01T00:00:00Z,operator=e2e`,
      '--out',
      signingConfig,
    ]);
    const context = await makeContext({ 'id.txt': `keyless ${Date.now()}\n` });
    const image = `${registryB.url}/acme/keyless`;
    const main = await step({
      event: pushEvent('refs/tags/v3.0.0', { sha: '5'.repeat(40) }),
      inputs: { images: image, context: context.dir, 'signing-config': signingConfig },
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${oidc.url}/token?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
      },
    });
    expect(messages(main, 'error')).toEqual([]);
    expect(main.exitCode).toBe(0);
    const digest = main.outputs.digest;
    // One token, asked for once with the audience Fulcio expects, with the runner's request token.
    expect(oidc.requests).toEqual([
      { path: '/token?api-version=2.0&audience=sigstore', authorization: `Bearer ${requestToken}` },
    ]);
    expect(fulcio.requests.length).toBeGreaterThan(0);
    for (const request of fulcio.requests) {
      expect(request).toEqual({ path: '/api/v2/signingCert', authorization: `Bearer ${idToken}` });
    }
    expect(messages(main, 'warning')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^signing ${image}@${digest}: cosign sign failed: .*the other registries are signed`,
        ),
      ),
    ]);
    const signatures = JSON.parse(main.outputs.signatures) as Record<string, string>;
    expect(Object.keys(signatures)).toEqual([image]);
    expect(signatures[image]).toMatch(/^not signed: cosign sign failed: /);
    expect(main.outputs['public-key']).toBe('');
    // The release went on: latest moved.
    expect(await registryB.manifestDigest('acme/keyless', 'latest')).toBe(digest);
    // The token was masked as soon as the action had it.
    expect(main.masks).toContain(idToken);
    assertNoSecrets(
      [main],
      { 'OIDC token': idToken, 'token request token': requestToken },
      {
        commandLines: commandLinesSeen,
      },
    );
  } finally {
    await Promise.all([oidc, fulcio].map(({ server }) => stopServer(server)));
  }
});

/**
 * The test process's PATH without any cosign: a directory that holds one (the containerd-store
 * engine's, beside its docker CLI) is replaced by a copy of its links without cosign.
 */
async function pathWithoutCosign(): Promise<string> {
  const dirs: string[] = [];
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir === cosignBin || !existsSync(join(dir, 'cosign'))) {
      if (dir !== cosignBin) dirs.push(dir);
      continue;
    }
    const shadow = join(await makeTempDir('path-without-cosign'), 'bin');
    await mkdir(shadow);
    for (const name of await readdir(dir)) {
      if (name !== 'cosign') await symlink(join(dir, name), join(shadow, name));
    }
    dirs.push(shadow);
  }
  return dirs.join(':');
}

test.each([
  ['the checksum matches: cosign is installed from the mirror, tool-cached, and signs', true],
  ['the checksum does not match: nothing is installed, built or pushed', false],
])('no cosign on the runner, cosign-mirror set; %s', async (_name, good) => {
  // A mirror laid out like github.com/sigstore/cosign/releases/download, serving the local
  // cosign 3 as the pinned release's linux-amd64 binary.
  const binary = await readFile(COSIGN);
  const sum = createHash('sha256')
    .update(good ? binary : Buffer.from('another file'))
    .digest('hex');
  const asset = `cosign-linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
  const served: string[] = [];
  const mirror = await startServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url === `/v3.0.2/${asset}`) {
      res.writeHead(200, { 'Content-Length': binary.length });
      createReadStream(COSIGN).pipe(res);
    } else if (req.url === '/v3.0.2/cosign_checksums.txt') {
      res.end(`${'0'.repeat(64)}  cosign-darwin-amd64\n${sum}  ${asset}\n`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  try {
    const context = await makeContext({ 'id.txt': `mirror ${good} ${Date.now()}\n` });
    const image = `${registryB.url}/acme/mirror-${good ? 'good' : 'bad'}`;
    const main = await step({
      event: pushEvent('refs/tags/v4.0.0', { sha: '6'.repeat(40) }),
      inputs: { images: image, context: context.dir, 'cosign-mirror': mirror.url, ...keyInputs() },
      env: { PATH: await pathWithoutCosign() },
    });
    expect(main.stdout).toContain('cosign on the runner: none');
    expect(served).toEqual(['/v3.0.2/cosign_checksums.txt', `/v3.0.2/${asset}`]);
    if (good) {
      expect(messages(main, 'error')).toEqual([]);
      expect(main.exitCode).toBe(0);
      expect(main.stdout).toContain(`sha256 of ${asset} matches cosign_checksums.txt: ${sum}`);
      expect(main.stdout).toMatch(/cosign 3\.0\.2 installed for this job: .*\/cosign\/3\.0\.2\//);
      expect((await verify(image, main.outputs.digest)).code).toBe(0);
    } else {
      expect(main.exitCode).toBe(1);
      const actual = createHash('sha256').update(binary).digest('hex');
      expect(messages(main, 'error')).toEqual([
        `sign: refusing ${asset} from ${mirror.url}/v3.0.2/${asset}: its sha256 is ${actual}, but ${mirror.url}/v3.0.2/cosign_checksums.txt says ${sum}`,
      ]);
      expect(await registryB.tags(`acme/mirror-bad`)).toEqual([]);
    }
  } finally {
    await stopServer(mirror.server);
  }
});

test('no key, password or token in any log, output, summary, file left or command line', () => {
  expect(runs.length).toBeGreaterThanOrEqual(6);
  const keyBody = privateKey
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
  // The key's longest base64 line is enough to find any piece of it.
  const longest = privateKey
    .split('\n')
    .filter((line) => !line.startsWith('-----'))
    .sort((a, b) => b.length - a.length)[0];
  assertNoSecrets(
    runs,
    {
      'sign-key': keyBody,
      'sign-key line': longest,
      'sign-key-password': KEY_PASSWORD,
      'registry password': A.password,
      'github token': token,
    },
    { commandLines: commandLinesSeen },
  );
  // The signing processes were seen, and none had the key or the password on its command line.
  const cosignLines = commandLinesSeen.filter((l) => /\bcosign (sign|verify|public-key)\b/.test(l));
  expect(cosignLines.length).toBeGreaterThan(0);
  for (const line of cosignLines) {
    expect(line).not.toContain(KEY_PASSWORD);
    expect(line).not.toContain(longest);
  }
});
