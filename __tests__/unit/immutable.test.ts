// Immutable tags are never re-pointed: which tags count, and the decision when they exist.
import { jest } from '@jest/globals';
import { decideImmutable, immutableRefs, type HeldTag } from '../../src/release/immutable.js';
import { releaseOrder } from '../../src/release/order.js';
import { guardImmutable, readHeld, type GuardRegistry } from '../../src/phases/immutable.js';
import type { Manifest } from '../../src/oci/manifest.js';

beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const A = 'a.example/acme/app';
const B = 'b.example/acme/app';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const FP = 'f'.repeat(64);
const FP_TAG = `fp-${'f'.repeat(16)}`;

const held = (image: string, tag: string, digest: string): HeldTag => ({
  ref: { image, tag, moving: false },
  digest,
});

describe('immutableRefs', () => {
  const tags = [
    { name: '1.2.3', moving: false },
    { name: '1.2', moving: true },
    { name: '1', moving: true },
    { name: 'latest', moving: true },
    { name: 'sha-abcdef0', moving: false },
  ];

  test('exact versions and sha- tags count; moving tags do not', () => {
    const order = releaseOrder([{ image: A, tags }], 'build-tag-push-1-1');
    expect(immutableRefs(order).map((r) => r.tag)).toEqual(['1.2.3', 'sha-abcdef0']);
  });

  test('the staging tag of an image without immutable tags does not count', () => {
    const order = releaseOrder(
      [{ image: A, tags: [{ name: 'main', moving: true }] }],
      'build-tag-push-1-1',
    );
    expect(immutableRefs(order)).toEqual([]);
  });

  test('the fingerprint tag (reuse) is the record of the source, not a tag to guard', () => {
    const order = releaseOrder(
      [{ image: A, tags: [...tags, { name: FP_TAG, moving: false }] }],
      'build-tag-push-1-1',
    );
    expect(immutableRefs(order, FP_TAG).map((r) => r.tag)).toEqual(['1.2.3', 'sha-abcdef0']);
  });
});

describe('decideImmutable', () => {
  const facts = {
    fingerprint: FP,
    fpTag: FP_TAG,
    sameSource: [] as string[],
    force: false,
  };

  test('none exists: build (the common path)', () => {
    expect(decideImmutable({ ...facts, held: [] })).toEqual({ kind: 'build', repointed: [] });
  });

  test.each([
    ['in one registry', [held(A, '1.2.3', D1)], [A], A],
    ['in both registries', [held(A, '1.2.3', D1), held(B, 'sha-abcdef0', D1)], [B], A],
    ['only in the second registry', [held(B, '1.2.3', D1)], [B], B],
  ])('held by the image of this source %s: reuse it', (_, tags, sameSource, image) => {
    expect(decideImmutable({ ...facts, held: tags, sameSource })).toEqual({
      kind: 'reuse',
      digest: D1,
      image,
    });
  });

  test('held by an image of another source: refused, naming registry, tag, digest and what to do', () => {
    const decision = decideImmutable({ ...facts, held: [held(A, '1.2.3', D1)] });
    expect(decision.kind).toBe('refuse');
    const message = decision.kind === 'refuse' ? decision.message : '';
    expect(message).toContain(`${A}:1.2.3 holds ${D1}`);
    expect(message).toContain(`not built from this source (${FP_TAG} does not name it)`);
    expect(message).toContain('nothing was pushed');
    expect(message).toContain('set force: true');
    expect(message).toContain('release a new version');
  });

  test('tags holding different images: refused even when one is of this source', () => {
    const decision = decideImmutable({
      ...facts,
      held: [held(A, '1.2.3', D1), held(A, 'sha-abcdef0', D2)],
      sameSource: [A],
    });
    expect(decision.kind).toBe('refuse');
    expect(decision.kind === 'refuse' && decision.message).toMatch(/they hold different images/);
  });

  test('no fingerprint: refused, with the reason', () => {
    const decision = decideImmutable({
      ...facts,
      fingerprint: '',
      fpTag: '',
      fingerprintFailure: 'the context is a git URL',
      held: [held(A, '1.2.3', D1)],
    });
    expect(decision.kind === 'refuse' && decision.message).toMatch(
      /no source fingerprint to compare \(the context is a git URL\)/,
    );
  });

  test('force: build, saying which tags are re-pointed', () => {
    const tags = [held(A, '1.2.3', D1), held(B, '1.2.3', D2)];
    expect(decideImmutable({ ...facts, held: tags, force: true })).toEqual({
      kind: 'build',
      repointed: tags,
    });
  });
});

/** A registry of `image:tag` -> digest; reads of `failing` images throw. */
function registry(tags: Record<string, string>, failing: string[] = []) {
  const reads: string[] = [];
  const fake: GuardRegistry = {
    manifestDigest: (image, tag) => {
      reads.push(`${image}:${tag}`);
      if (failing.includes(image)) return Promise.reject(new Error(`${image} is down`));
      return Promise.resolve(tags[`${image}:${tag}`]);
    },
    getManifest: (_image, digest) =>
      Promise.resolve({ digest, mediaType: 'x', body: Buffer.from('{}') } as Manifest),
    putManifest: (_image, _tag, manifest) => Promise.resolve(manifest.digest),
  };
  return { fake, reads };
}

describe('readHeld and guardImmutable', () => {
  const refs = [
    { image: A, tag: '1.2.3', moving: false },
    { image: B, tag: '1.2.3', moving: false },
  ];
  const fingerprint = () => Promise.resolve({ hash: FP, details: [], failure: '' });

  test('one read per tag; a tag that cannot be read is taken as absent', async () => {
    const { fake, reads } = registry({ [`${A}:1.2.3`]: D1 }, [B]);
    expect(await readHeld(fake, refs)).toEqual([held(A, '1.2.3', D1)]);
    expect(reads.sort()).toEqual([`${A}:1.2.3`, `${B}:1.2.3`]);
  });

  test('nothing held: no fingerprint awaited, no lookup', async () => {
    const { fake, reads } = registry({});
    const never = () => new Promise<never>(() => {});
    expect(await guardImmutable(fake, [A, B], [], never, false)).toBeUndefined();
    expect(reads).toEqual([]);
  });

  test('held by this source: the image to release again', async () => {
    const { fake } = registry({ [`${B}:${FP_TAG}`]: D1 });
    expect(await guardImmutable(fake, [A, B], [held(A, '1.2.3', D1)], fingerprint, false)).toEqual({
      digest: D1,
      image: A,
      fingerprint: FP,
      fpTag: FP_TAG,
    });
  });

  test('held by another source: throws the refusal', async () => {
    const { fake } = registry({ [`${A}:${FP_TAG}`]: D2 });
    await expect(
      guardImmutable(fake, [A, B], [held(A, '1.2.3', D1)], fingerprint, false),
    ).rejects.toThrow(`${A}:1.2.3 holds ${D1}`);
  });
});
