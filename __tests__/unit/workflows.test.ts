// The pure parts behind real workflows: proxy choice (docker's rules), digest artifact names
// for matrix jobs, where there is no artifact service, cloud registry hints, docker's
// credential lookup (with a real credential helper process), identity tokens.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expandArtifactName,
  jobRunId,
  noArtifactService,
  unknownPlaceholders,
} from '../../src/artifact/name.js';
import { helperFor, keyHost, storedLogin } from '../../src/docker/credentials.js';
import { loginHint } from '../../src/docker/login.js';
import { earlierLoginRegistry, resolveLogins } from '../../src/inputs/logins.js';
import { RegistryClient } from '../../src/registry/client.js';
import { proxyFor } from '../../src/registry/proxy.js';

describe('proxyFor: HTTPS_PROXY, HTTP_PROXY and NO_PROXY as docker reads them', () => {
  const proxy = 'http://proxy.corp:3128';
  test.each<[string, Record<string, string>, string]>([
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy }, proxy],
    ['https://ghcr.io/v2/', { https_proxy: proxy }, proxy],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, https_proxy: 'http://other:1' }, proxy],
    ['https://ghcr.io/v2/', { HTTP_PROXY: proxy }, ''],
    ['http://vm:5000/v2/', { HTTP_PROXY: proxy }, proxy],
    ['http://vm:5000/v2/', { HTTP_PROXY: 'proxy.corp:3128' }, proxy],
    ['http://127.0.0.1:5000/v2/', { HTTP_PROXY: proxy }, ''],
    ['http://127.9.9.9:5000/v2/', { HTTP_PROXY: proxy }, ''],
    ['http://localhost:5000/v2/', { HTTP_PROXY: proxy }, ''],
    ['http://[::1]:5000/v2/', { HTTP_PROXY: proxy }, ''],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '*' }, ''],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: 'ghcr.io' }, ''],
    ['https://pkg.ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: 'ghcr.io' }, ''],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '.ghcr.io' }, proxy],
    ['https://pkg.ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '.ghcr.io' }, ''],
    ['https://pkg.ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '*.ghcr.io' }, ''],
    ['https://notghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: 'ghcr.io' }, proxy],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: 'ghcr.io:443' }, ''],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: 'ghcr.io:8443' }, proxy],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, no_proxy: 'GHCR.IO' }, ''],
    ['https://10.1.2.3/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '10.0.0.0/8' }, ''],
    ['https://11.1.2.3/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '10.0.0.0/8' }, proxy],
    ['https://10.1.2.3:5000/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '10.1.2.3' }, ''],
    ['https://10.1.2.3/v2/', { HTTPS_PROXY: proxy, NO_PROXY: '1.2.3' }, proxy],
    ['https://[fd00::5]/v2/', { HTTPS_PROXY: proxy, NO_PROXY: 'fd00::/8' }, ''],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: proxy, NO_PROXY: ' , example.com , ghcr.io' }, ''],
  ])('%s with %j: %j', (url, env, expected) => {
    expect(proxyFor(new URL(url), env)).toBe(expected);
  });
});

describe('digest artifact names', () => {
  const parts = { image: 'ghcr.io/acme/app', job: 'image', jobRunId: 'j-1', step: '__acme_x' };
  test('the default is one per image, job and step', () => {
    const template = 'image-digest-{{image}}-{{job}}';
    const a = expandArtifactName(template, parts);
    expect(a).toMatch(/^image-digest-ghcr\.io-acme-app-image-[0-9a-f]{8}$/);
    expect(expandArtifactName(template, parts)).toBe(a);
    const names = [
      a,
      expandArtifactName(template, { ...parts, jobRunId: 'j-2' }),
      expandArtifactName(template, { ...parts, step: '__acme_x_2' }),
      expandArtifactName(template, { ...parts, image: 'ghcr.io/acme/other' }),
    ];
    expect(new Set(names).size).toBe(4);
  });

  test.each([
    ['digests', 'digests'],
    ['d-{{ image }}', 'd-127.0.0.1-5000-acme-app'],
  ])('%s with a port and a tag in the image: %s', (template, expected) => {
    expect(expandArtifactName(template, { ...parts, image: '127.0.0.1:5000/acme/app:1' })).toBe(
      expected,
    );
  });

  test('placeholders are checked', () => {
    expect(unknownPlaceholders('a-{{image}}-{{job}}')).toEqual([]);
    expect(unknownPlaceholders('a-{{platform}}')).toEqual(['platform']);
  });

  test('the job run ID comes from the runtime token scope', () => {
    const claims = Buffer.from(
      JSON.stringify({ scp: 'Actions.ExampleScope Actions.Results:run-1:job-9' }),
    ).toString('base64url');
    expect(jobRunId(`h.${claims}.s`)).toBe('job-9');
    expect(jobRunId('not a token')).toBe('');
  });

  test.each<[Record<string, string>, string]>([
    [{ ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'u' }, ''],
    [
      {
        GITHUB_SERVER_URL: 'https://github.com',
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_RESULTS_URL: 'u',
      },
      '',
    ],
    [
      {
        GITHUB_SERVER_URL: 'https://acme.ghe.com',
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_RESULTS_URL: 'u',
      },
      '',
    ],
    [
      {
        GITHUB_SERVER_URL: 'https://ghes.acme.internal',
        ACTIONS_RUNTIME_TOKEN: 't',
        ACTIONS_RESULTS_URL: 'u',
      },
      'GitHub Enterprise Server (https://ghes.acme.internal) has no artifact service that this action can upload to',
    ],
    [{}, 'ACTIONS_RUNTIME_TOKEN is not set (not running on GitHub Actions)'],
    [
      { ACTIONS_RUNTIME_TOKEN: 't' },
      'ACTIONS_RESULTS_URL is not set (the runner gives no artifact service)',
    ],
  ])('artifact service for %j: %j', (env, expected) => {
    expect(noArtifactService(env)).toBe(expected);
  });
});

describe('logins of earlier steps', () => {
  const inputs = { registry: '', username: '', password: '', githubToken: 'ghs_t' };
  test.each<[Partial<typeof inputs>, string]>([
    [{ registry: 'europe-docker.pkg.dev' }, 'europe-docker.pkg.dev'],
    [{ registry: 'https://1.dkr.ecr.x.amazonaws.com/' }, '1.dkr.ecr.x.amazonaws.com'],
    [{ registry: 'ghcr.io' }, ''],
    [{ registry: 'quay.io', username: 'u' }, ''],
    [{}, ''],
  ])('earlierLoginRegistry(%j) is %j, and no login is made for it', (given, expected) => {
    expect(earlierLoginRegistry({ ...inputs, ...given })).toBe(expected);
    if (expected) expect(resolveLogins({ ...inputs, ...given }, 'mona')).toEqual([]);
  });

  test.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', 'aws-actions/amazon-ecr-login'],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'aws-actions/amazon-ecr-login'],
    ['us-docker.pkg.dev', 'gcloud auth configure-docker us-docker.pkg.dev'],
    ['gcr.io', 'gcloud auth configure-docker gcr.io'],
    ['eu.gcr.io', 'gcloud auth configure-docker eu.gcr.io'],
  ])('%s: the hint names %s', (registry, step) => {
    expect(loginHint(registry)).toContain(step);
  });

  test.each(['quay.io', 'acme.azurecr.io', 'notgcr.io'])('%s: no cloud hint', (registry) => {
    expect(loginHint(registry)).toBe('');
  });

  test('a username without a password on ECR names the login step', () => {
    expect(() =>
      resolveLogins(
        { ...inputs, registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', username: 'AWS' },
        'mona',
      ),
    ).toThrow(
      /password: empty for registry 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com; set password to a token or password for AWS; for Amazon ECR run aws-actions\/amazon-ecr-login/,
    );
  });
});

describe("docker's credential lookup in a Docker config", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'btp-creds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (config: unknown): void =>
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));

  test.each([
    ['https://ghcr.io/v2/', 'ghcr.io'],
    ['http://127.0.0.1:5000', '127.0.0.1:5000'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
  ])('keyHost(%s) is %s', (key, host) => {
    expect(keyHost(key)).toBe(host);
  });

  test('auths: auth, identitytoken, by host when the key has a scheme; Docker Hub under its key', async () => {
    write({
      auths: {
        'https://quay.io': { auth: Buffer.from('q:p:w').toString('base64') },
        'acme.azurecr.io': {
          auth: Buffer.from('00000000-0000-0000-0000-000000000000:').toString('base64'),
          identitytoken: 'refresh-tok',
        },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:hp').toString('base64') },
      },
    });
    expect((await storedLogin(dir, 'quay.io'))?.credentials).toEqual({
      username: 'q',
      password: 'p:w',
    });
    expect(await storedLogin(dir, 'acme.azurecr.io')).toEqual({
      credentials: {
        username: '00000000-0000-0000-0000-000000000000',
        password: '',
        identityToken: 'refresh-tok',
      },
      source: `auths in ${join(dir, 'config.json')}`,
    });
    expect((await storedLogin(dir, 'docker.io'))?.credentials.username).toBe('hub');
    expect(await storedLogin(dir, 'ghcr.io')).toBeUndefined();
  });

  test('credHelpers, then credsStore, run as docker-credential-<name> get with the server on stdin', async () => {
    const script = (name: string, body: string): void => {
      writeFileSync(join(dir, `docker-credential-${name}`), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, `docker-credential-${name}`), 0o755);
    };
    script(
      'gc',
      'read -r s; [ "$1" = get ] && [ "$s" = us-docker.pkg.dev ] && printf \'{"ServerURL":"%s","Username":"oauth2accesstoken","Secret":"ya29.x"}\' "$s" && exit 0; echo "credentials not found in native keychain"; exit 1',
    );
    script(
      'store',
      'read -r s; [ "$s" = acme.azurecr.io ] && echo \'{"Username":"<token>","Secret":"rt"}\' && exit 0; echo "credentials not found in native keychain"; exit 1',
    );
    script('broken', 'exit 3');
    write({
      auths: { 'quay.io': { auth: Buffer.from('q:p').toString('base64') } },
      credHelpers: { 'us-docker.pkg.dev': 'gc', 'bad.io': 'broken' },
      credsStore: 'store',
    });
    const env = { PATH: `${dir}:${process.env.PATH ?? ''}` };
    expect(helperFor({ credHelpers: { 'ghcr.io': 'gh' }, credsStore: 's' }, 'ghcr.io')).toBe('gh');
    expect(await storedLogin(dir, 'us-docker.pkg.dev', { env })).toEqual({
      credentials: { username: 'oauth2accesstoken', password: 'ya29.x' },
      source: 'credential helper docker-credential-gc',
    });
    expect((await storedLogin(dir, 'acme.azurecr.io', { env }))?.credentials).toEqual({
      username: '<token>',
      password: '',
      identityToken: 'rt',
    });
    // With a credsStore, docker asks the store, not the file, for every other registry.
    expect(await storedLogin(dir, 'quay.io', { env })).toBeUndefined();
    await expect(storedLogin(dir, 'bad.io', { env })).rejects.toThrow(
      'docker-credential-broken get for bad.io failed (exit code 3)',
    );
    await expect(storedLogin(dir, 'bad.io', { env: { PATH: '/nonexistent' } })).rejects.toThrow(
      /^cannot run docker-credential-broken/,
    );
  });
});

test('an identity token is exchanged at the realm as an OAuth2 refresh-token grant', async () => {
  const requests: string[] = [];
  const fakeFetch = ((input: string | URL, init: RequestInit = {}) => {
    const url = new URL(input.toString());
    const auth = new Headers(init.headers).get('authorization');
    requests.push(`${init.method ?? 'GET'} ${url.href}${auth ? ` [${auth}]` : ''}`);
    if (url.pathname === '/oauth2/token') {
      const form = new URLSearchParams(init.body as string);
      expect(Object.fromEntries(form)).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'refresh-tok',
        service: 'acme.azurecr.io',
        scope: 'repository:app:pull',
        client_id: 'build-tag-push',
      });
      return Promise.resolve(Response.json({ access_token: 'acc' }));
    }
    if (auth !== 'Bearer acc') {
      return Promise.resolve(
        new Response(null, {
          status: 401,
          headers: {
            'WWW-Authenticate':
              'Bearer realm="https://acme.azurecr.io/oauth2/token",service="acme.azurecr.io"',
          },
        }),
      );
    }
    return Promise.resolve(
      new Response(null, { status: 200, headers: { 'Docker-Content-Digest': 'sha256:ab' } }),
    );
  }) as typeof globalThis.fetch;
  const client = new RegistryClient({
    fetch: fakeFetch,
    credentials: () => ({ username: '<token>', password: '', identityToken: 'refresh-tok' }),
  });
  expect(await client.manifestDigest('acme.azurecr.io/app', '1')).toBe('sha256:ab');
  expect(requests).toEqual([
    'HEAD https://acme.azurecr.io/v2/app/manifests/1',
    'POST https://acme.azurecr.io/oauth2/token',
    'HEAD https://acme.azurecr.io/v2/app/manifests/1 [Bearer acc]',
  ]);
});

test('a registry name that resolves to loopback only is spoken to over plain HTTP, as docker does', async () => {
  const urls: string[] = [];
  const fakeFetch = ((input: string | URL) => {
    urls.push(input.toString());
    return Promise.resolve(
      new Response(null, { status: 200, headers: { 'Docker-Content-Digest': 'sha256:cd' } }),
    );
  }) as typeof globalThis.fetch;
  const lookup = (host: string): Promise<string[]> =>
    Promise.resolve(
      host === 'vm' ? ['127.0.0.1'] : host === 'mixed' ? ['127.0.0.1', '10.0.0.2'] : [],
    );
  const client = new RegistryClient({ fetch: fakeFetch, lookup });
  await client.manifestDigest('vm:5000/app', '1');
  await client.manifestDigest('mixed:5000/app', '1');
  await client.manifestDigest('ghcr.io/app', '1');
  expect(urls).toEqual([
    'http://vm:5000/v2/app/manifests/1',
    'https://mixed:5000/v2/app/manifests/1',
    'https://ghcr.io/v2/app/manifests/1',
  ]);
});
