import { jest } from '@jest/globals';
import {
  describePush,
  PushError,
  runPushSteps,
  type PushRunner,
  type PushStep,
} from '../../src/release/stage.js';
import { refusedRegistries, retriedBuild, type BuildRetry } from '../../src/phases/build-retry.js';
import { releaseOrder, type ImageTags } from '../../src/release/order.js';
import type { Manifest } from '../../src/oci/manifest.js';
import { retryPolicy } from '../../src/retry.js';

/** The stage of a release (immutable tags, or the staging tag), built then verified. */
function pushSteps(images: ImageTags[]): PushStep[] {
  const { stage } = releaseOrder(images, 'build-tag-push-1-1');
  return stage.length === 0
    ? []
    : [
        { kind: 'build', refs: stage },
        { kind: 'verify', refs: stage },
      ];
}

const DIGEST = 'sha256:' + 'a'.repeat(64);

/** An in-memory registry: tags per image, recording every call in order. */
class FakeRunner implements PushRunner {
  readonly calls: string[] = [];
  readonly tags = new Map<string, string>();
  failBuild = false;
  failPut = '';
  wrongDigest = '';

  build(refs: string[]): Promise<string> {
    this.calls.push(`build ${refs.join(' ')}`);
    if (this.failBuild)
      return Promise.reject(new Error('docker buildx build failed (exit code 1)'));
    for (const ref of refs) this.tags.set(ref, ref === this.wrongDigest ? 'sha256:other' : DIGEST);
    return Promise.resolve(DIGEST);
  }

  registry = {
    manifestDigest: (image: string, tag: string): Promise<string | undefined> => {
      this.calls.push(`digest ${image}:${tag}`);
      return Promise.resolve(this.tags.get(`${image}:${tag}`));
    },
    getManifest: (image: string, digest: string): Promise<Manifest> => {
      this.calls.push(`get ${image}@${digest}`);
      return Promise.resolve({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        body: Buffer.from('{}'),
        digest,
      });
    },
    putManifest: (image: string, tag: string, manifest: Manifest): Promise<string> => {
      this.calls.push(`put ${image}:${tag}`);
      if (`${image}:${tag}` === this.failPut) {
        return Promise.reject(
          new Error(`tagging ${image}:${tag}: r refused the credentials for "u" (HTTP 403)`),
        );
      }
      this.tags.set(`${image}:${tag}`, manifest.digest);
      return Promise.resolve(manifest.digest);
    },
  };
}

const simple: ImageTags[] = [
  {
    image: 'r/app',
    tags: [
      { name: '1.0.0', moving: false },
      { name: 'latest', moving: true },
      { name: '1', moving: true },
    ],
  },
];

describe('runPushSteps', () => {
  test('builds the immutable tags only, then verifies them; writes no moving tag', async () => {
    const runner = new FakeRunner();
    const report = await runPushSteps(pushSteps(simple), runner);
    expect(runner.calls).toEqual(['build r/app:1.0.0', 'digest r/app:1.0.0']);
    expect(report).toEqual({
      digest: DIGEST,
      images: [{ image: 'r/app', pushed: ['1.0.0'], unverified: [], notPushed: [] }],
    });
  });

  test('an image without an immutable tag is built under the staging tag, never a moving one', async () => {
    const runner = new FakeRunner();
    await runPushSteps(
      pushSteps([{ image: 'r/app', tags: [{ name: 'main', moving: true }] }]),
      runner,
    );
    expect(runner.calls).toEqual([
      'build r/app:build-tag-push-1-1',
      'digest r/app:build-tag-push-1-1',
    ]);
  });

  test('a failed build touches nothing and reports every tag as not pushed', async () => {
    const runner = new FakeRunner();
    runner.failBuild = true;
    const error = await runPushSteps(pushSteps(simple), runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    // Only reads after the failure: which of the build's tags are in the registry.
    expect(runner.calls).toEqual(['build r/app:1.0.0', 'digest r/app:1.0.0']);
    expect((error as PushError).message).toBe(
      'docker buildx build failed (exit code 1)\nr/app: pushed nothing; not pushed 1.0.0',
    );
  });

  test('a build that failed part way through its push: tags found are reported as not verified', async () => {
    const runner = new FakeRunner();
    runner.build = (refs: string[]): Promise<string> => {
      runner.tags.set(refs[0], DIGEST);
      return Promise.reject(
        new Error('docker buildx build failed (exit code 1):\nERROR: no basic auth credentials'),
      );
    };
    const images: ImageTags[] = [
      {
        image: 'a/app',
        tags: [
          { name: '1', moving: false },
          { name: 'latest', moving: true },
        ],
      },
      {
        image: 'b/app',
        tags: [
          { name: '1', moving: false },
          { name: 'latest', moving: true },
        ],
      },
    ];
    const error = (await runPushSteps(pushSteps(images), runner).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(error.message.split('\n').slice(-2)).toEqual([
      'a/app: pushed nothing; in the registry, not verified 1',
      'b/app: pushed nothing; not pushed 1',
    ]);
  });

  test('a digest mismatch after the build stops before any moving tag', async () => {
    const runner = new FakeRunner();
    runner.wrongDigest = 'r/app:1.0.0';
    const error = (await runPushSteps(pushSteps(simple), runner).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(runner.calls.some((c) => c.startsWith('put'))).toBe(false);
    expect(error.message).toContain(
      `r/app:1.0.0 points to sha256:other, not to the built ${DIGEST}`,
    );
    expect(error.report.images[0]).toEqual({
      image: 'r/app',
      pushed: [],
      unverified: ['1.0.0'],
      notPushed: [],
    });
  });

  test('without a digest from buildx, the first pushed tag gives it', async () => {
    const runner = new FakeRunner();
    runner.build = (refs: string[]): Promise<string> => {
      for (const ref of refs) runner.tags.set(ref, DIGEST);
      return Promise.resolve('');
    };
    const report = await runPushSteps(pushSteps(simple), runner);
    expect(report.digest).toBe(DIGEST);
    expect(report.images[0].pushed).toEqual(['1.0.0']);
  });

  test('describePush, one line per image', () => {
    expect(
      describePush({
        digest: DIGEST,
        images: [
          { image: 'a', pushed: ['1'], unverified: [], notPushed: [] },
          { image: 'b', pushed: [], unverified: [], notPushed: ['1', 'latest'] },
        ],
      }),
    ).toBe('a: pushed 1\nb: pushed nothing; not pushed 1, latest');
  });
});

describe('several registries', () => {
  const two: ImageTags[] = ['a.io/acme/app', 'b.io/acme/app'].map((image) => ({
    image,
    tags: [
      { name: '2.1.1', moving: false },
      { name: 'sha-abc1234', moving: false },
      { name: '2.1', moving: true },
      { name: 'latest', moving: true },
    ],
  }));

  test('the second registry lacks a tag after the build: no moving tag on either registry', async () => {
    const runner = new FakeRunner();
    const build = runner.build.bind(runner);
    runner.build = async (refs: string[]): Promise<string> => {
      const digest = await build(refs);
      runner.tags.delete('b.io/acme/app:sha-abc1234');
      return digest;
    };
    const error = (await runPushSteps(pushSteps(two), runner).catch(
      (e: unknown) => e,
    )) as PushError;
    // (The built manifest may have been read, beside the verification; nothing was written.)
    expect(runner.calls.filter((c) => c.startsWith('put'))).toEqual([]);
    expect(error.reason).toBe('verification failed: b.io/acme/app:sha-abc1234 is missing');
    expect(error.report.images).toEqual([
      {
        image: 'a.io/acme/app',
        pushed: ['2.1.1', 'sha-abc1234'],
        unverified: [],
        notPushed: [],
      },
      {
        image: 'b.io/acme/app',
        pushed: ['2.1.1'],
        unverified: ['sha-abc1234'],
        notPushed: [],
      },
    ]);
  });
});

describe('build retries', () => {
  const unavailable = [
    'docker buildx build failed (exit code 1):',
    '#8 ERROR: received unexpected HTTP status: 503 Service Unavailable',
    '------',
    ' > pushing r/app:1.0.0 with docker:',
    '------',
    'ERROR: received unexpected HTTP status: 503 Service Unavailable',
  ].join('\n');
  const stepFailed = [
    'docker buildx build failed (exit code 1):',
    '#6 0.1 503 Service Unavailable',
    'ERROR: failed to solve: executor failed running [/bin/sh -c make]: exit code: 2',
  ].join('\n');
  const options: BuildRetry = {
    retry: retryPolicy(3),
    sleep: (): Promise<void> => Promise.resolve(),
  };
  /** The runner with its build retried as a release runs it (src/phases/build-retry.ts). */
  const retried = (runner: FakeRunner, retry: BuildRetry = options): PushRunner => ({
    build: retriedBuild((refs) => runner.build(refs), retry),
    registry: runner.registry,
  });
  let out: jest.SpiedFunction<typeof process.stdout.write>;
  beforeEach(() => {
    out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());

  /** A runner whose build fails with these errors first, then succeeds. */
  function failing(...errors: string[]): FakeRunner {
    const runner = new FakeRunner();
    const build = runner.build.bind(runner);
    runner.build = (refs: string[]): Promise<string> => {
      const error = errors.shift();
      if (error === undefined) return build(refs);
      runner.calls.push(`build ${refs.join(' ')} (fails)`);
      return Promise.reject(new Error(error));
    };
    return runner;
  }

  test('a registry 503 during the push: the build is run again, and logged', async () => {
    const runner = failing(unavailable, unavailable);
    const report = await runPushSteps(pushSteps(simple), retried(runner));
    expect(report.images[0].pushed).toEqual(['1.0.0']);
    expect(runner.calls.filter((c) => c.startsWith('build'))).toEqual([
      'build r/app:1.0.0 (fails)',
      'build r/app:1.0.0 (fails)',
      'build r/app:1.0.0',
    ]);
    const lines = out.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => l.includes('retry'))).toEqual([
      'the push of the build: ERROR: received unexpected HTTP status: 503 Service Unavailable; retry 1/3 in 1 s\n',
      'the push of the build: ERROR: received unexpected HTTP status: 503 Service Unavailable; retry 2/3 in 2 s\n',
    ]);
  });

  test('a failed build step is not run again', async () => {
    const runner = failing(stepFailed);
    const error = (await runPushSteps(pushSteps(simple), retried(runner)).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(runner.calls.filter((c) => c.startsWith('build'))).toHaveLength(1);
    expect(error.reason).toBe(stepFailed);
  });

  test('still failing after the retries: the error says so, nothing moved', async () => {
    const runner = failing(unavailable, unavailable, unavailable, unavailable);
    const error = (await runPushSteps(pushSteps(simple), retried(runner)).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(error.reason.split('\n')[0]).toBe(
      'docker buildx build failed (exit code 1; gave up after 3 retries):',
    );
    expect(runner.calls.some((c) => c.startsWith('put'))).toBe(false);
  });

  test('a push refused for lack of credentials names the registry and registry-auth', async () => {
    const noAuth = [
      'docker buildx build failed (exit code 1):',
      '#8 ERROR: no basic auth credentials',
      ' > pushing 127.0.0.1:5001/acme/app:1 with docker:',
      'ERROR: no basic auth credentials',
    ].join('\n');
    const images: ImageTags[] = ['127.0.0.1:5000/acme/app', '127.0.0.1:5001/acme/app'].map(
      (image) => ({ image, tags: [{ name: '1', moving: false }] }),
    );
    const runner = failing(noAuth);
    const error = (await runPushSteps(
      pushSteps(images),
      retried(runner, {
        ...options,
        credentials: (r) => (r === '127.0.0.1:5000' ? { username: 'u', password: 'p' } : undefined),
      }),
    ).catch((e: unknown) => e)) as PushError;
    expect(runner.calls.filter((c) => c.startsWith('build'))).toHaveLength(1);
    expect(error.reason.split('\n')[0]).toBe(
      'no credentials were given for 127.0.0.1:5001; add it to registry-auth',
    );
  });

  test.each<[string, string, string]>([
    [
      'named registry with credentials',
      'ERROR: failed to solve: failed to push a.io/x:1: unexpected status: 401 Unauthorized',
      'a.io refused the push with the credentials of "u" (wrong password or token, or no push permission on the repository)',
    ],
    [
      'no registry named: those without credentials',
      'ERROR: no basic auth credentials',
      'no credentials were given for b.io; add it to registry-auth',
    ],
    ['not an auth failure', 'ERROR: failed to solve: exit code: 2', ''],
  ])('refusedRegistries, %s', (_name, text, expected) => {
    const refs = [
      { image: 'a.io/x', tag: '1', moving: false },
      { image: 'b.io/x', tag: '1', moving: false },
    ];
    const credentials = (r: string) =>
      r === 'a.io' ? { username: 'u', password: 'p' } : undefined;
    expect(refusedRegistries(text, refs, credentials)).toBe(expected);
  });
});
