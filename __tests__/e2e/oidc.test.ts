// Docker Hub's OIDC login as docker/login-action does it (username, no password,
// DOCKERHUB_OIDC_CONNECTIONID, `id-token: write`), on the real engine, against stand-ins: the
// runner's ID token service, Docker's identity service (its token exchange, which checks the
// form and answers an access token, once rate-limited first) and a registry with htpasswd auth
// whose password is that access token, counted as Docker Hub through the action's test-only,
// loopback-only BUILD_TAG_PUSH_TEST_DOCKERHUB_* variables. The token is masked and appears in no
// log, output, summary, file or command line; a refused exchange fails and pushes nothing.
import { jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  assertNoCredentialsLeft,
  assertNoSecrets,
  makeContext,
  processListWhile,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startForwardProxy,
  startRegistry,
  type ActionRun,
  type Registry,
  type RunOptions,
} from './harness/index.js';

jest.setTimeout(240_000);

const CONNECTION = '3f2c1a9e-7b4d-4e8a-9c1f-2d5e6a7b8c9d';
const USER = 'acme';
// What Docker's identity service hands out, and the registry's password for USER.
const ACCESS_TOKEN = 'dckr_oat_e2eOidcAccessToken-Zp8r2Wq';
const REQUEST_TOKEN = 'e2e-oidc-id-token-request-token-Hq2w';
const ID_TOKEN = `eyJhbGciOiJub25lIn0.${Buffer.from(
  JSON.stringify({ aud: 'https://identity.docker.com', sub: 'repo:acme/app:ref:refs/tags/v1.0.0' }),
).toString('base64url')}.e2e-oidc-id-token-signature`;
const token = 'ghs_e2eOidcTokenNotPrinted';

interface Recorded {
  path: string;
  authorization: string;
  contentType: string;
  body: string;
}

interface StandIn {
  url: string;
  server: Server;
  requests: Recorded[];
  /** The answers still to give, in order; the last one is repeated. */
  answers: { status: number; body: string; headers?: Record<string, string> }[];
}

let registry: Registry;
let idTokens: StandIn;
let identity: StandIn;
const runs: ActionRun[] = [];
const commandLinesSeen: string[] = [];

/** A local HTTP server on 127.0.0.1 that records each request and gives its `answers` in turn. */
async function standIn(): Promise<StandIn> {
  const requests: Recorded[] = [];
  const answers: StandIn['answers'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        authorization: req.headers.authorization ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? {
        status: 500,
        body: '{"error":"no answer set"}',
      };
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    requests,
    answers,
  };
}

async function stop({ server }: StandIn): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

beforeAll(async () => {
  [registry, idTokens, identity] = await Promise.all([
    startRegistry({ user: USER, password: ACCESS_TOKEN }),
    standIn(),
    standIn(),
  ]);
  idTokens.answers.push({ status: 200, body: JSON.stringify({ value: ID_TOKEN }) });
});

afterAll(async () => {
  await Promise.all([idTokens, identity].filter(Boolean).map(stop));
  await registry?.stop();
  await removeTempDirs();
});

beforeEach(() => {
  idTokens.requests.length = 0;
  identity.requests.length = 0;
  identity.answers.length = 0;
});

/** The environment of a job with `id-token: write` and docker/login-action's OIDC variables. */
function oidcEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: `${idTokens.url}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
    DOCKERHUB_OIDC_CONNECTIONID: CONNECTION,
    DOCKERHUB_OIDC_EXPIREIN: '600',
    BUILD_TAG_PUSH_TEST_DOCKERHUB_REGISTRY: registry.url,
    BUILD_TAG_PUSH_TEST_DOCKERHUB_IDENTITY: `${identity.url}/oauth/token`,
    ...extra,
  };
}

async function step(options: RunOptions): Promise<ActionRun> {
  const sample = await processListWhile(async () => {
    const main = await runAction({
      token,
      ...options,
      // id-token: write makes `sign: auto` sign keyless, which needs Sigstore (sign.test.ts).
      inputs: { 'artifact-name': '', sign: 'false', ...options.inputs },
    });
    const post = await runPost(main);
    runs.push(main, post);
    return main;
  });
  commandLinesSeen.push(...sample.commandLines);
  if (sample.result.state.dockerConfig) assertNoCredentialsLeft(sample.result);
  return sample.result;
}

function messages(run: ActionRun, command: string): string[] {
  return run.commands.filter((c) => c.command === command).map((c) => c.message);
}

const secrets = {
  'Docker Hub access token': ACCESS_TOKEN,
  'OIDC ID token': ID_TOKEN,
  'ID token request token': REQUEST_TOKEN,
};

test('username, no password and DOCKERHUB_OIDC_CONNECTIONID: the ID token is exchanged (a 429 retried after its Retry-After) and the image is pushed with the access token', async () => {
  identity.answers.push(
    { status: 429, body: '{"error":"slow_down"}', headers: { 'Retry-After': '1' } },
    { status: 200, body: JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'bearer' }) },
  );
  const context = await makeContext({ 'id.txt': `oidc ${Date.now()}\n` });
  const image = `${registry.url}/acme/app`;
  const main = await step({
    event: pushEvent('refs/tags/v1.0.0', { sha: '1'.repeat(40) }),
    inputs: { images: image, registry: registry.url, username: USER, context: context.dir },
    env: oidcEnv(),
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  const digest = main.outputs.digest;
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  for (const tag of ['1.0.0', '1.0', '1', 'latest']) {
    expect(await registry.manifestDigest('acme/app', tag)).toBe(digest);
  }
  // One ID token, for Docker's audience, asked with the runner's request token.
  expect(idTokens.requests.map(({ path, authorization }) => ({ path, authorization }))).toEqual([
    {
      path: '/token?api-version=2.0&audience=https%3A%2F%2Fidentity.docker.com',
      authorization: `Bearer ${REQUEST_TOKEN}`,
    },
  ]);
  // The exchange: asked again after the 429, each time with the form of docker/login-action.
  expect(identity.requests).toHaveLength(2);
  for (const request of identity.requests) {
    expect(request.path).toBe('/oauth/token');
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: ID_TOKEN,
      connection_id: CONNECTION,
      expires_in: '600',
    });
  }
  expect(main.stdout).toContain('HTTP 429 Too Many Requests, Retry-After 1; retry 1/3 in 1 s');
  expect(main.stdout).toContain(`logged in to ${registry.url} as ${USER}`);
  // Masked as soon as the action had it, and never shown anywhere.
  expect(main.masks).toEqual(expect.arrayContaining([ACCESS_TOKEN, ID_TOKEN]));
  assertNoSecrets(runs, secrets, { commandLines: commandLinesSeen });
});

test('behind a forward proxy: the token exchange goes through HTTPS_PROXY/HTTP_PROXY as the registry requests do', async () => {
  // A name the proxy resolves (the client never does): loopback addresses are never proxied.
  const proxy = await startForwardProxy({ hosts: { 'identity.e2e.localhost': '127.0.0.1' } });
  try {
    identity.answers.push({ status: 200, body: JSON.stringify({ access_token: ACCESS_TOKEN }) });
    const port = new URL(identity.url).port;
    const context = await makeContext({ 'id.txt': `proxied ${Date.now()}\n` });
    const main = await step({
      event: pushEvent('refs/tags/v1.1.0', { sha: '4'.repeat(40) }),
      inputs: {
        images: `${registry.url}/acme/proxied`,
        registry: registry.url,
        username: USER,
        context: context.dir,
      },
      env: oidcEnv({
        BUILD_TAG_PUSH_TEST_DOCKERHUB_IDENTITY: `http://identity.e2e.localhost:${port}/oauth/token`,
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: '',
        http_proxy: undefined,
        https_proxy: undefined,
        no_proxy: undefined,
      }),
    });
    expect(messages(main, 'error')).toEqual([]);
    expect(main.exitCode).toBe(0);
    expect(await registry.manifestDigest('acme/proxied', '1.1.0')).toBe(main.outputs.digest);
    expect(identity.requests).toHaveLength(1);
    expect(proxy.requests).toContainEqual(
      expect.objectContaining({
        kind: 'http',
        method: 'POST',
        url: `http://identity.e2e.localhost:${port}/oauth/token`,
      }),
    );
    assertNoSecrets(runs, secrets, { commandLines: commandLinesSeen });
  } finally {
    await proxy.stop();
  }
});

test('registry-auth: an entry of Docker Hub with a username and no password logs in through OIDC too', async () => {
  identity.answers.push({ status: 200, body: JSON.stringify({ access_token: ACCESS_TOKEN }) });
  const context = await makeContext({ 'id.txt': `registry-auth ${Date.now()}\n` });
  const main = await step({
    event: pushEvent('refs/tags/v1.2.0', { sha: '5'.repeat(40) }),
    inputs: {
      images: `${registry.url}/acme/listed`,
      'registry-auth': `- registry: ${registry.url}\n  username: ${USER}\n`,
      context: context.dir,
    },
    env: oidcEnv(),
  });
  expect(messages(main, 'error')).toEqual([]);
  expect(main.exitCode).toBe(0);
  expect(await registry.manifestDigest('acme/listed', '1.2.0')).toBe(main.outputs.digest);
  expect(identity.requests).toHaveLength(1);
  expect(main.masks).toContain(ACCESS_TOKEN);
  assertNoSecrets(runs, secrets, { commandLines: commandLinesSeen });
});

test('a refused exchange fails with what to check, and nothing is built or pushed', async () => {
  identity.answers.push({
    status: 401,
    body: JSON.stringify({ error: 'access_denied', error_description: 'subject not allowed' }),
  });
  const context = await makeContext({ 'id.txt': `refused ${Date.now()}\n` });
  const main = await step({
    event: pushEvent('refs/tags/v2.0.0', { sha: '2'.repeat(40) }),
    inputs: {
      images: `${registry.url}/acme/refused`,
      registry: registry.url,
      username: USER,
      context: context.dir,
    },
    env: oidcEnv(),
  });
  expect(main.exitCode).toBe(1);
  expect(messages(main, 'error')).toEqual([
    `Docker Hub OIDC login as ${USER} (DOCKERHUB_OIDC_CONNECTIONID ${CONNECTION}) failed: ${new URL(identity.url).host} refused the token exchange: HTTP 401 Unauthorized: access_denied: subject not allowed; check that the OIDC connection's ruleset allows this repository, ref and workflow, and that username (${USER}) is the Docker Hub organization of the connection`,
  ]);
  // Refused is final: asked once.
  expect(identity.requests).toHaveLength(1);
  expect(await registry.tags('acme/refused')).toEqual([]);
  expect(main.stdout).not.toContain('buildx build');
  assertNoSecrets(runs, secrets, { commandLines: commandLinesSeen });
});

test.each([
  [
    'a connection ID that is not a UUID',
    { DOCKERHUB_OIDC_CONNECTIONID: 'acme-connection' },
    'DOCKERHUB_OIDC_CONNECTIONID: "acme-connection" is not a UUID; expected the ID of a Docker Hub OIDC connection',
  ],
  [
    'an expiry out of range',
    { DOCKERHUB_OIDC_EXPIREIN: '7200' },
    'DOCKERHUB_OIDC_EXPIREIN: "7200" is not a whole number of seconds from 300 to 3600',
  ],
  [
    'a job without id-token: write',
    { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
    'the job has no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); expected `permissions: id-token: write` on the job, or a password',
  ],
  [
    'a test identity service that is not on the loopback',
    { BUILD_TAG_PUSH_TEST_DOCKERHUB_IDENTITY: 'https://identity.example.com/oauth/token' },
    'BUILD_TAG_PUSH_TEST_DOCKERHUB_IDENTITY: "https://identity.example.com/oauth/token" is not a loopback URL',
  ],
])('%s fails before anything is asked or pushed', async (_name, env, expected) => {
  const context = await makeContext({ 'id.txt': `bad ${Date.now()}\n` });
  const main = await step({
    event: pushEvent('refs/tags/v3.0.0', { sha: '3'.repeat(40) }),
    inputs: {
      images: `${registry.url}/acme/bad`,
      registry: registry.url,
      username: USER,
      context: context.dir,
    },
    env: oidcEnv(env),
  });
  expect(main.exitCode).toBe(1);
  const errors = messages(main, 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(expected);
  expect(idTokens.requests).toEqual([]);
  expect(identity.requests).toEqual([]);
  expect(await registry.tags('acme/bad')).toEqual([]);
});
