// The read-ahead: the immutable tags read beside the logins, the moving tags' images while the
// build runs; a failed read fails for whoever asks, and never before.
import { readAhead, warmMoving, type ReadAheadRegistry } from '../../src/phases/read-ahead.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** A registry that records what it was asked, with tags and failures of a test's choosing. */
function registry(tags: Record<string, string>, failing = new Set<string>()) {
  const asked: string[] = [];
  const reg: ReadAheadRegistry = {
    manifestDigest: (image, tag) => {
      asked.push(`head ${image}:${tag}`);
      if (failing.has(`${image}:${tag}`)) return Promise.reject(new Error('HTTP 500'));
      return Promise.resolve(tags[`${image}:${tag}`]);
    },
    getManifest: (image, digest) => {
      asked.push(`manifest ${image}@${digest}`);
      return Promise.resolve({});
    },
    imageLabels: (image, digest) => {
      asked.push(`labels ${image}@${digest}`);
      return failing.has(digest)
        ? Promise.reject(new Error('HTTP 500'))
        : Promise.resolve({ 'org.opencontainers.image.version': '1.0.0' });
    },
  };
  return { reg, asked };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('each tag is read once its registry is ready, and answered from that read', async () => {
  const { reg, asked } = registry({ 'r/app:1.0.0': DIGEST });
  let open!: () => void;
  const ready = new Promise<void>((resolve) => (open = resolve));
  const before = readAhead(
    reg,
    [
      { image: 'r/app', tag: '1.0.0' },
      { image: 'r/app', tag: 'sha-1234567' },
    ],
    () => ready,
  );
  await flush();
  expect(asked).toEqual([]);
  open();
  await expect(before.manifestDigest('r/app', '1.0.0')).resolves.toBe(DIGEST);
  await expect(before.manifestDigest('r/app', 'sha-1234567')).resolves.toBeUndefined();
  expect(asked).toEqual(['head r/app:1.0.0', 'head r/app:sha-1234567']);
});

test('a failed read fails for whoever asks, not before; a tag not read ahead is read now', async () => {
  const { reg, asked } = registry({ 'r/app:latest': DIGEST }, new Set(['r/app:1.0.0']));
  const before = readAhead(reg, [{ image: 'r/app', tag: '1.0.0' }], () => Promise.resolve());
  await flush();
  await expect(before.manifestDigest('r/app', '1.0.0')).rejects.toThrow('HTTP 500');
  await expect(before.manifestDigest('r/app', 'latest')).resolves.toBe(DIGEST);
  expect(asked).toEqual(['head r/app:1.0.0', 'head r/app:latest']);
});

test('warmMoving reads the labels and manifest of each moving tag image; failures wait for the move', async () => {
  const other = `sha256:${'b'.repeat(64)}`;
  const { reg, asked } = registry({ 'r/app:latest': DIGEST, 'r/app:1': other }, new Set([other]));
  warmMoving(reg, [
    { image: 'r/app', tag: 'latest', moving: true },
    { image: 'r/app', tag: '1', moving: true },
    { image: 'r/app', tag: 'edge', moving: true },
  ]);
  await flush();
  await flush();
  expect(asked.sort()).toEqual(
    [
      'head r/app:latest',
      'head r/app:1',
      'head r/app:edge',
      `labels r/app@${DIGEST}`,
      `manifest r/app@${DIGEST}`,
      `labels r/app@${other}`,
      `manifest r/app@${other}`,
    ].sort(),
  );
});
