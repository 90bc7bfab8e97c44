import {
  classifyBuildError,
  classifyNetworkError,
  classifyStatus,
  classifyText,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  registriesInBuildError,
  retryDecision,
  retryPolicy,
  withRetry,
  type Failure,
  type FailureKind,
} from '../../src/retry.js';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('classifyStatus', () => {
  test.each<[number, string | null, FailureKind, string, number | undefined]>([
    [401, null, 'auth', 'HTTP 401 Unauthorized', undefined],
    [403, null, 'auth', 'HTTP 403 Forbidden', undefined],
    [404, null, 'permanent', 'HTTP 404', undefined],
    [400, null, 'permanent', 'HTTP 400', undefined],
    [408, null, 'transient', 'HTTP 408 Request Timeout', undefined],
    [429, null, 'transient', 'HTTP 429 Too Many Requests', undefined],
    [429, '7', 'transient', 'HTTP 429 Too Many Requests, Retry-After 7', 7000],
    [500, null, 'transient', 'HTTP 500 Internal Server Error', undefined],
    [501, null, 'permanent', 'HTTP 501', undefined],
    [502, null, 'transient', 'HTTP 502 Bad Gateway', undefined],
    [503, '2', 'transient', 'HTTP 503 Service Unavailable, Retry-After 2', 2000],
    [504, null, 'transient', 'HTTP 504 Gateway Timeout', undefined],
    [505, null, 'permanent', 'HTTP 505', undefined],
    [599, null, 'transient', 'HTTP 599', undefined],
    [200, null, 'permanent', 'HTTP 200', undefined],
  ])('%i (Retry-After %j) is %s', (status, retryAfter, kind, reason, retryAfterMs) => {
    const failure = classifyStatus(status, retryAfter, NOW);
    expect(failure).toEqual(
      retryAfterMs === undefined ? { kind, reason } : { kind, reason, retryAfterMs },
    );
  });
});

describe('parseRetryAfter', () => {
  test.each<[string | null | undefined, number | undefined]>([
    [undefined, undefined],
    [null, undefined],
    ['', undefined],
    ['0', 0],
    ['5', 5000],
    [' 12 ', 12000],
    ['Wed, 01 Jan 2025 00:00:09 GMT', 9000],
    ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ])('%j is %j ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('classifyNetworkError', () => {
  const fetchFailed = (code: string, message: string): TypeError =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
  test.each<[string, unknown, FailureKind, string]>([
    [
      'connection refused',
      fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5000'),
      'transient',
      'connect ECONNREFUSED 127.0.0.1:5000',
    ],
    [
      'connection reset',
      fetchFailed('ECONNRESET', 'read ECONNRESET'),
      'transient',
      'read ECONNRESET',
    ],
    [
      'socket closed by the server',
      fetchFailed('UND_ERR_SOCKET', 'other side closed'),
      'transient',
      'other side closed',
    ],
    [
      'a timeout',
      Object.assign(new Error('The operation was aborted due to timeout'), {
        name: 'TimeoutError',
      }),
      'transient',
      'no answer in time',
    ],
    [
      'an unknown host',
      fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND reg.example'),
      'permanent',
      'getaddrinfo ENOTFOUND reg.example',
    ],
    [
      'a certificate problem',
      fetchFailed('CERT_HAS_EXPIRED', 'certificate has expired'),
      'permanent',
      'certificate has expired',
    ],
    ['not an error at all', undefined, 'permanent', 'unknown network error'],
  ])('%s', (_name, error, kind, reason) => {
    expect(classifyNetworkError(error)).toEqual({ kind, reason });
  });
});

describe('classifyText (docker login and registry errors)', () => {
  test.each<[string, FailureKind, string]>([
    [
      'Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 503 Service Unavailable',
      'transient',
      'Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 503 Service Unavailable',
    ],
    [
      'Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized',
      'auth',
      'Error response from daemon: login attempt to http://127.0.0.1:5000/v2/ failed with status: 401 Unauthorized',
    ],
    [
      'Error response from daemon: Get "http://127.0.0.1:5009/v2/": dial tcp 127.0.0.1:5009: connect: connection refused',
      'transient',
      'Error response from daemon: Get "http://127.0.0.1:5009/v2/": dial tcp 127.0.0.1:5009: connect: connection refused',
    ],
    [
      'Error response from daemon: Get "https://ghcr.io/v2/": denied: denied',
      'auth',
      'Error response from daemon: Get "https://ghcr.io/v2/": denied: denied',
    ],
    [
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password',
      'auth',
      'Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password',
    ],
    [
      'toomanyrequests: You have reached your pull rate limit',
      'transient',
      'toomanyrequests: You have reached your pull rate limit',
    ],
    [
      'unexpected status code 502 from the registry',
      'transient',
      'unexpected status code 502 from the registry',
    ],
    [
      'Get "https://quay.io/v2/": net/http: TLS handshake timeout',
      'transient',
      'Get "https://quay.io/v2/": net/http: TLS handshake timeout',
    ],
    ['Put "http://r/v2/a/manifests/1": EOF', 'transient', 'Put "http://r/v2/a/manifests/1": EOF'],
    ['write: broken pipe', 'transient', 'write: broken pipe'],
    [
      'Error response from daemon: Get "https://nope.example/v2/": dial tcp: lookup nope.example: no such host',
      'permanent',
      'Error response from daemon: Get "https://nope.example/v2/": dial tcp: lookup nope.example: no such host',
    ],
    ['manifest invalid: manifest invalid', 'permanent', 'manifest invalid: manifest invalid'],
    // A digest that contains 503 or 401 is not a status.
    ['sha256:5034012345 not found', 'permanent', 'sha256:5034012345 not found'],
    [
      'first line\nsecond: 503 Service Unavailable\nlast',
      'transient',
      'second: 503 Service Unavailable',
    ],
  ])('%j is %s', (text, kind, reason) => {
    expect(classifyText(text)).toEqual({ kind, reason });
  });
});

// Error blocks as buildx 0.13 prints them (docker driver and docker-container driver).
const PUSH_503 = `docker buildx build failed (exit code 1):
#8 pushing layer 8067890313cb 0.2s done
#8 ERROR: received unexpected HTTP status: 503 Service Unavailable
------
 > pushing 127.0.0.1:15002/a/b:1 with docker:
------
ERROR: received unexpected HTTP status: 503 Service Unavailable`;
const PUSH_REFUSED_CONNECTION = `docker buildx build failed (exit code 1):
#9 pushing 127.0.0.1:15009/a/b:1 with docker
#9 ERROR: Get "http://127.0.0.1:15009/v2/": dial tcp 127.0.0.1:15009: connect: connection refused
------
 > pushing 127.0.0.1:15009/a/b:1 with docker:
------
ERROR: Get "http://127.0.0.1:15009/v2/": dial tcp 127.0.0.1:15009: connect: connection refused`;
const PUSH_NO_AUTH = `docker buildx build failed (exit code 1):
#8 ERROR: no basic auth credentials
------
 > pushing 127.0.0.1:15001/a/b:1 with docker:
------
ERROR: no basic auth credentials`;
const CONTAINER_DRIVER_401 = `docker buildx build failed (exit code 1):
ERROR: failed to solve: failed to push ghcr.io/acme/app:1.0.0: unexpected status from HEAD request to https://ghcr.io/v2/acme/app/blobs/sha256:abc: 401 Unauthorized`;
const CONTAINER_DRIVER_502 = `docker buildx build failed (exit code 1):
ERROR: failed to solve: failed to push quay.io/acme/app:1.0.0: unexpected status from PUT request to https://quay.io/v2/acme/app/manifests/1.0.0: 502 Bad Gateway`;
const BASE_PULL_503 = `docker buildx build failed (exit code 1):
ERROR: failed to solve: 127.0.0.1:5000/base:1: failed to resolve source metadata for 127.0.0.1:5000/base:1: unexpected status code http://127.0.0.1:5000/v2/base/manifests/1: 503 Service Unavailable`;
// A RUN step that printed a registry-like error and failed: never retried.
const RUN_FAILED_DOCKER = `docker buildx build failed (exit code 1):
#6 [3/3] RUN curl -f http://example/ || (echo "503 Service Unavailable"; exit 3)
#6 0.130 503 Service Unavailable
#6 ERROR: executor failed running [/bin/sh -c curl ...]: exit code: 3
------
 > [3/3] RUN curl -f http://example/ || (echo "503 Service Unavailable"; exit 3):
0.130 503 Service Unavailable
------
ERROR: failed to solve: executor failed running [/bin/sh -c curl ...]: exit code: 3`;
const RUN_FAILED_BUILDKIT = `docker buildx build failed (exit code 1):
#8 0.2 ERROR: connection refused
#8 ERROR: process "/bin/sh -c ./fetch.sh" did not complete successfully: exit code: 7
ERROR: failed to solve: process "/bin/sh -c ./fetch.sh" did not complete successfully: exit code: 7`;
const DOCKERFILE_ERROR = `docker buildx build failed (exit code 1):
ERROR: failed to solve: failed to compute cache key: "/missing.txt" not found: not found`;

describe('classifyBuildError', () => {
  test.each<[string, string, FailureKind, string]>([
    [
      'a registry 503 during the push',
      PUSH_503,
      'transient',
      'ERROR: received unexpected HTTP status: 503 Service Unavailable',
    ],
    [
      'a registry that went away during the push',
      PUSH_REFUSED_CONNECTION,
      'transient',
      'ERROR: Get "http://127.0.0.1:15009/v2/": dial tcp 127.0.0.1:15009: connect: connection refused',
    ],
    [
      'a 502 seen by the docker-container driver',
      CONTAINER_DRIVER_502,
      'transient',
      CONTAINER_DRIVER_502.split('\n')[1],
    ],
    ['a 503 pulling the base image', BASE_PULL_503, 'transient', BASE_PULL_503.split('\n')[1]],
    ['no credentials for the registry', PUSH_NO_AUTH, 'auth', 'ERROR: no basic auth credentials'],
    [
      'a 401 seen by the docker-container driver',
      CONTAINER_DRIVER_401,
      'auth',
      CONTAINER_DRIVER_401.split('\n')[1],
    ],
    [
      'a failed RUN step that printed "503 Service Unavailable"',
      RUN_FAILED_DOCKER,
      'permanent',
      'ERROR: failed to solve: executor failed running [/bin/sh -c curl ...]: exit code: 3',
    ],
    [
      'a failed RUN step whose output says connection refused',
      RUN_FAILED_BUILDKIT,
      'permanent',
      'ERROR: failed to solve: process "/bin/sh -c ./fetch.sh" did not complete successfully: exit code: 7',
    ],
    ['a Dockerfile error', DOCKERFILE_ERROR, 'permanent', DOCKERFILE_ERROR.split('\n')[1]],
    [
      'buildx failed without an ERROR line',
      'docker buildx build failed (exit code 1)',
      'permanent',
      'docker buildx build failed (exit code 1)',
    ],
    [
      'a docker push (of a tested image) that met a 503',
      'docker push 127.0.0.1:5000/a:1 failed: received unexpected HTTP status: 503 Service Unavailable',
      'transient',
      'docker push 127.0.0.1:5000/a:1 failed: received unexpected HTTP status: 503 Service Unavailable',
    ],
  ])('%s: %s', (_name, text, kind, reason) => {
    expect(classifyBuildError(text)).toEqual({ kind, reason });
  });

  test.each<[string, string, string[]]>([
    ['docker driver: the image being pushed', PUSH_NO_AUTH, ['127.0.0.1:15001']],
    ['docker driver: the image and the URL', PUSH_REFUSED_CONNECTION, ['127.0.0.1:15009']],
    ['docker-container driver: failed to push and the URL', CONTAINER_DRIVER_401, ['ghcr.io']],
    ['a failed RUN step names none', RUN_FAILED_DOCKER, []],
  ])('registriesInBuildError, %s', (_name, text, expected) => {
    expect(registriesInBuildError(text)).toEqual(expected);
  });
});

describe('retryDecision', () => {
  const policy = DEFAULT_RETRY_POLICY;
  const transient: Failure = { kind: 'transient', reason: 'HTTP 503' };
  test.each<[string, number, Failure, number, ReturnType<typeof retryDecision>]>([
    ['first retry after 1 s', 1, transient, 0, { retry: true, delayMs: 1000 }],
    ['second after 2 s', 2, transient, 1500, { retry: true, delayMs: 2000 }],
    ['third after 4 s', 3, transient, 4000, { retry: true, delayMs: 4000 }],
    ['no fourth with retries 3', 4, transient, 9000, { retry: false, why: '' }],
    [
      'Retry-After longer than the backoff is waited',
      1,
      { ...transient, retryAfterMs: 5000 },
      0,
      { retry: true, delayMs: 5000 },
    ],
    [
      'Retry-After shorter than the backoff: the backoff',
      3,
      { ...transient, retryAfterMs: 1000 },
      3000,
      { retry: true, delayMs: 4000 },
    ],
    [
      'Retry-After beyond the single-wait limit is not waited for',
      1,
      { ...transient, retryAfterMs: 120_000 },
      0,
      { retry: false, why: 'the registry asked to wait 120 s, longer than 30 s' },
    ],
    [
      'no retry would start after the budget',
      2,
      { ...transient, retryAfterMs: 20_000 },
      45_000,
      { retry: false, why: 'no retry starts more than 60 s after the first failure' },
    ],
    [
      'an auth failure is never retried',
      1,
      { kind: 'auth', reason: 'HTTP 401' },
      0,
      { retry: false, why: 'refused' },
    ],
    [
      'a permanent failure is never retried',
      1,
      { kind: 'permanent', reason: 'HTTP 400' },
      0,
      { retry: false, why: 'not a transient failure' },
    ],
  ])('%s', (_name, retry, failure, since, expected) => {
    expect(retryDecision(policy, retry, failure, since)).toEqual(expected);
  });

  test('the backoff doubles up to the single-wait limit', () => {
    const many = { ...policy, retries: 10, budgetMs: Infinity };
    const delays = Array.from({ length: 7 }, (_, i) => retryDecision(many, i + 1, transient, 0));
    expect(delays.map((d) => (d.retry ? d.delayMs : d.why))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000,
    ]);
  });

  test('retries 0: never', () => {
    expect(retryDecision(retryPolicy(0), 1, transient, 0)).toEqual({ retry: false, why: '' });
  });
});

describe('withRetry', () => {
  /** A fake clock that sleep advances, and an attempt that fails with the given errors first. */
  function setup(errors: Error[], policy = DEFAULT_RETRY_POLICY) {
    let clock = 0;
    const slept: number[] = [];
    const logged: string[] = [];
    let calls = 0;
    const run = (): Promise<string> =>
      withRetry(
        () => {
          calls++;
          const error = errors.shift();
          return error === undefined ? Promise.resolve('ok') : Promise.reject(error);
        },
        {
          policy,
          what: 'login to r.io as bot',
          classify: (error) => classifyText(error instanceof Error ? error.message : String(error)),
          log: (line) => logged.push(line),
          sleep: (ms) => {
            slept.push(ms);
            clock += ms;
            return Promise.resolve();
          },
          now: () => clock,
        },
      );
    return { run, slept, logged, calls: () => calls };
  }
  const unavailable = (): Error => new Error('login failed: status: 503 Service Unavailable');

  test('two transient failures, then success: two log lines, 1 s and 2 s', async () => {
    const t = setup([unavailable(), new Error('dial tcp: connection refused')]);
    await expect(t.run()).resolves.toBe('ok');
    expect(t.slept).toEqual([1000, 2000]);
    expect(t.logged).toEqual([
      'login to r.io as bot: login failed: status: 503 Service Unavailable; retry 1/3 in 1 s',
      'login to r.io as bot: dial tcp: connection refused; retry 2/3 in 2 s',
    ]);
  });

  test('always transient: 4 attempts, then the last error says it gave up', async () => {
    const t = setup([unavailable(), unavailable(), unavailable(), unavailable()]);
    await expect(t.run()).rejects.toThrow(
      'login failed: status: 503 Service Unavailable (gave up after 3 retries)',
    );
    expect(t.calls()).toBe(4);
    expect(t.slept).toEqual([1000, 2000, 4000]);
  });

  test('a 401 is not retried and the error is unchanged', async () => {
    const t = setup([new Error('login failed: status: 401 Unauthorized')]);
    await expect(t.run()).rejects.toThrow(/^login failed: status: 401 Unauthorized$/);
    expect(t.calls()).toBe(1);
    expect(t.logged).toEqual([]);
  });

  test('a 401 after a 503: the error says there was a retry', async () => {
    const t = setup([unavailable(), new Error('login failed: status: 401 Unauthorized')]);
    await expect(t.run()).rejects.toThrow('login failed: status: 401 Unauthorized (after 1 retry)');
  });

  test('the note goes on the first line of a multi-line error, before its colon', async () => {
    const t = setup(
      [PUSH_503, PUSH_503].map((m) => new Error(m)),
      retryPolicy(1),
    );
    const error = (await t.run().catch((e: unknown) => e)) as Error;
    expect(error.message.split('\n')[0]).toBe(
      'docker buildx build failed (exit code 1; gave up after 1 retry):',
    );
    expect(error.message.split('\n').slice(1)).toEqual(PUSH_503.split('\n').slice(1));
  });

  test('retries 0: one attempt, the error as it was', async () => {
    const t = setup([unavailable()], retryPolicy(0));
    await expect(t.run()).rejects.toThrow(/^login failed: status: 503 Service Unavailable$/);
    expect(t.calls()).toBe(1);
  });
});
