// buildPushedImage: the test gate of a builder that is not the engine (docker-container, remote,
// kubernetes, cloud) builds once and pushes by digest, untagged, to the first repository.
import { jest } from '@jest/globals';
import type { BuildResult } from '../../src/docker/build.js';
import type { BuildOverrides } from '../../src/gate/run.js';
import { buildPushedImage, noEngineError, untaggedNote } from '../../src/gate/pushed.js';

const digest = `sha256:${'d'.repeat(64)}`;

function fakeBuild(reported: string) {
  const seen: BuildOverrides[] = [];
  const build = (overrides: BuildOverrides): Promise<BuildResult> => {
    seen.push(overrides);
    return Promise.resolve({ digest: reported, imageId: '', metadata: '{}', durationMs: 1 });
  };
  return { seen, build };
}

beforeEach(() => jest.spyOn(process.stdout, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

test('one build, every platform, pushed by digest to the first repository only, no tag, no load', async () => {
  const { seen, build } = fakeBuild(digest);
  const built = await buildPushedImage(build, 'r.io/a/app');
  expect(built.pushed).toEqual({ image: 'r.io/a/app', digest });
  expect(seen).toEqual([
    {
      tags: [],
      push: false,
      load: false,
      outputs: ['type=image,"name=r.io/a/app",push-by-digest=true,name-canonical=true,push=true'],
    },
  ]);
});

test("a platform job's build is for its platform alone", async () => {
  const { seen, build } = fakeBuild(digest);
  await buildPushedImage(build, 'r.io/a/app', 'linux/arm64');
  expect(seen[0].platforms).toEqual(['linux/arm64']);
});

test('a build that reports no digest fails, naming the repository', async () => {
  await expect(buildPushedImage(fakeBuild('').build, 'r.io/a/app')).rejects.toThrow(
    'buildx reported no digest for the image pushed to r.io/a/app',
  );
});

test('the failure texts say what is in the registry and what to use', () => {
  expect(untaggedNote({ image: 'r.io/a/app', digest })).toBe(
    `no tag was pushed (the untested image is in r.io/a/app by digest only, ${digest}, with no tag)`,
  );
  const error = noEngineError('cloud', 'docker version: Cannot connect');
  expect(error.message).toMatch(/^test: no Docker engine answers on this runner .* cloud driver/);
  expect(error.message).toContain('use a runner with a Docker engine');
});
