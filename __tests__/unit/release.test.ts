import { jest } from '@jest/globals';
import { PushError, refName } from '../../src/release/stage.js';
import {
  compareVersions,
  decideForward,
  pushedAncestry,
  type Ancestry,
  type ReleaseIdentity,
} from '../../src/release/forward.js';
import { moveTags, MoveError } from '../../src/release/move.js';
import { releaseOrder, stagingTag, type ImageTags } from '../../src/release/order.js';
import { release, type ReleaseOptions } from '../../src/release/transaction.js';
import { MemoryRegistry } from './memory-registry.js';

beforeEach(() => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const sha = (c: string): string => c.repeat(40);
const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;

describe('releaseOrder', () => {
  const show = (images: ImageTags[]) => {
    const order = releaseOrder(images, 'build-tag-push-9-1');
    return {
      stage: order.stage.map(refName),
      staging: order.staging.map(refName),
      moving: order.moving.map(refName),
    };
  };

  test('immutable tags of every image are the stage; moving tags follow', () => {
    expect(
      show(
        ['a/x', 'b/x'].map((image) => ({
          image,
          tags: [
            { name: '2.1.1', moving: false },
            { name: '2.1', moving: true },
            { name: 'latest', moving: true },
            { name: 'sha-abc1234', moving: false },
          ],
        })),
      ),
    ).toEqual({
      stage: ['a/x:2.1.1', 'a/x:sha-abc1234', 'b/x:2.1.1', 'b/x:sha-abc1234'],
      staging: [],
      moving: ['a/x:2.1', 'a/x:latest', 'b/x:2.1', 'b/x:latest'],
    });
  });

  test.each<[string, ImageTags['tags']]>([
    ['branch-only rules', [{ name: 'main', moving: true }]],
    ['raw latest', [{ name: 'latest', moving: true }]],
    [
      'edge and a match group',
      [
        { name: 'edge', moving: true },
        { name: '1', moving: true },
      ],
    ],
  ])('%s: no moving tag is ever in the stage; the staging tag is', (_name, tags) => {
    const { stage, staging, moving } = show([{ image: 'r/app', tags }]);
    expect(stage).toEqual(['r/app:build-tag-push-9-1']);
    expect(staging).toEqual(stage);
    expect(moving).toEqual(tags.map((t) => `r/app:${t.name}`));
  });

  test('duplicates once, an image without tags nothing', () => {
    expect(
      show([
        {
          image: 'r/app',
          tags: [
            { name: '1.0.0', moving: false },
            { name: '1.0.0', moving: false },
          ],
        },
        { image: 'q/app', tags: [] },
      ]),
    ).toEqual({ stage: ['r/app:1.0.0'], staging: [], moving: [] });
  });

  test('stagingTag is unique per run attempt and job, and a valid tag', () => {
    const now = new Date(1_700_000_000_000);
    expect(stagingTag('123', '2', now, 'a1b2c3d4')).toBe('build-tag-push-123-2-a1b2c3d4');
    expect(stagingTag('', '', now, '')).toBe('build-tag-push-1700000000000-1');
    expect(stagingTag('x;rm', 'a', now, '../x')).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/);
  });
});

test.each<[string, Record<string, unknown>, Ancestry]>([
  ['the branch before the push', { after: 'n', before: 'o', forced: false, commits: [] }, 'yes'],
  ['a pushed commit', { after: 'n', before: 'x', forced: false, commits: [{ id: 'o' }] }, 'yes'],
  ['a forced push says nothing', { after: 'n', before: 'o', forced: true }, 'unknown'],
  ['another commit', { after: 'n', before: 'x', forced: false, commits: [] }, 'unknown'],
  ['not this push', { after: 'z', before: 'o', forced: false }, 'unknown'],
  ['no push payload', {}, 'unknown'],
])('pushedAncestry: %s', (_name, payload, expected) => {
  expect(pushedAncestry(payload, 'o', 'n')).toBe(expected);
});

describe('forward only', () => {
  const ancestryOf =
    (edges: Record<string, Ancestry>) =>
    (older: string, newer: string): Promise<Ancestry> =>
      Promise.resolve(older === newer ? 'yes' : (edges[`${older[0]}>${newer[0]}`] ?? 'no'));
  const ours = (version: string, c = 'b'): ReleaseIdentity => ({ version, revision: sha(c) });

  test.each<[string, string, number | undefined]>([
    ['1.2.0', '1.1.5', 1],
    ['1.1.5', '1.2.0', -1],
    ['v1.2.0', '1.2.0', 0],
    ['2.0.0', '2.0.0-rc.1', 1],
    ['main', '1.2.0', undefined],
    ['', '', undefined],
  ])('compareVersions(%s, %s) = %s', (a, b, expected) => {
    const order = compareVersions(a, b);
    expect(order === undefined ? undefined : Math.sign(order)).toBe(expected);
  });

  test.each<[string, ReleaseIdentity, ReleaseIdentity, Record<string, Ancestry>, boolean, RegExp]>([
    [
      'a backport does not move latest off a newer release',
      ours('1.1.5'),
      ours('1.2.0', 'c'),
      {},
      false,
      /holds 1\.2\.0, newer than 1\.1\.5/,
    ],
    [
      'a newer release moves',
      ours('1.2.0'),
      ours('1.1.5', 'a'),
      {},
      true,
      /1\.2\.0 is newer than 1\.1\.5/,
    ],
    [
      'a re-run of the same release moves',
      ours('1.2.0'),
      ours('1.2.0', 'c'),
      {},
      true,
      /same version/,
    ],
    [
      'a branch moves to a descendant commit',
      ours('main', 'b'),
      ours('main', 'a'),
      { 'a>b': 'yes' },
      true,
      /descends from/,
    ],
    [
      'a branch does not move to an older commit',
      ours('main', 'a'),
      ours('main', 'b'),
      { 'b>a': 'no', 'a>b': 'yes' },
      false,
      /newer commit/,
    ],
    ['diverged history holds back', ours('main', 'a'), ours('main', 'b'), {}, false, /diverged/],
    [
      'missing history, no creation dates: holds back and says so',
      ours('main', 'b'),
      ours('main', 'a'),
      { 'a>b': 'unknown' },
      false,
      /fetch-depth: 0.*no creation date/,
    ],
    [
      'missing history: a run that started later moves it',
      { ...ours('main', 'b'), created: '2026-01-02T00:00:00Z' },
      { ...ours('main', 'a'), created: '2026-01-01T00:00:00Z' },
      { 'a>b': 'unknown' },
      true,
      /fetch-depth: 0.*started after/,
    ],
    [
      'missing history: a slow run that started earlier does not',
      { ...ours('main', 'b'), created: '2026-01-01T00:00:00Z' },
      { ...ours('main', 'a'), created: '2026-01-02T00:00:00Z' },
      { 'a>b': 'unknown' },
      false,
      /started later/,
    ],
    [
      'an image without a revision holds back',
      ours('main'),
      { version: 'x', revision: '' },
      {},
      false,
      /no org\.opencontainers\.image\.revision/,
    ],
    ['the same commit moves', ours('main', 'b'), ours('main', 'b'), {}, true, /same commit/],
    [
      'a release over a branch build goes by commit',
      ours('1.0.0', 'b'),
      ours('main', 'a'),
      { 'a>b': 'yes' },
      true,
      /descends/,
    ],
  ])('%s', async (_name, mine, theirs, edges, move, reason) => {
    const decision = await decideForward(mine, theirs, ancestryOf(edges));
    expect(decision.move).toBe(move);
    expect(decision.reason).toMatch(reason);
  });
});

const OLD = digestOf('0');
const NEW = digestOf('1');
const refs = (images: string[], tags: string[]) =>
  images.flatMap((image) => tags.map((tag) => ({ image, tag, moving: true })));
const noHistory = (): Promise<Ancestry> => Promise.resolve('unknown');

describe('moveTags', () => {
  function registryAt(version: string, tags: string[], images = ['a/x', 'b/x']): MemoryRegistry {
    const registry = new MemoryRegistry();
    for (const ref of refs(images, tags))
      registry.put(refName(ref), OLD, { version, revision: sha('a') });
    registry.identities.set(NEW, { version: '1.2.0', revision: sha('b') });
    return registry;
  }
  const options = (version = '1.2.0') => ({
    digest: NEW,
    ours: { version, revision: sha('b') },
    force: false,
    ancestry: noHistory,
  });

  test('moves older tags, holds back newer ones, creates new ones', async () => {
    const registry = registryAt('1.1.0', ['latest', '1']);
    registry.put('a/x:1', OLD, { version: '1.3.0', revision: sha('c') });
    registry.identities.set(OLD, { version: '1.1.0', revision: sha('a') });
    // a/x:1 holds 1.3.0 (another digest)
    const newer = digestOf('2');
    registry.put('a/x:1', newer, { version: '1.3.0', revision: sha('c') });
    const report = await moveTags(
      refs(['a/x', 'b/x'], ['latest', '1', 'edge']),
      registry,
      options(),
    );
    expect(report.heldBack.map((h) => refName(h.ref))).toEqual(['a/x:1']);
    expect(report.moved.map(refName).sort()).toEqual([
      'a/x:edge',
      'a/x:latest',
      'b/x:1',
      'b/x:edge',
      'b/x:latest',
    ]);
    expect(registry.tags.get('a/x:1')).toBe(newer);
  });

  test('force-moving-tags moves backwards', async () => {
    const registry = registryAt('2.0.0', ['latest']);
    const report = await moveTags(refs(['a/x'], ['latest']), registry, {
      ...options(),
      force: true,
    });
    expect(report.moved.map(refName)).toEqual(['a/x:latest']);
  });

  test.each(['a/x:latest', 'a/x:1', 'b/x:latest', 'b/x:1'])(
    'a write refused for %s: every tag moved is put back, nothing else written',
    async (failing) => {
      const registry = registryAt('1.1.0', ['latest', '1']);
      registry.failPut.add(failing);
      const error = (await moveTags(
        refs(['a/x', 'b/x'], ['latest', '1']),
        registry,
        options(),
      ).catch((e: unknown) => e)) as MoveError;
      expect(error).toBeInstanceOf(MoveError);
      expect(error.reason).toContain(`tagging ${failing}`);
      for (const ref of ['a/x:latest', 'a/x:1', 'b/x:latest', 'b/x:1'])
        expect(registry.tags.get(ref)).toBe(OLD);
      expect(error.restored.map(refName).sort()).toEqual(
        ['a/x:latest', 'a/x:1', 'b/x:latest', 'b/x:1'].filter((r) => r !== failing).sort(),
      );
      expect(error.notRestored).toEqual([]);
    },
  );

  test.each(['a/x:latest', 'b/x:1'])(
    'a write to %s the registry applied and never answered is put back too, checked by reading it',
    async (lost) => {
      const registry = registryAt('1.1.0', ['latest', '1']);
      registry.lostAnswer.add(lost);
      const error = (await moveTags(
        refs(['a/x', 'b/x'], ['latest', '1']),
        registry,
        options(),
      ).catch((e: unknown) => e)) as MoveError;
      expect(error).toBeInstanceOf(MoveError);
      expect(error.reason).toContain(`tagging ${lost}: no answer`);
      for (const ref of ['a/x:latest', 'a/x:1', 'b/x:latest', 'b/x:1'])
        expect([ref, registry.tags.get(ref)]).toEqual([ref, OLD]);
      expect(error.restored.map(refName)).toContain(lost);
      expect(error.notRestored).toEqual([]);
    },
  );

  test('a write that never landed is left where it was; a new tag whose write landed unanswered is removed', async () => {
    const registry = registryAt('1.1.0', ['latest'], ['a/x']);
    registry.failPut.add('a/x:latest');
    const refused = (await moveTags(refs(['a/x'], ['latest']), registry, options()).catch(
      (e: unknown) => e,
    )) as MoveError;
    expect(refused.restored).toEqual([]);
    expect(registry.writes).toEqual([]);

    const fresh = new MemoryRegistry();
    fresh.lostAnswer.add('a/x:edge');
    const lost = (await moveTags(refs(['a/x'], ['edge']), fresh, options()).catch(
      (e: unknown) => e,
    )) as MoveError;
    expect(fresh.tags.has('a/x:edge')).toBe(false);
    expect(lost.restored.map(refName)).toEqual(['a/x:edge']);
  });

  test('a tag this release created is removed on failure; a registry that cannot remove it is reported', async () => {
    const registry = new MemoryRegistry();
    registry.failPut.add('b/x:latest');
    const error = (await moveTags(refs(['a/x', 'b/x'], ['latest']), registry, options()).catch(
      (e: unknown) => e,
    )) as MoveError;
    expect(registry.tags.has('a/x:latest')).toBe(false);
    expect(error.restored.map(refName)).toEqual(['a/x:latest']);

    const keeps = new MemoryRegistry();
    keeps.canDelete = false;
    keeps.failPut.add('b/x:latest');
    const kept = (await moveTags(refs(['a/x', 'b/x'], ['latest']), keeps, options()).catch(
      (e: unknown) => e,
    )) as MoveError;
    expect(kept.notRestored.map((n) => refName(n.ref))).toEqual(['a/x:latest']);
    expect(kept.notRestored[0].reason).toMatch(/does not remove tags/);
  });

  test('a read that fails before any write: nothing is written', async () => {
    const registry = registryAt('1.1.0', ['latest']);
    registry.manifestDigest = (image) =>
      image === 'b/x' ? Promise.reject(new Error('b.io did not answer')) : Promise.resolve(OLD);
    await expect(moveTags(refs(['a/x', 'b/x'], ['latest']), registry, options())).rejects.toThrow(
      'b.io did not answer',
    );
    expect(registry.writes).toEqual([]);
  });

  test('race: an older run writes after this newer one decided; the read-back writes it again', async () => {
    const registry = registryAt('1.1.0', ['latest'], ['a/x']);
    const older = digestOf('3');
    registry.identities.set(older, { version: '1.1.5', revision: sha('d') });
    let once = true;
    registry.afterPut = (ref) => {
      if (once) {
        once = false;
        registry.tags.set(ref, older);
      }
    };
    const report = await moveTags(refs(['a/x'], ['latest']), registry, options());
    expect(registry.tags.get('a/x:latest')).toBe(NEW);
    expect(report.moved.map(refName)).toEqual(['a/x:latest']);
  });

  test('race: a newer run wrote after this older one; the newer one stays', async () => {
    const registry = registryAt('1.1.0', ['latest'], ['a/x']);
    const newer = digestOf('4');
    registry.identities.set(newer, { version: '1.3.0', revision: sha('e') });
    registry.afterPut = (ref) => registry.tags.set(ref, newer);
    const report = await moveTags(refs(['a/x'], ['latest']), registry, options());
    expect(registry.tags.get('a/x:latest')).toBe(newer);
    expect(report.superseded.map((s) => refName(s.ref))).toEqual(['a/x:latest']);
  });
});

describe('release', () => {
  const images: ImageTags[] = ['a/x', 'b/x'].map((image) => ({
    image,
    tags: [
      { name: '1.2.0', moving: false },
      { name: '1.2', moving: true },
      { name: 'latest', moving: true },
    ],
  }));
  const options: ReleaseOptions = {
    move: { ours: { version: '1.2.0', revision: sha('b') }, force: false, ancestry: noHistory },
  };

  function runner(registry: MemoryRegistry, order: string[]) {
    return {
      build: (built: string[]) => {
        order.push(`build ${built.join(' ')}`);
        for (const ref of built) registry.tags.set(ref, NEW);
        registry.identities.set(NEW, { version: '1.2.0', revision: sha('b') });
        return Promise.resolve(NEW);
      },
      registry,
    };
  }

  test('stage, verify, then move; held-back tags reported', async () => {
    const registry = new MemoryRegistry();
    registry.put('a/x:latest', OLD, { version: '2.0.0', revision: sha('c') });
    const order: string[] = [];
    const report = await release(releaseOrder(images, 's'), runner(registry, order), options);
    expect(order).toEqual(['build a/x:1.2.0 b/x:1.2.0']);
    expect(report.heldBack.map((h) => refName(h.ref))).toEqual(['a/x:latest']);
    expect(report.images).toEqual([
      {
        image: 'a/x',
        pushed: ['1.2.0', '1.2'],
        unverified: [],
        notPushed: [],
        heldBack: ['latest'],
      },
      { image: 'b/x', pushed: ['1.2.0', '1.2', 'latest'], unverified: [], notPushed: [] },
    ]);
    expect(registry.tags.get('a/x:latest')).toBe(OLD);
  });

  test('the sign hook runs on the verified digest, after the stage and before any moving tag', async () => {
    const registry = new MemoryRegistry();
    const order: string[] = [];
    const signer = {
      ...runner(registry, order),
      sign: (digest: string) => {
        order.push(`sign ${digest} latest=${registry.tags.get('a/x:latest') ?? 'none'}`);
        return Promise.resolve();
      },
    };
    await release(releaseOrder(images, 's'), signer, options);
    expect(order).toEqual(['build a/x:1.2.0 b/x:1.2.0', `sign ${NEW} latest=none`]);
    expect(registry.tags.get('a/x:latest')).toBe(NEW);
  });

  test('a sign hook that throws: a PushError, no moving tag moved, the stage reported', async () => {
    const registry = new MemoryRegistry();
    for (const image of ['a/x', 'b/x'])
      registry.put(`${image}:latest`, OLD, { version: '1.1.0', revision: sha('a') });
    const failing = {
      ...runner(registry, []),
      sign: () => Promise.reject(new Error('b/x: the registry refused the signature')),
    };
    const error = (await release(releaseOrder(images, 's'), failing, options).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(error).toBeInstanceOf(PushError);
    expect(error.reason.split('\n')).toEqual([
      'signing: b/x: the registry refused the signature',
      'no moving tag was moved: every moving tag is where it was before this run',
    ]);
    for (const image of ['a/x', 'b/x']) {
      expect(registry.tags.get(`${image}:latest`)).toBe(OLD);
      expect(registry.tags.get(`${image}:1.2`)).toBeUndefined();
    }
    expect(error.report.images[1]).toEqual({
      image: 'b/x',
      pushed: ['1.2.0'],
      unverified: [],
      notPushed: ['1.2', 'latest'],
    });
  });

  test('branch-only rules: built under the staging tag, moved, staging tag removed', async () => {
    const registry = new MemoryRegistry();
    const order: string[] = [];
    const branch: ImageTags[] = [{ image: 'a/x', tags: [{ name: 'main', moving: true }] }];
    const report = await release(
      releaseOrder(branch, 'build-tag-push-5-1'),
      runner(registry, order),
      options,
    );
    expect(order).toEqual(['build a/x:build-tag-push-5-1']);
    expect(registry.writes).toEqual([`a/x:main=${NEW}`, 'delete a/x:build-tag-push-5-1']);
    expect(report.images).toEqual([
      { image: 'a/x', pushed: ['main'], unverified: [], notPushed: [] },
    ]);
  });

  test('branch-only rules, a moving tag refused: the staging tag is removed too', async () => {
    const registry = new MemoryRegistry();
    registry.failPut.add('a/x:main');
    const branch: ImageTags[] = [{ image: 'a/x', tags: [{ name: 'main', moving: true }] }];
    const error = await release(
      releaseOrder(branch, 'build-tag-push-5-1'),
      runner(registry, []),
      options,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    expect(registry.tags.has('a/x:build-tag-push-5-1')).toBe(false);
    expect(registry.writes).toContain('delete a/x:build-tag-push-5-1');
  });

  test('a moving tag refused in the second registry: the first registry’s are put back; the error says so', async () => {
    const registry = new MemoryRegistry();
    for (const image of ['a/x', 'b/x'])
      for (const tag of ['1.2', 'latest'])
        registry.put(`${image}:${tag}`, OLD, { version: '1.1.0', revision: sha('a') });
    registry.failPut.add('b/x:latest');
    const error = (await release(releaseOrder(images, 's'), runner(registry, []), options).catch(
      (e: unknown) => e,
    )) as PushError;
    expect(error).toBeInstanceOf(PushError);
    expect(error.reason.split('\n')).toEqual([
      'moving tags: tagging b/x:latest: HTTP 500',
      'put back where they were: a/x:1.2, a/x:latest, b/x:1.2',
      'every moving tag is where it was before this run',
    ]);
    for (const ref of ['a/x:1.2', 'a/x:latest', 'b/x:1.2', 'b/x:latest'])
      expect(registry.tags.get(ref)).toBe(OLD);
    expect(error.report.images[0]).toEqual({
      image: 'a/x',
      pushed: ['1.2.0'],
      unverified: [],
      notPushed: ['1.2', 'latest'],
      restored: ['1.2', 'latest'],
    });
  });
});
