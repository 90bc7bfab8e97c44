// The chain of a bake definition: parents from target: contexts, build order, repositories from
// bake tags or images lines, and each bad definition's error; bake's own errors named by input.
import { bakeInputError, lacksNamedContexts, parseBakeMetadata } from '../../src/docker/bake.js';
import { chainImages, chainOf, imageOverrides } from '../../src/release/chain.js';
import { repositoryOf } from '../../src/oci/reference.js';

const def = {
  group: { default: { targets: ['app'] }, all: { targets: ['default', 'mid'] } },
  target: {
    app: {
      contexts: { mid: 'target:mid', src: '.' },
      tags: ['ghcr.io/acme/app:1', 'ghcr.io/acme/app:2'],
    },
    mid: { contexts: { base: 'target:base' }, tags: ['ghcr.io/acme/mid'] },
    base: { tags: ['localhost:5000/acme/base@sha256:abc'] },
  },
};

test('parents come before children; each target released to the repositories of its tags', () => {
  const chain = chainOf(def, ['default'], new Map());
  expect(chain.targets.map((t) => t.name)).toEqual(['base', 'mid', 'app']);
  expect(chain.targets.map((t) => t.parents)).toEqual([[], ['base'], ['mid']]);
  expect(chainImages(chain)).toEqual([
    'localhost:5000/acme/base',
    'ghcr.io/acme/mid',
    'ghcr.io/acme/app',
  ]);
});

test('images lines target=repository replace the repositories of the bake tags', () => {
  const chain = chainOf(def, [], imageOverrides(['app=docker.io/acme/app', 'app=ghcr.io/x/app']));
  expect(chain.released.find((t) => t.name === 'app')!.repositories).toEqual([
    'docker.io/acme/app',
    'ghcr.io/x/app',
  ]);
});

test.each([
  [['app=ghcr.io/a', 'nope=ghcr.io/b'], /^images: "nope=\.\.\." names no target/],
  [['ghcr.io/acme/app'], /^images: "ghcr.io\/acme\/app" is not a target's repository/],
])('images %j: %s', (lines, error) => {
  expect(() => chainOf(def, [], imageOverrides(lines))).toThrow(error);
});

test('a requested target without a repository is an error naming it and what to add', () => {
  const bare = { target: { app: {} } };
  expect(() => chainOf(bare, ['app'], new Map())).toThrow(
    /^targets: "app" has no repository to release to; give it tags/,
  );
});

test('a parent that is not released is built as a parent only', () => {
  const chain = chainOf(
    { target: { app: { contexts: { b: 'target:base' }, tags: ['r/app'] }, base: {} } },
    ['app'],
    new Map(),
  );
  expect(chain.targets.map((t) => t.name)).toEqual(['base', 'app']);
  expect(chain.released.map((t) => t.name)).toEqual(['app']);
});

test('a cycle and an undefined parent are errors naming targets', () => {
  const cycle = {
    target: {
      a: { contexts: { b: 'target:b' }, tags: ['r/a'] },
      b: { contexts: { a: 'target:a' }, tags: ['r/b'] },
    },
  };
  expect(() => chainOf(cycle, ['a'], new Map())).toThrow(/^targets: .*cycle \(a -> b -> a\)/);
  const missing = { target: { a: { contexts: { b: 'target:zz' }, tags: ['r/a'] } } };
  expect(() => chainOf(missing, ['a'], new Map())).toThrow(/^targets: "a" is built FROM target:zz/);
});

test('two targets released to one repository is an error', () => {
  const shared = { target: { a: { tags: ['r/x:a'] }, b: { tags: ['r/x:b'] } } };
  expect(() => chainOf(shared, ['a', 'b'], new Map())).toThrow(
    /"a" and "b" are both released to r\/x/,
  );
});

test.each([
  ['ghcr.io/acme/app:1.2', 'ghcr.io/acme/app'],
  ['localhost:5000/app', 'localhost:5000/app'],
  ['localhost:5000/app:v1@sha256:ab', 'localhost:5000/app'],
])('repositoryOf(%s) = %s', (ref, repo) => expect(repositoryOf(ref)).toBe(repo));

test.each([
  ['ERROR: open missing.hcl: no such file or directory', /^files: open missing\.hcl/],
  ['ERROR: failed to find target nope', /^targets: failed to find target nope/],
  ['ERROR: infinite loop from base to app', /^targets: .*cycle \(infinite loop from base to app\)/],
])('bake says %s', (output, error) => {
  expect(bakeInputError(`#1 DONE\n${output}\n`, ['x.hcl'], ['app'])).toMatch(error);
});

test.each([
  ['v0.8+unknown', true],
  ['v0.9.3', true],
  ['v0.10.0', false],
  ['v0.25.2', false],
  ['v0.0.0+unknown', false],
  ['', false],
])('BuildKit %s lacks named contexts: %s', (version, lacks) => {
  expect(lacksNamedContexts(version)).toBe(lacks);
});

test("bake's metadata file: one entry per target", () => {
  const app = { 'containerimage.digest': 'sha256:a', 'containerimage.config.digest': 'sha256:c' };
  const text = JSON.stringify({ app, 'buildx.build.warnings': [] });
  expect([...parseBakeMetadata(text)]).toEqual([
    [
      'app',
      {
        digest: 'sha256:a',
        configDigest: 'sha256:c',
        metadata: JSON.stringify(app),
      },
    ],
  ]);
});
