// The OCI metadata copied to the index level of a multi-platform build, and what overrides it.
import { INDEX_KEYS, withIndexDefaults } from '../../src/tags/index-level.js';

const oci = (key: string, value: string): string => `org.opencontainers.image.${key}=${value}`;
const plan = [
  oci('created', '2026-01-01T00:00:00.000Z'),
  oci('description', 'An app'),
  oci('licenses', 'MIT'),
  oci('revision', 'abc'),
  oci('source', 'https://github.com/acme/app'),
  oci('title', 'app'),
  oci('url', 'https://github.com/acme/app'),
  oci('version', '1.2.3'),
];
const two = ['linux/amd64', 'linux/arm64'];

test('several platforms: the six keys also at the index level; title and url on manifests only', () => {
  const added = withIndexDefaults(plan, two).slice(plan.length);
  expect(added).toEqual(
    ['created', 'description', 'licenses', 'revision', 'source', 'version'].map(
      (key) => `index:${plan.find((a) => a.startsWith(`org.opencontainers.image.${key}=`))!}`,
    ),
  );
  expect(INDEX_KEYS).toHaveLength(6);
});

test('one platform: nothing added (BuildKit refuses index annotations there)', () => {
  expect(withIndexDefaults(plan, ['linux/amd64'])).toEqual(plan);
  expect(withIndexDefaults(plan, [])).toEqual(plan);
});

test("the user's index: annotation of a key overrides the default; an empty value is not copied", () => {
  const user = [
    ...plan.filter((a) => !a.includes('.licenses=')),
    oci('licenses', ''),
    `index:${oci('description', 'Shown on the index')}`,
  ];
  const added = withIndexDefaults(user, two).slice(user.length);
  expect(added.some((a) => a.includes('.description='))).toBe(false);
  expect(added.some((a) => a.includes('.licenses='))).toBe(false);
  expect(added).toContain(`index:${oci('version', '1.2.3')}`);
});

test('levels given for every annotation (DOCKER_METADATA_ANNOTATIONS_LEVELS): nothing added', () => {
  const levelled = plan.map((a) => `manifest:${a}`);
  expect(withIndexDefaults(levelled, two)).toEqual(levelled);
});
