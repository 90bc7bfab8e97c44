/** The OCI metadata a registry shows for an image, copied to the index level of a multi-platform build. */

const OCI = 'org.opencontainers.image';

/**
 * The keys GHCR and other registries read from an index to describe and link the image
 * ("No description provided" otherwise).
 */
export const INDEX_KEYS = [
  'description',
  'source',
  'licenses',
  'revision',
  'version',
  'created',
].map((key) => `${OCI}.${key}`);

const LEVELLED = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:/;

/**
 * The annotations a build of `platforms` gets: the plan's, and for several platforms (an index)
 * also `index:` copies of the INDEX_KEYS among the plan's unlevelled annotations. A key the user
 * gave an `index:` annotation keeps the user's; when every annotation carries a level
 * (DOCKER_METADATA_ANNOTATIONS_LEVELS), the levels are the user's and nothing is added. One
 * platform: nothing added, as BuildKit refuses index annotations for a single-platform export.
 * Pure.
 */
export function withIndexDefaults(annotations: string[], platforms: string[]): string[] {
  if (platforms.length < 2) return annotations;
  const own = new Set(
    annotations
      .filter((a) => /^index(\[[^\]]+\])?:/.test(a))
      .map((a) => a.slice(a.indexOf(':') + 1, a.indexOf('='))),
  );
  const added = annotations
    .filter((a) => !LEVELLED.test(a))
    .filter((a) => {
      const key = a.slice(0, a.indexOf('='));
      return INDEX_KEYS.includes(key) && !own.has(key) && a.length > key.length + 1;
    })
    .map((a) => `index:${a}`);
  return [...annotations, ...added];
}
