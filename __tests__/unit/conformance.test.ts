// Runs docker/metadata-action's own test cases (data in ../shared/conformance/metadata-action)
// through computeMeta, following cases.json's harness_algorithm. Cases where we deliberately
// do better are listed, with the reason and the expected difference, in
// conformance-divergences.json; every other case must match exactly.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contextFrom, type Payload } from '../../src/context/context.js';
import { computeMeta, type Meta } from '../../src/tags/index.js';
import { bakeDefinitions, metaOutputs } from '../../src/tags/outputs.js';

interface Case {
  id: string;
  kind: string;
  env: Record<string, string>;
  extraEnv: Record<string, string>;
  eventJson: string | null;
  annotationLevels?: string[];
  effectiveInputs: {
    images: string[];
    tags: string[];
    flavor: string[];
    labels: string[];
    annotations: string[];
    sepTags: string;
    sepLabels: string;
    sepAnnotations: string;
    bakeTarget: string;
  };
  expected: {
    version?: string | null;
    tags: string[];
    tagNames?: string[];
    labels?: string[];
    annotations?: string[];
    json?: unknown;
    tagsJoined?: string;
    bakeFileTags?: unknown;
    bakeFileLabels?: unknown;
    bakeFileAnnotations?: unknown;
    bakeFile?: unknown;
  };
}

interface CaseFile {
  conventions: { frozenNow: string; frozenCommitDate: string };
  cases: Case[];
}

interface Divergence {
  id: string;
  reason: string;
  /** Tag names metadata-action gives that we do not (the rest must match exactly). */
  withoutTags: string[];
  /** Text of metadata-action's expected tags, version and labels that we give otherwise: [theirs, ours]. */
  replace?: [string, string][];
}

const root = fileURLToPath(
  new URL('../../../shared/conformance/metadata-action/', import.meta.url),
);
const present = existsSync(`${root}cases.json`);
const data: CaseFile | undefined = present
  ? (JSON.parse(readFileSync(`${root}cases.json`, 'utf8')) as CaseFile)
  : undefined;
const divergences = JSON.parse(
  readFileSync(new URL('./conformance-divergences.json', import.meta.url), 'utf8'),
) as Divergence[];

function fixture(name: string): Payload {
  return JSON.parse(readFileSync(`${root}fixtures/${name}`, 'utf8')) as Payload;
}

/** harness_algorithm steps 1-7, then our engine (step 8's "run the implementation"). */
function run(c: Case, files: CaseFile): Meta {
  const env = { ...c.env, ...c.extraEnv };
  const payload: Payload = c.eventJson ? fixture(c.eventJson) : {};
  payload.repository = fixture('repo.json');
  const now = new Date(files.conventions.frozenNow);
  const context = contextFrom(env, payload, now);
  context.commitDate = new Date(files.conventions.frozenCommitDate);
  const inputs = c.effectiveInputs;
  return computeMeta(
    {
      images: inputs.images,
      tags: inputs.tags,
      flavor: inputs.flavor,
      labels: inputs.labels,
      annotations: inputs.annotations,
      tagPattern: '',
    },
    context,
    now,
    { annotationLevels: c.annotationLevels },
  );
}

/** Removes `name` tags (bare or `image:name`) from a list. */
function without(tags: string[], names: string[]): string[] {
  return tags.filter((tag) => !names.some((name) => tag === name || tag.endsWith(`:${name}`)));
}

if (!data) {
  const why = `metadata-action conformance: ${root} is absent, so its cases are skipped`;
  process.stderr.write(`${why}\n`);
  test.skip(why, () => {});
} else {
  const files = data;
  const byId = new Map(divergences.map((d) => [d.id, d]));
  const runnable = files.cases;

  test('every divergence names an existing, runnable case and says why', () => {
    for (const d of divergences) {
      expect(runnable.map((c) => c.id)).toContain(d.id);
      expect(d.reason.length).toBeGreaterThan(20);
      expect(d.withoutTags.length + (d.replace?.length ?? 0)).toBeGreaterThan(0);
    }
  });

  describe('metadata-action cases that we match exactly', () => {
    test.each(runnable.filter((c) => !byId.has(c.id)).map((c) => [c.id, c] as const))(
      '%s',
      (_id, c) => {
        const meta = run(c, files);
        const { expected } = c;
        if (expected.version !== undefined) expect(meta.version).toBe(expected.version ?? '');
        expect(meta.tags).toEqual(expected.tags);
        if (expected.labels) expect([...meta.labels].sort()).toEqual(expected.labels);
        if (expected.annotations && !c.annotationLevels) {
          expect([...meta.annotations].sort()).toEqual([...expected.annotations].sort());
        }
        if (expected.tagNames) expect(meta.tagNames).toEqual(expected.tagNames);
        const inputs = c.effectiveInputs;
        const out = metaOutputs(meta, {
          tags: inputs.sepTags,
          labels: inputs.sepLabels,
          annotations: inputs.sepAnnotations,
        });
        if (expected.json !== undefined) expect(JSON.parse(out.json)).toEqual(expected.json);
        if (expected.tagsJoined !== undefined) expect(out.tags).toBe(expected.tagsJoined);
        // The DOCKER_METADATA_OUTPUT_BAKE_FILE* definitions.
        const bake = bakeDefinitions(meta, inputs.bakeTarget);
        const bakeFiles: Array<[string, unknown]> = [
          ['bake-file-tags', expected.bakeFileTags],
          ['bake-file-labels', expected.bakeFileLabels],
          ['bake-file-annotations', expected.bakeFileAnnotations],
          ['bake-file', expected.bakeFile],
        ];
        for (const [output, definition] of bakeFiles) {
          if (definition !== undefined) expect(JSON.parse(bake[output])).toEqual(definition);
        }
      },
    );
  });

  describe('metadata-action cases where we deliberately differ', () => {
    test.each(
      runnable.filter((c) => byId.has(c.id)).map((c) => [c.id, byId.get(c.id)!.reason, c] as const),
    )('%s: %s', (id, _reason, c) => {
      const { withoutTags, replace = [] } = byId.get(id)!;
      const ours = (text: string): string =>
        replace.reduce((t, [from, to]) => t.split(from).join(to), text);
      const meta = run(c, files);
      const differs =
        JSON.stringify(c.expected.tags) !== JSON.stringify(meta.tags) ||
        JSON.stringify(c.expected.labels) !== JSON.stringify([...meta.labels].sort());
      expect(differs).toBe(true);
      expect(meta.tags).toEqual(without(c.expected.tags, withoutTags).map(ours));
      if (c.expected.version !== undefined)
        expect(meta.version).toBe(ours(c.expected.version ?? ''));
      if (c.expected.labels) expect([...meta.labels].sort()).toEqual(c.expected.labels.map(ours));
    });
  });
}
