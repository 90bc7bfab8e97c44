// Promotion of an exact digest (promote), on the real engine and two registries: a release of
// registry A is promoted into registry B under every planned tag with the same digest (index,
// attestations and its cosign signature copied), an older version promoted after it moves no
// moving tag back, a tag is read once and pinned, and a digest that is not there fails with
// nothing tagged. Every registry is checked through its own API.
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  COSIGN,
  generateKeyPair,
  makeContext,
  makeTempDir,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startRegistry,
  verifyWithKey,
  type ActionRun,
  type Registry,
} from './harness/index.js';

jest.setTimeout(300_000);

const A = { user: 'stager', password: 'e2e-promote-A-pw-Mx42' };
const B = { user: 'releaser', password: 'e2e-promote-B-pw-Qp19' };
const token = 'ghs_e2ePromoteTokenNeverPrinted00';
const KEY_PASSWORD = 'e2e-promote-key-pw-Ls07';
const repo = 'acme/app';

let registryA: Registry;
let registryB: Registry;
let privateKey = '';
let publicKeyFile = '';
let cosignBin = '';
let verifyConfig = '';
const runs: ActionRun[] = [];

beforeAll(async () => {
  [registryA, registryB] = await Promise.all([startRegistry(A), startRegistry(B)]);
  const pair = await generateKeyPair(KEY_PASSWORD, 'promote-cosign-key');
  privateKey = pair.privateKey;
  publicKeyFile = pair.publicKeyFile;
  cosignBin = join(await makeTempDir('promote-cosign-bin'), 'bin');
  await mkdir(cosignBin);
  await symlink(COSIGN, join(cosignBin, 'cosign'));
  verifyConfig = await makeTempDir('promote-verify-config');
  const auth = Buffer.from(`${B.user}:${B.password}`).toString('base64');
  await writeFile(
    join(verifyConfig, 'config.json'),
    JSON.stringify({ auths: { [registryB.url]: { auth } } }),
  );
});

afterAll(async () => {
  await Promise.all([registryA, registryB].map((r) => r?.stop()));
  assertNoSecrets(runs, {
    a: A.password,
    b: B.password,
    token,
    keyPassword: KEY_PASSWORD,
    key: privateKey.split('\n')[1] ?? '',
  });
  await removeTempDirs();
});

const auth = (): string =>
  [
    [registryA, A],
    [registryB, B],
  ]
    .map(
      ([r, l]) =>
        `- registry: ${(r as Registry).url}\n  username: ${(l as typeof A).user}\n  password: ${(l as typeof A).password}\n`,
    )
    .join('');

async function step(version: string, inputs: Record<string, string>): Promise<ActionRun> {
  const sha = version.replace(/\D/g, '').padEnd(40, '0').slice(0, 40);
  const main = await runAction({
    token,
    event: pushEvent(`refs/tags/v${version}`, { sha }),
    inputs: { 'registry-auth': auth(), 'artifact-name': '', ...inputs },
    env: { PATH: `${cosignBin}:${process.env.PATH ?? ''}` },
  });
  const post = await runPost(main);
  runs.push(main, post);
  expect(post.exitCode).toBe(0);
  if (main.state.dockerConfig) assertNoCredentialsLeft(main);
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

async function release(version: string): Promise<string> {
  const context = await makeContext({ 'id.txt': `${randomUUID()}\n` });
  const run = await step(version, {
    images: `${registryA.url}/${repo}`,
    context: context.dir,
    sign: 'true',
    'sign-key': privateKey,
    'sign-key-password': KEY_PASSWORD,
  });
  expect(errors(run)).toEqual([]);
  return run.outputs.digest;
}

const tagsOf = (v: string): string[] => {
  const [major, minor] = v.split('.');
  const sha = v.replace(/\D/g, '').padEnd(40, '0').slice(0, 7);
  return [v, `${major}.${minor}`, major, 'latest', `sha-${sha}`];
};

let older = '';
let newer = '';

test('a released digest of registry A is promoted into B under every planned tag, its signature copied and verified', async () => {
  older = await release('1.0.0');
  newer = await release('2.0.0');
  expect(newer).not.toBe(older);
  expect(await registryA.manifestDigest(repo, 'latest')).toBe(newer);

  const run = await step('2.0.0', {
    images: `${registryB.url}/${repo}`,
    promote: `${registryA.url}/${repo}@${newer}`,
  });
  expect(errors(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.digest).toBe(newer);
  expect(run.outputs.refs).toBe(`${registryB.url}/${repo}@${newer}`);
  for (const tag of tagsOf('2.0.0')) expect(await registryB.manifestDigest(repo, tag)).toBe(newer);
  // Byte for byte: the whole tree (attestations included) is in B, and nothing was built.
  const tree = await registryB.imageTree(repo, '2.0.0');
  expect(tree?.missing).toEqual([]);
  expect(run.stdout).not.toContain('buildx build');
  // The signature made in A came along, and still verifies in B.
  const sigTag = newer.replace(':', '-');
  expect(await registryB.manifestDigest(repo, sigTag)).toBe(
    await registryA.manifestDigest(repo, sigTag),
  );
  const verified = await verifyWithKey(
    `${registryB.url}/${repo}@${newer}`,
    publicKeyFile,
    verifyConfig,
  );
  expect(verified.out).toContain('The signatures were verified');
  expect(verified.code).toBe(0);
});

test('an older version promoted after it moves no moving tag back', async () => {
  expect(newer).not.toBe('');
  const run = await step('1.0.0', {
    images: `${registryB.url}/${repo}`,
    promote: `${registryA.url}/${repo}:1.0.0`,
  });
  expect(errors(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  // The tag was read once: that digest is what B got.
  expect(run.stdout).toContain(`${registryA.url}/${repo}:1.0.0 is ${older}`);
  for (const tag of ['1.0.0', '1.0', '1', 'sha-1000000'])
    expect(await registryB.manifestDigest(repo, tag)).toBe(older);
  expect(await registryB.manifestDigest(repo, 'latest')).toBe(newer);
  expect(run.outputs['held-back']).toBe(`${registryB.url}/${repo}:latest`);
});

test('a digest that is not in the source registry fails, naming promote, with nothing tagged', async () => {
  const missing = `sha256:${'e'.repeat(64)}`;
  const before = await registryB.tags(repo);
  const run = await step('3.0.0', {
    images: `${registryB.url}/${repo}`,
    promote: `${registryA.url}/${repo}@${missing}`,
  });
  expect(run.exitCode).toBe(1);
  expect(errors(run).join('\n')).toContain(
    `promote: ${registryA.url}/${repo}@${missing} was not found in its registry`,
  );
  expect(await registryB.tags(repo)).toEqual(before);
});
