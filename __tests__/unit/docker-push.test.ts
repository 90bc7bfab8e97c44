import {
  buildTags,
  describePush,
  PushError,
  pushSteps,
  refName,
  runPushSteps,
  type ImageTags,
  type PushRunner,
  type PushStep,
} from '../../src/docker/push.js';
import type { Manifest } from '../../src/docker/registry.js';

const release: ImageTags[] = [
  {
    image: 'ghcr.io/acme/app',
    tags: [
      { name: '2.1.1', moving: false },
      { name: '2.1', moving: true },
      { name: '2', moving: true },
      { name: 'latest', moving: true },
      { name: 'sha-abc1234', moving: false },
    ],
  },
  {
    image: 'docker.io/acme/app',
    tags: [
      { name: '2.1.1', moving: false },
      { name: 'latest', moving: true },
    ],
  },
];

/** The steps as `kind: ref ref ...` lines, easy to read in a table. */
function show(steps: PushStep[]): string[] {
  return steps.map((s) => `${s.kind}: ${s.refs.map(refName).join(' ')}`);
}

describe('pushSteps', () => {
  test('immutable tags of every image are built, verified, then moving tags copied and verified', () => {
    expect(show(pushSteps(release))).toEqual([
      'build: ghcr.io/acme/app:2.1.1 ghcr.io/acme/app:sha-abc1234 docker.io/acme/app:2.1.1',
      'verify: ghcr.io/acme/app:2.1.1 ghcr.io/acme/app:sha-abc1234 docker.io/acme/app:2.1.1',
      'copy: ghcr.io/acme/app:2.1 ghcr.io/acme/app:2 ghcr.io/acme/app:latest docker.io/acme/app:latest',
      'verify: ghcr.io/acme/app:2.1 ghcr.io/acme/app:2 ghcr.io/acme/app:latest docker.io/acme/app:latest',
    ]);
  });

  test.each<[string, ImageTags[], string[]]>([
    [
      'branch push: sha is built, the branch tag copied',
      [
        {
          image: 'r/app',
          tags: [
            { name: 'main', moving: true },
            { name: 'sha-1', moving: false },
          ],
        },
      ],
      ['build: r/app:sha-1', 'verify: r/app:sha-1', 'copy: r/app:main', 'verify: r/app:main'],
    ],
    [
      'no immutable tag: the first tag is built, the rest copied',
      [
        {
          image: 'r/app',
          tags: [
            { name: 'edge', moving: true },
            { name: 'main', moving: true },
          ],
        },
      ],
      ['build: r/app:edge', 'verify: r/app:edge', 'copy: r/app:main', 'verify: r/app:main'],
    ],
    [
      'only immutable tags: no copy step',
      [{ image: 'r/app', tags: [{ name: '1.0.0', moving: false }] }],
      ['build: r/app:1.0.0', 'verify: r/app:1.0.0'],
    ],
    [
      'a single moving tag is built',
      [{ image: 'r/app', tags: [{ name: 'latest', moving: true }] }],
      ['build: r/app:latest', 'verify: r/app:latest'],
    ],
    [
      'per image: one image without immutable tags still gets its blobs from the build',
      [
        {
          image: 'a/x',
          tags: [
            { name: '1.0.0', moving: false },
            { name: 'latest', moving: true },
          ],
        },
        { image: 'b/x', tags: [{ name: 'latest', moving: true }] },
      ],
      [
        'build: a/x:1.0.0 b/x:latest',
        'verify: a/x:1.0.0 b/x:latest',
        'copy: a/x:latest',
        'verify: a/x:latest',
      ],
    ],
    [
      'duplicate tags once',
      [
        {
          image: 'r/app',
          tags: [
            { name: '1', moving: false },
            { name: '1', moving: false },
          ],
        },
      ],
      ['build: r/app:1', 'verify: r/app:1'],
    ],
    ['no tags: nothing to do', [{ image: 'r/app', tags: [] }], []],
  ])('%s', (_name, images, expected) => {
    expect(show(pushSteps(images))).toEqual(expected);
  });

  test('buildTags are the refs of the build step', () => {
    expect(buildTags(pushSteps(release))).toEqual([
      'ghcr.io/acme/app:2.1.1',
      'ghcr.io/acme/app:sha-abc1234',
      'docker.io/acme/app:2.1.1',
    ]);
  });
});

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
  test('builds, verifies, copies the moving tags from one manifest read, verifies again', async () => {
    const runner = new FakeRunner();
    const report = await runPushSteps(pushSteps(simple), runner);
    expect(runner.calls).toEqual([
      'build r/app:1.0.0',
      'digest r/app:1.0.0',
      `get r/app@${DIGEST}`,
      'put r/app:latest',
      'put r/app:1',
      'digest r/app:latest',
      'digest r/app:1',
    ]);
    expect(report).toEqual({
      digest: DIGEST,
      images: [{ image: 'r/app', pushed: ['1.0.0', 'latest', '1'], unverified: [], notPushed: [] }],
    });
  });

  test('a failed build touches nothing and reports every tag as not pushed', async () => {
    const runner = new FakeRunner();
    runner.failBuild = true;
    const error = await runPushSteps(pushSteps(simple), runner).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    // Only reads after the failure: which of the build's tags are in the registry.
    expect(runner.calls).toEqual(['build r/app:1.0.0', 'digest r/app:1.0.0']);
    expect((error as PushError).message).toBe(
      'docker buildx build failed (exit code 1)\nr/app: pushed nothing; not pushed 1.0.0, latest, 1',
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
      'a/app: pushed nothing; unverified (may be in the registry) 1; not pushed latest',
      'b/app: pushed nothing; not pushed 1, latest',
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
      notPushed: ['latest', '1'],
    });
  });

  test('a refused copy stops there; the report says which tags made it', async () => {
    const runner = new FakeRunner();
    runner.failPut = 'r/app:1';
    const error = (await runPushSteps(pushSteps(simple), runner).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(error.report.images[0]).toEqual({
      image: 'r/app',
      pushed: ['1.0.0'],
      unverified: ['latest'],
      notPushed: ['1'],
    });
    expect(error.message.split('\n')).toEqual([
      'tagging r/app:1: r refused the credentials for "u" (HTTP 403)',
      'r/app: pushed 1.0.0; unverified (may be in the registry) latest; not pushed 1',
    ]);
  });

  test('without a digest from buildx, the first pushed tag gives it', async () => {
    const runner = new FakeRunner();
    runner.build = (refs: string[]): Promise<string> => {
      for (const ref of refs) runner.tags.set(ref, DIGEST);
      return Promise.resolve('');
    };
    const report = await runPushSteps(pushSteps(simple), runner);
    expect(report.digest).toBe(DIGEST);
    expect(report.images[0].pushed).toEqual(['1.0.0', 'latest', '1']);
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
