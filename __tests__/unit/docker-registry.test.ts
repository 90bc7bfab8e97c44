import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { retryPolicy } from '../../src/retry.js';
import { parseReference, type ImageReference } from '../../src/oci/reference.js';
import { parseWwwAuthenticate } from '../../src/registry/challenge.js';
import { RegistryClient } from '../../src/registry/client.js';

describe('parseReference', () => {
  test.each<[string, ImageReference]>([
    [
      'ghcr.io/acme/app',
      { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/app', scheme: 'https' },
    ],
    [
      'registry.example.com:5000/a/b/c',
      {
        registry: 'registry.example.com:5000',
        apiHost: 'registry.example.com:5000',
        repository: 'a/b/c',
        scheme: 'https',
      },
    ],
    [
      'localhost:5000/app',
      { registry: 'localhost:5000', apiHost: 'localhost:5000', repository: 'app', scheme: 'http' },
    ],
    [
      'localhost/app',
      { registry: 'localhost', apiHost: 'localhost', repository: 'app', scheme: 'http' },
    ],
    [
      '127.0.0.1:5001/team/app',
      {
        registry: '127.0.0.1:5001',
        apiHost: '127.0.0.1:5001',
        repository: 'team/app',
        scheme: 'http',
      },
    ],
    [
      '[::1]:5000/app',
      { registry: '[::1]:5000', apiHost: '[::1]:5000', repository: 'app', scheme: 'http' },
    ],
    [
      'alpine',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'library/alpine',
        scheme: 'https',
      },
    ],
    [
      'user/app',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'user/app',
        scheme: 'https',
      },
    ],
    [
      'docker.io/user/app',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'user/app',
        scheme: 'https',
      },
    ],
    [
      'docker.io/nginx',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'library/nginx',
        scheme: 'https',
      },
    ],
    [
      'index.docker.io/user/app',
      {
        registry: 'docker.io',
        apiHost: 'registry-1.docker.io',
        repository: 'user/app',
        scheme: 'https',
      },
    ],
    [
      'ghcr.io/acme/app:1.0',
      { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/app', scheme: 'https' },
    ],
    [
      'localhost:5000/app@sha256:abc',
      { registry: 'localhost:5000', apiHost: 'localhost:5000', repository: 'app', scheme: 'http' },
    ],
    // A host that only looks like loopback is not spoken to in plain HTTP.
    [
      '127.0.0.1.example.com/app',
      {
        registry: '127.0.0.1.example.com',
        apiHost: '127.0.0.1.example.com',
        repository: 'app',
        scheme: 'https',
      },
    ],
  ])('%s', (image, expected) => {
    expect(parseReference(image)).toEqual(expected);
  });

  test.each(['ghcr.io/', '', 'ghcr.io/acme/'])('"%s" is not an image name', (image) => {
    expect(() => parseReference(image)).toThrow(
      /is not an image name; expected \[host\[:port\]\/\]path/,
    );
  });
});

describe('parseWwwAuthenticate', () => {
  test.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.docker.io/token',
          service: 'registry.docker.io',
          scope: 'repository:library/alpine:pull',
        },
      },
    ],
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull,push",error="insufficient_scope"',
      {
        scheme: 'bearer',
        params: {
          realm: 'https://ghcr.io/token',
          service: 'ghcr.io',
          scope: 'repository:a/b:pull,push',
          error: 'insufficient_scope',
        },
      },
    ],
    ['Basic realm="build-tag-push"', { scheme: 'basic', params: { realm: 'build-tag-push' } }],
    ['basic realm=Registry', { scheme: 'basic', params: { realm: 'Registry' } }],
    [
      'Bearer realm = "https://x/token" , service = "x"',
      { scheme: 'bearer', params: { realm: 'https://x/token', service: 'x' } },
    ],
    [
      'Bearer realm="a \\"quoted\\" realm"',
      { scheme: 'bearer', params: { realm: 'a "quoted" realm' } },
    ],
    // Two challenges joined in one header: the token flow is preferred.
    [
      'Basic realm="r", Bearer realm="https://t/token",service="s"',
      { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } },
    ],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  test.each([null, undefined, ''])('%j gives no challenge', (header) => {
    expect(parseWwwAuthenticate(header)).toBeUndefined();
  });
});

/** A scripted registry behind a fetch function: each answer is chosen from the request. */
function fakeFetch(answer: (url: URL, init: RequestInit) => Response): {
  fetch: typeof fetch;
  requests: string[];
} {
  const requests: string[] = [];
  const fn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const headers = new Headers(init?.headers);
    requests.push(
      `${init?.method ?? 'GET'} ${url.href}${headers.get('authorization') ? ` [${headers.get('authorization')}]` : ''}`,
    );
    return Promise.resolve(answer(url, init ?? {}));
  };
  return { fetch: fn, requests };
}

const body = Buffer.from(
  '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"}',
);
const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
const basic = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;

describe('RegistryClient', () => {
  test('Bearer flow: challenge, token with the credentials and the push scope, then the request', async () => {
    const { fetch, requests } = fakeFetch((url, init) => {
      const auth = new Headers(init.headers).get('authorization');
      if (url.pathname === '/token') {
        expect(url.searchParams.get('service')).toBe('ghcr.io');
        return Response.json({ token: 'tok123' });
      }
      if (auth !== 'Bearer tok123') {
        return new Response(null, {
          status: 401,
          headers: {
            'WWW-Authenticate':
              'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/app:pull"',
          },
        });
      }
      return new Response(null, { status: 201, headers: { 'Docker-Content-Digest': digest } });
    });
    const client = new RegistryClient({
      fetch,
      credentials: () => ({ username: 'alice', password: 's3cret' }),
    });
    await client.putManifest('ghcr.io/acme/app', 'latest', {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      body,
      digest,
    });
    expect(requests).toEqual([
      'PUT https://ghcr.io/v2/acme/app/manifests/latest',
      `GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fapp%3Apull%2Cpush [${basic}]`,
      'PUT https://ghcr.io/v2/acme/app/manifests/latest [Bearer tok123]',
    ]);
  });

  test('the token is reused for the next request on the same repository', async () => {
    const { fetch, requests } = fakeFetch((url, init) => {
      if (url.pathname === '/token') return Response.json({ access_token: 't' });
      if (new Headers(init.headers).get('authorization') !== 'Bearer t') {
        return new Response(null, {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="https://r.io/token"' },
        });
      }
      return new Response(null, { status: 200, headers: { 'Docker-Content-Digest': digest } });
    });
    const client = new RegistryClient({ fetch });
    expect(await client.manifestDigest('r.io/a', '1')).toBe(digest);
    expect(await client.manifestDigest('r.io/a', '2')).toBe(digest);
    expect(requests.filter((r) => r.includes('/token'))).toHaveLength(1);
  });

  test('Basic challenge: the credentials are sent, and a refusal names registry, tag, status but no password', async () => {
    const { fetch } = fakeFetch(
      () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
    );
    const client = new RegistryClient({
      fetch,
      credentials: () => ({ username: 'alice', password: 's3cret' }),
    });
    const error = (await client
      .manifestDigest('127.0.0.1:5000/app', '1.0')
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'reading the digest of 127.0.0.1:5000/app:1.0: 127.0.0.1:5000 refused the credentials for "alice" (HTTP 401)',
    );
    expect(error.message).not.toContain('s3cret');
  });

  test('a host that asked for Basic gets it at once for other repositories and for a push', async () => {
    const { fetch, requests } = fakeFetch((_, init) =>
      new Headers(init.headers).get('authorization') === basic
        ? new Response(null, { status: 201, headers: { 'Docker-Content-Digest': digest } })
        : new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
    );
    const client = new RegistryClient({
      fetch,
      credentials: () => ({ username: 'alice', password: 's3cret' }),
    });
    await client.manifestDigest('127.0.0.1:5000/a', '1');
    await client.manifestDigest('127.0.0.1:5000/b', '1');
    await client.putManifest('127.0.0.1:5000/b', '2', {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      body,
      digest,
    });
    await client.manifestDigest('127.0.0.1:5001/a', '1');
    expect(requests).toEqual([
      'HEAD http://127.0.0.1:5000/v2/a/manifests/1',
      `HEAD http://127.0.0.1:5000/v2/a/manifests/1 [${basic}]`,
      `HEAD http://127.0.0.1:5000/v2/b/manifests/1 [${basic}]`,
      `PUT http://127.0.0.1:5000/v2/b/manifests/2 [${basic}]`,
      // Another host: its own challenge first.
      'HEAD http://127.0.0.1:5001/v2/a/manifests/1',
      `HEAD http://127.0.0.1:5001/v2/a/manifests/1 [${basic}]`,
    ]);
  });

  test('warm-up: a push-scoped token fetched ahead; the requests after it start authenticated', async () => {
    const { fetch, requests } = fakeFetch((url, init) => {
      if (url.pathname === '/token') return Response.json({ token: 'early' });
      if (new Headers(init.headers).get('authorization') !== 'Bearer early') {
        return new Response(null, {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer realm="https://ghcr.io/token",service="ghcr.io"' },
        });
      }
      return new Response(null, { status: 201, headers: { 'Docker-Content-Digest': digest } });
    });
    const client = new RegistryClient({
      fetch,
      credentials: () => ({ username: 'alice', password: 's3cret' }),
    });
    await client.warmUp(['ghcr.io/acme/app', 'ghcr.io/acme/app'], new AbortController().signal);
    await client.manifestDigest('ghcr.io/acme/app', '1.0');
    await client.putManifest('ghcr.io/acme/app', 'latest', {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      body,
      digest,
    });
    expect(requests).toEqual([
      'GET https://ghcr.io/v2/',
      `GET https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fapp%3Apull%2Cpush [${basic}]`,
      'HEAD https://ghcr.io/v2/acme/app/manifests/1.0 [Bearer early]',
      'PUT https://ghcr.io/v2/acme/app/manifests/latest [Bearer early]',
    ]);
  });

  test('warm-up: Basic learnt from the ping; nothing learnt, and no failure, when it is given up', async () => {
    const challenge = (): Response =>
      new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } });
    const { fetch, requests } = fakeFetch((_, init) =>
      new Headers(init.headers).get('authorization') === basic
        ? new Response(null, { status: 200, headers: { 'Docker-Content-Digest': digest } })
        : challenge(),
    );
    const credentials = (): { username: string; password: string } => ({
      username: 'alice',
      password: 's3cret',
    });
    const client = new RegistryClient({ fetch, credentials });
    await client.warmUp(['127.0.0.1:5000/app'], new AbortController().signal);
    await client.manifestDigest('127.0.0.1:5000/app', '1');
    expect(requests).toEqual([
      'GET http://127.0.0.1:5000/v2/',
      `HEAD http://127.0.0.1:5000/v2/app/manifests/1 [${basic}]`,
    ]);

    let asked = 0;
    const refusing: typeof fetch = (_, init) => {
      asked++;
      return init?.signal?.aborted
        ? Promise.reject(new DOMException('gone', 'AbortError'))
        : Promise.resolve(challenge());
    };
    const late = new RegistryClient({ fetch: refusing, credentials });
    await expect(late.warmUp(['127.0.0.1:5000/app'], AbortSignal.abort())).resolves.toBeUndefined();
    await late.manifestDigest('127.0.0.1:5000/app', '1').catch(() => undefined);
    // The ping was given up: the request meets the challenge itself (unanswered here).
    expect(asked).toBe(3);
  });

  test('an image name is parsed once per client: every method goes through its one repository handle', async () => {
    const { fetch, requests } = fakeFetch((url, init) => {
      if (url.pathname.endsWith('/manifests/v1')) {
        return new Response(null, { headers: { 'Docker-Content-Digest': digest } });
      }
      if (url.pathname.includes('/blobs/')) {
        return new Response(null, { status: init.method === 'POST' ? 201 : 200 });
      }
      if (init.method === 'GET') {
        return new Response(body, {
          headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
        });
      }
      return new Response(null, { status: 500 });
    });
    const client = new RegistryClient({
      fetch,
      lookup: (host) => Promise.resolve(host === 'registry.test' ? ['127.0.0.1'] : []),
    });
    const image = 'registry.test/acme/app';
    const handle = client.repository(image);
    expect(client.repository(image)).toBe(handle);
    expect(handle.ref).toEqual({
      registry: 'registry.test',
      apiHost: 'registry.test',
      repository: 'acme/app',
      scheme: 'https',
    });

    expect(await client.manifestDigest(image, 'v1')).toBe(digest);
    expect((await client.getManifest(image, digest)).digest).toBe(digest);
    expect(await client.blobExists(image, digest)).toBe(true);
    expect(await client.mountBlob('registry.test/acme/other', digest, image)).toBe(true);

    // The name resolves to loopback only, so the first request learnt plain http (as docker
    // does) on the reference it used: the handle's own, parsed once, not a parse of its own.
    expect(client.repository(image)).toBe(handle);
    expect(handle.ref.scheme).toBe('http');
    expect(client.repository('registry.test/acme/other').ref.scheme).toBe('http');
    expect(requests.slice(0, 3)).toEqual([
      'HEAD http://registry.test/v2/acme/app/manifests/v1',
      `GET http://registry.test/v2/acme/app/manifests/${digest}`,
      `HEAD http://registry.test/v2/acme/app/blobs/${digest}`,
    ]);
    // A name that is not an image name still fails the call, as a rejection.
    await expect(client.manifestDigest('registry.test/', 'v1')).rejects.toThrow(
      '"registry.test/" is not an image name',
    );
  });

  test('no credentials for a registry that wants them', async () => {
    const { fetch } = fakeFetch(
      () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
    );
    await expect(
      new RegistryClient({ fetch }).manifestDigest('localhost:5000/app', 'x'),
    ).rejects.toThrow('HTTP 401');
    await expect(
      new RegistryClient({ fetch }).manifestDigest('localhost:5000/app', 'x'),
    ).rejects.toThrow('no credentials were given for localhost:5000; add it to registry-auth');
  });

  test('404 is "no such tag" for manifestDigest', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 404 }));
    expect(
      await new RegistryClient({ fetch }).manifestDigest('localhost:5000/app', 'nope'),
    ).toBeUndefined();
  });

  test('HEAD without Docker-Content-Digest: the digest is the hash of the body', async () => {
    const { fetch } = fakeFetch((_url, init) =>
      init.method === 'HEAD'
        ? new Response(null, { status: 200 })
        : new Response(body, { status: 200 }),
    );
    expect(await new RegistryClient({ fetch }).manifestDigest('localhost:5000/app', '1')).toBe(
      digest,
    );
  });

  test('getManifest keeps the bytes and the media type, and checks the digest', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response(body, {
          status: 200,
          headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
        }),
    );
    const manifest = await new RegistryClient({ fetch }).getManifest('localhost:5000/app', digest);
    expect(manifest).toEqual({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      body,
      digest,
    });
    const wrong = `sha256:${'0'.repeat(64)}`;
    await expect(
      new RegistryClient({ fetch }).getManifest('localhost:5000/app', wrong),
    ).rejects.toThrow(`answered with content whose digest is ${digest}`);
  });

  test('a manifest read by digest is read once per client; a failed read is asked again', async () => {
    let failures = 1;
    const { fetch, requests } = fakeFetch(() => {
      if (failures-- > 0) return new Response('{}', { status: 503 });
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
      });
    });
    const client = new RegistryClient({ fetch });
    await expect(client.getManifest('localhost:5000/app', digest)).rejects.toThrow('503');
    const [first, second] = await Promise.all([
      client.getManifest('localhost:5000/app', digest),
      client.getManifest('localhost:5000/app', digest),
    ]);
    expect(first).toEqual(second);
    expect(requests).toEqual([
      `GET http://localhost:5000/v2/app/manifests/${digest}`,
      `GET http://localhost:5000/v2/app/manifests/${digest}`,
    ]);
    // A tag names what may change: it is read every time.
    await client.findManifest('localhost:5000/app', 'latest');
    await client.findManifest('localhost:5000/app', 'latest');
    expect(requests.filter((r) => r.endsWith('/latest'))).toHaveLength(2);
  });

  test('other errors carry the registry error code and message', async () => {
    const { fetch } = fakeFetch(() =>
      Response.json(
        { errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid' }] },
        { status: 400 },
      ),
    );
    await expect(
      new RegistryClient({ fetch }).putManifest('localhost:5000/app', 'x', {
        mediaType: 'a',
        body,
        digest,
      }),
    ).rejects.toThrow(
      'tagging localhost:5000/app:x: localhost:5000 answered an error (HTTP 400: MANIFEST_INVALID manifest invalid)',
    );
  });

  test('an unreachable registry and a timeout are said plainly', async () => {
    const refused: typeof fetch = () =>
      Promise.reject(
        new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }),
      );
    await expect(
      new RegistryClient({ fetch: refused }).manifestDigest('127.0.0.1:9/app', '1'),
    ).rejects.toThrow(
      'reading the digest of 127.0.0.1:9/app:1: cannot reach http://127.0.0.1:9 (connect ECONNREFUSED 127.0.0.1:9)',
    );
    const slow: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)),
      );
    await expect(
      new RegistryClient({ fetch: slow, timeoutMs: 50 }).manifestDigest('127.0.0.1:9/app', '1'),
    ).rejects.toThrow('127.0.0.1:9 did not answer within 50 ms (network-timeout)');
  });
});

describe('RegistryClient retries', () => {
  let logged: string[];
  beforeEach(() => {
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      logged.push(String(chunk).trim());
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  /** A client with the default policy and a sleep that only records. */
  function client(fetch: typeof globalThis.fetch, retries = 3) {
    const slept: number[] = [];
    const c = new RegistryClient({
      fetch,
      retry: retryPolicy(retries),
      sleep: (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    });
    return { client: c, slept };
  }

  /** Answers the first answers in turn, then 200 with the digest. */
  function scripted(...first: (() => Response)[]) {
    return fakeFetch(() =>
      (
        first.shift() ??
        (() => new Response(null, { headers: { 'Docker-Content-Digest': digest } }))
      )(),
    );
  }

  test('502, then 503: retried after 1 s and 2 s, one log line each', async () => {
    const { fetch, requests } = scripted(
      () => new Response('bad gateway', { status: 502 }),
      () => new Response('unavailable', { status: 503 }),
    );
    const { client: c, slept } = client(fetch);
    expect(await c.manifestDigest('127.0.0.1:5000/app', '1')).toBe(digest);
    expect(requests).toHaveLength(3);
    expect(slept).toEqual([1000, 2000]);
    expect(logged).toEqual([
      'reading the digest of 127.0.0.1:5000/app:1: 127.0.0.1:5000 answered HTTP 502 Bad Gateway; retry 1/3 in 1 s',
      'reading the digest of 127.0.0.1:5000/app:1: 127.0.0.1:5000 answered HTTP 503 Service Unavailable; retry 2/3 in 2 s',
    ]);
  });

  test('429 with Retry-After: waited as asked', async () => {
    const { fetch } = scripted(
      () => new Response(null, { status: 429, headers: { 'Retry-After': '7' } }),
    );
    const { client: c, slept } = client(fetch);
    expect(await c.manifestDigest('127.0.0.1:5000/app', '1')).toBe(digest);
    expect(slept).toEqual([7000]);
  });

  test('a refused connection is retried', async () => {
    let calls = 0;
    const fetch: typeof globalThis.fetch = () =>
      ++calls === 1
        ? Promise.reject(
            new TypeError('fetch failed', {
              cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
                code: 'ECONNREFUSED',
              }),
            }),
          )
        : Promise.resolve(new Response(null, { headers: { 'Docker-Content-Digest': digest } }));
    const { client: c } = client(fetch);
    expect(await c.manifestDigest('127.0.0.1:9/app', '1')).toBe(digest);
    expect(logged[0]).toBe(
      'reading the digest of 127.0.0.1:9/app:1: connect ECONNREFUSED 127.0.0.1:9; retry 1/3 in 1 s',
    );
  });

  test('always 503: the error has the status, the registry error text and the count', async () => {
    const { fetch, requests } = fakeFetch(() =>
      Response.json({ errors: [{ code: 'UNAVAILABLE', message: 'try later' }] }, { status: 503 }),
    );
    const { client: c } = client(fetch);
    await expect(
      c.putManifest('127.0.0.1:5000/app', 'latest', { mediaType: 'a', body, digest }),
    ).rejects.toThrow(
      'tagging 127.0.0.1:5000/app:latest: 127.0.0.1:5000 answered an error (HTTP 503: UNAVAILABLE try later; gave up after 3 retries)',
    );
    expect(requests).toHaveLength(4);
  });

  test('401 and 403 are not retried, and say which registry refused', async () => {
    for (const status of [401, 403]) {
      const { fetch, requests } = fakeFetch(
        () => new Response(null, { status, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
      );
      const c = new RegistryClient({
        fetch,
        retry: retryPolicy(3),
        credentials: () => ({ username: 'alice', password: 's3cret' }),
        sleep: () => Promise.reject(new Error('must not sleep')),
      });
      await expect(c.manifestDigest('127.0.0.1:5000/app', '1')).rejects.toThrow(
        `127.0.0.1:5000 refused the credentials for "alice" (HTTP ${status})`,
      );
      expect(requests.length).toBeLessThanOrEqual(2);
    }
  });

  test('a token service that answers 503 first is retried too', async () => {
    let tokenCalls = 0;
    const { fetch } = fakeFetch((url, init) => {
      if (url.pathname === '/token') {
        return ++tokenCalls === 1
          ? new Response(null, { status: 503 })
          : Response.json({ token: 't' });
      }
      return new Headers(init.headers).get('authorization') === 'Bearer t'
        ? new Response(null, { headers: { 'Docker-Content-Digest': digest } })
        : new Response(null, {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer realm="https://r.io/token"' },
          });
    });
    const { client: c } = client(fetch);
    expect(await c.manifestDigest('r.io/a', '1')).toBe(digest);
    expect(tokenCalls).toBe(2);
  });
});

describe('credentials go only to the registry and to an https token service', () => {
  const credentials = () => ({ username: 'alice', password: 's3cret' });

  test('a token realm over plain http gets no password; the error says why', async () => {
    const { fetch, requests } = fakeFetch((url) =>
      url.pathname === '/token'
        ? Response.json({ token: 't' })
        : new Response(null, {
            status: 401,
            headers: { 'WWW-Authenticate': 'Bearer realm="http://evil.example/token"' },
          }),
    );
    const client = new RegistryClient({ fetch, credentials });
    await expect(client.manifestDigest('r.io/a', '1')).rejects.toThrow(
      'reading the digest of r.io/a:1: r.io asked for a token from http://evil.example, over plain http; credentials are sent to a token service only over https',
    );
    expect(requests.filter((r) => r.includes('s3cret') || r.includes(basic))).toEqual([]);
  });

  test.each([
    ['another host', 'https://uploads.example/upload/1?state=x'],
    ['plain http', 'http://r.io/v2/a/blobs/uploads/1?state=x'],
  ])('an upload Location on %s gets no Authorization', async (_name, location) => {
    const { fetch, requests } = fakeFetch((url, init) => {
      if (url.pathname.endsWith('/blobs/uploads/')) {
        return new Headers(init.headers).get('authorization')
          ? new Response(null, { status: 202, headers: { Location: location } })
          : new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } });
      }
      return new Response(null, { status: 201 });
    });
    const client = new RegistryClient({ fetch, credentials });
    await client.putBlob('r.io/a', digest, body);
    const put = requests.find((r) => r.startsWith('PUT'));
    expect(put).toBeDefined();
    expect(put).not.toContain('[');
  });
});
