// Docker Hub's OIDC login: when it applies, its settings and their errors, the exchange's form,
// and the exchange itself against a fetch of the test's (429 retried after Retry-After, a refusal
// not retried, the token masked before it is returned).
import { jest } from '@jest/globals';
import {
  dockerHubOidc,
  isDockerHubOidc,
  TEST_HUB_REGISTRY,
  TEST_IDENTITY_URL,
} from '../../src/inputs/dockerhub-oidc.js';
import { resolveLogins } from '../../src/inputs/logins.js';
import { parseRegistryAuth } from '../../src/inputs/registry-auth.js';
import {
  accessTokenOf,
  dockerHubToken,
  exchangeForm,
  refusalDetail,
  type DockerHubOidc,
} from '../../src/registry/dockerhub-oidc.js';
import { retryPolicy } from '../../src/retry.js';

const ID = '3f2c1a9e-7b4d-4e8a-9c1f-2d5e6a7b8c9d';
const job = {
  DOCKERHUB_OIDC_CONNECTIONID: ID,
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
};
const none = { registry: '', username: '', password: '', githubToken: 'ghs_token' };

describe('isDockerHubOidc', () => {
  test.each([
    ['docker.io', '', job, true],
    ['', '', job, true],
    ['registry-1.docker.io', '', job, true],
    ['dhi.io', '', job, true],
    ['docker.io', 'a-password', job, false],
    ['docker.io', '', { ...job, DOCKERHUB_OIDC_CONNECTIONID: undefined }, false],
    ['docker.io', '', { ...job, DOCKERHUB_OIDC_CONNECTIONID: '' }, true],
    ['ghcr.io', '', job, false],
    ['127.0.0.1:5000', '', job, false],
    ['127.0.0.1:5000', '', { ...job, [TEST_HUB_REGISTRY]: '127.0.0.1:5000' }, true],
    ['127.0.0.1:5001', '', { ...job, [TEST_HUB_REGISTRY]: '127.0.0.1:5000' }, false],
  ])('%j with password %j: %s', (registry, password, env, expected) => {
    expect(isDockerHubOidc(registry, password, env)).toBe(expected);
  });

  test('the test registry must be a loopback one', () => {
    expect(() =>
      isDockerHubOidc('quay.io', '', { ...job, [TEST_HUB_REGISTRY]: 'quay.io' }),
    ).toThrow(
      `${TEST_HUB_REGISTRY}: "quay.io" is not a loopback registry; this variable is for the action's own tests`,
    );
  });
});

describe('dockerHubOidc', () => {
  test('defaults: 300 s, identity.docker.com', () => {
    expect(dockerHubOidc('docker.io', job)).toEqual({
      connectionId: ID,
      expiresIn: 300,
      audience: 'https://identity.docker.com',
      tokenUrl: 'https://identity.docker.com/oauth/token',
    });
  });

  test('a *.localhost name (RFC 6761) is a loopback identity service', () => {
    expect(
      dockerHubOidc('docker.io', {
        ...job,
        [TEST_IDENTITY_URL]: 'http://identity.e2e.localhost:81/t',
      }).tokenUrl,
    ).toBe('http://identity.e2e.localhost:81/t');
  });

  test('DOCKERHUB_OIDC_EXPIREIN, the staging registry, a loopback test identity service', () => {
    expect(
      dockerHubOidc('registry-1-stage.docker.io', { ...job, DOCKERHUB_OIDC_EXPIREIN: ' 3600 ' }),
    ).toMatchObject({ expiresIn: 3600, tokenUrl: 'https://identity-stage.docker.com/oauth/token' });
    expect(
      dockerHubOidc('docker.io', {
        ...job,
        [TEST_IDENTITY_URL]: 'http://127.0.0.1:8080/oauth/token',
      }),
    ).toMatchObject({
      audience: 'https://identity.docker.com',
      tokenUrl: 'http://127.0.0.1:8080/oauth/token',
    });
  });

  test.each([
    [
      { DOCKERHUB_OIDC_CONNECTIONID: '' },
      'DOCKERHUB_OIDC_CONNECTIONID: empty; password is empty for docker.io and DOCKERHUB_OIDC_CONNECTIONID is set',
    ],
    [
      { DOCKERHUB_OIDC_CONNECTIONID: 'my-org' },
      'DOCKERHUB_OIDC_CONNECTIONID: "my-org" is not a UUID; expected the ID of a Docker Hub OIDC connection',
    ],
    [
      { DOCKERHUB_OIDC_EXPIREIN: '299' },
      'DOCKERHUB_OIDC_EXPIREIN: "299" is not a whole number of seconds from 300 to 3600',
    ],
    [{ DOCKERHUB_OIDC_EXPIREIN: '3601' }, 'DOCKERHUB_OIDC_EXPIREIN: "3601" is not a whole number'],
    [{ DOCKERHUB_OIDC_EXPIREIN: '10m' }, 'DOCKERHUB_OIDC_EXPIREIN: "10m" is not a whole number'],
    [
      { DOCKERHUB_OIDC_EXPIREIN: '400.5' },
      'DOCKERHUB_OIDC_EXPIREIN: "400.5" is not a whole number',
    ],
    [
      { ACTIONS_ID_TOKEN_REQUEST_URL: undefined },
      'the job has no OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is not set); expected `permissions: id-token: write` on the job, or a password',
    ],
    [
      { [TEST_IDENTITY_URL]: 'https://identity.evil.example/oauth/token' },
      `${TEST_IDENTITY_URL}: "https://identity.evil.example/oauth/token" is not a loopback URL`,
    ],
    [{ [TEST_IDENTITY_URL]: 'file:///etc/passwd' }, 'is not a loopback URL'],
    [{ [TEST_IDENTITY_URL]: 'http://localhost.evil.example/t' }, 'is not a loopback URL'],
  ])('%j: %s', (env, message) => {
    expect(() => dockerHubOidc('docker.io', { ...job, ...env })).toThrow(message);
  });
});

describe('resolveLogins with DOCKERHUB_OIDC_CONNECTIONID', () => {
  test('docker.io (or no registry) with a username and no password is an OIDC login', () => {
    for (const registry of ['docker.io', '', 'dhi.io']) {
      expect(resolveLogins({ ...none, registry, username: 'acme' }, 'octocat', job)).toEqual([
        {
          registry: registry || 'docker.io',
          username: 'acme',
          password: '',
          oidc: dockerHubOidc('docker.io', job),
        },
      ]);
    }
  });

  test('a password wins; another registry still needs one; without the variable it is the usual error', () => {
    expect(
      resolveLogins({ ...none, registry: 'docker.io', username: 'a', password: 'p' }, 'o', job),
    ).toEqual([{ registry: 'docker.io', username: 'a', password: 'p' }]);
    expect(() => resolveLogins({ ...none, registry: 'quay.io', username: 'a' }, 'o', job)).toThrow(
      'password: empty for registry quay.io',
    );
    expect(() => resolveLogins({ ...none, registry: 'docker.io', username: 'a' }, 'o', {})).toThrow(
      'password: empty for registry docker.io',
    );
  });

  test('errors name the variable: a bad connection ID, no id-token permission', () => {
    const inputs = { ...none, registry: 'docker.io', username: 'acme' };
    expect(() =>
      resolveLogins(inputs, 'o', { ...job, DOCKERHUB_OIDC_CONNECTIONID: 'nope' }),
    ).toThrow('DOCKERHUB_OIDC_CONNECTIONID: "nope" is not a UUID');
    expect(() => resolveLogins(inputs, 'o', { DOCKERHUB_OIDC_CONNECTIONID: ID })).toThrow(
      'expected `permissions: id-token: write` on the job',
    );
    // No username either: `registry:` alone uses the login of an earlier step, as without OIDC.
    expect(resolveLogins({ ...inputs, username: '' }, 'o', job)).toEqual([]);
  });
});

describe('registry-auth with DOCKERHUB_OIDC_CONNECTIONID', () => {
  const text = '- registry: docker.io\n  username: acme\n- registry: ghcr.io\n';
  const oidcLogin = (registry: string) => isDockerHubOidc(registry, '', job);

  test('a Docker Hub entry may leave its password empty, and is an OIDC login', () => {
    const registryAuth = parseRegistryAuth(text, () => undefined, oidcLogin);
    expect(resolveLogins({ ...none, registryAuth }, 'octocat', job)).toEqual([
      {
        registry: 'docker.io',
        username: 'acme',
        password: '',
        oidc: dockerHubOidc('docker.io', job),
      },
      { registry: 'ghcr.io', username: 'octocat', password: 'ghs_token' },
    ]);
  });

  test('without the variable, or for another registry, the password is still required', () => {
    expect(() => parseRegistryAuth(text, () => undefined)).toThrow(
      'registry-auth: entry 1 (docker.io) has no password',
    );
    expect(() =>
      parseRegistryAuth('- registry: quay.io\n  username: acme\n', () => undefined, oidcLogin),
    ).toThrow('registry-auth: entry 1 (quay.io) has no password');
  });
});

describe('the exchange', () => {
  const oidc: DockerHubOidc = dockerHubOidc('docker.io', {
    ...job,
    DOCKERHUB_OIDC_EXPIREIN: '600',
  });

  test('the form has the fields of an RFC 8693 token exchange', () => {
    expect(Object.fromEntries(new URLSearchParams(exchangeForm(oidc, 'id.token.sig')))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      subject_token: 'id.token.sig',
      connection_id: ID,
      expires_in: '600',
    });
  });

  test.each([
    [
      '{"error":"invalid_grant","error_description":"subject not allowed"}',
      'invalid_grant: subject not allowed',
    ],
    ['{"message":"echo id.token.sig"}', 'echo ***'],
    ['plain\n  text', 'plain text'],
    ['', ''],
  ])('refusalDetail(%j)', (body, expected) => {
    expect(refusalDetail(body, 'id.token.sig')).toBe(expected);
  });

  test('accessTokenOf', () => {
    expect(accessTokenOf('{"access_token":"dckr_oat_x"}')).toBe('dckr_oat_x');
    expect(accessTokenOf('{"token":"x"}')).toEqual(new Error('the answer has no access_token'));
    expect(accessTokenOf('<html>')).toEqual(new Error('the answer is not JSON'));
  });

  function answers(...list: { status: number; body: string; headers?: Record<string, string> }[]) {
    const requests: { url: string; body: string }[] = [];
    const fetch = ((url: string, init: RequestInit) => {
      requests.push({ url, body: typeof init.body === 'string' ? init.body : '' });
      const next = list.shift();
      if (!next) return Promise.reject(new Error('no more answers'));
      return Promise.resolve(
        new Response(next.body, { status: next.status, headers: next.headers }),
      );
    }) as unknown as typeof globalThis.fetch;
    return { fetch, requests };
  }

  test('429 is retried after its Retry-After; the token is masked before it is returned', async () => {
    const { fetch, requests } = answers(
      { status: 429, body: '', headers: { 'retry-after': '7' } },
      { status: 200, body: '{"access_token":"dckr_oat_secret-1"}' },
    );
    const sleeps: number[] = [];
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    let token = '';
    try {
      token = await dockerHubToken(oidc, 'acme', {
        timeoutMs: 5000,
        retry: retryPolicy(3),
        sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
        idToken: (audience) => Promise.resolve(`id-for-${audience}`),
        fetch,
      });
    } finally {
      spy.mockRestore();
    }
    expect(token).toBe('dckr_oat_secret-1');
    expect(sleeps).toEqual([7000]);
    expect(requests).toHaveLength(2);
    expect(requests[0].url).toBe('https://identity.docker.com/oauth/token');
    expect(new URLSearchParams(requests[1].body).get('subject_token')).toBe(
      'id-for-https://identity.docker.com',
    );
    expect(writes.join('')).toContain('::add-mask::dckr_oat_secret-1');
    expect(writes.join('')).toContain(
      'HTTP 429 Too Many Requests, Retry-After 7; retry 1/3 in 7 s',
    );
  });

  test('a refusal is not retried and says what to check, without the ID token', async () => {
    const { fetch, requests } = answers({
      status: 401,
      body: '{"error":"access_denied","error_description":"token id-token-xyz rejected"}',
    });
    await expect(
      dockerHubToken(oidc, 'acme', {
        timeoutMs: 5000,
        retry: retryPolicy(3),
        idToken: () => Promise.resolve('id-token-xyz'),
        fetch,
      }),
    ).rejects.toThrow(
      `Docker Hub OIDC login as acme (DOCKERHUB_OIDC_CONNECTIONID ${ID}) failed: identity.docker.com refused the token exchange: HTTP 401 Unauthorized: access_denied: token *** rejected; check that the OIDC connection's ruleset allows this repository, ref and workflow, and that username (acme) is the Docker Hub organization of the connection`,
    );
    expect(requests).toHaveLength(1);
  });

  test('an ID token that does not come within network-timeout fails with the permission to check', async () => {
    const { fetch, requests } = answers();
    await expect(
      dockerHubToken(oidc, 'acme', {
        timeoutMs: 50,
        idToken: () => new Promise<string>(() => undefined),
        fetch,
      }),
    ).rejects.toThrow(
      "the job's OIDC token (audience https://identity.docker.com) could not be had: no answer within 0.05 s (network-timeout); expected `permissions: id-token: write` on the job",
    );
    expect(requests).toEqual([]);
  });
});
