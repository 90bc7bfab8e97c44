// The merge's checks of a group's platform records: each record on its own, the records
// together, and each against what the registry holds (a registry of plain maps).
import { createHash } from 'node:crypto';
import {
  checkRecords,
  failureReason,
  mergeRefused,
  parseRecord,
  RECORD_SCHEMA,
  type FoundRecord,
  type MergeRun,
  type PlatformRecord,
} from '../../src/release/merge-records.js';
import {
  revisionLabel,
  verifyRecords,
  type RecordRegistry,
} from '../../src/release/merge-verify.js';

const digestOf = (c: string): string => `sha256:${c.repeat(64)}`;
const sha = 'ab'.repeat(20);
const IMAGE = 'ghcr.io/acme/app';
const run: MergeRun = { group: 'app', runId: '77', runAttempt: 1, revision: sha, platforms: [] };

function record(platform: string, digest: string, extra: Partial<PlatformRecord> = {}) {
  return {
    schema: RECORD_SCHEMA,
    group: 'app',
    platform,
    status: 'pushed',
    reason: '',
    digest,
    images: [IMAGE],
    revision: sha,
    runId: '77',
    runAttempt: 1,
    job: `build-${platform.split('/')[1]}`,
    runner: { name: 'GitHub Actions 2', os: 'Linux', arch: 'ARM64' },
    test: 'passed',
    testDurationMs: 1200,
    reusedFrom: '',
    fingerprint: '',
    ...extra,
  } satisfies PlatformRecord;
}

const found = (...records: PlatformRecord[]): FoundRecord[] =>
  records.map((r) => ({
    artifact: `${r.group}-platform-${r.platform.replace(/\//g, '-')}`,
    record: r,
  }));

const amd64 = record('linux/amd64', digestOf('a'));
const arm64 = record('linux/arm64', digestOf('b'));

describe('parseRecord', () => {
  test('reads a record of build-tag-push, failed ones too', () => {
    const text = JSON.stringify(record('linux/arm64', '', { status: 'failed', reason: 'x' }));
    expect(parseRecord(text, 'app-platform-linux-arm64').status).toBe('failed');
  });

  test.each([
    ['not json', /holds no JSON platform\.json/],
    ['null', /is not a platform record/],
    [
      JSON.stringify({ schema: 'build-tag-push/platform-record/v1' }),
      /schema "build-tag-push\/platform-record\/v1", expected build-tag-push\/platform-record\/v2\): give the platform jobs and the merge step the same version/,
    ],
  ])('refuses %s', (text, message) => {
    expect(() => parseRecord(text, 'x')).toThrow(message);
  });
});

describe('checkRecords', () => {
  test('every expected platform, in the order of platforms', () => {
    const { records, problems } = checkRecords(found(arm64, amd64), {
      ...run,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(problems).toEqual([]);
    expect(records.map((r) => r.platform)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  test('arm64/v8 is arm64; no platforms expected: every one found, sorted', () => {
    expect(checkRecords(found(arm64), { ...run, platforms: ['linux/arm64/v8'] }).records).toEqual([
      arm64,
    ]);
    expect(checkRecords(found(arm64, amd64), run).records.map((r) => r.platform)).toEqual([
      'linux/amd64',
      'linux/arm64',
    ]);
  });

  test.each<[string, Partial<PlatformRecord>, string]>([
    ['an empty revision', { revision: '' }, 'revision is ""'],
    ['an empty digest', { digest: '' }, 'digest is "", expected sha256:<64 hex>'],
    ['a short digest', { digest: 'sha256:ab' }, 'digest is "sha256:ab"'],
    ['an empty job', { job: '' }, 'job is ""'],
    ['no run ID', { runId: '' }, 'runId is ""'],
    ['no images', { images: [] }, 'images is "[]", expected the repositories it pushed to'],
    ['an unknown status', { status: 'ok' as 'pushed' }, 'status is "ok"'],
    ['another run', { runId: '12' }, 'a record of the workflow run "12", not this run (77)'],
    [
      'another commit',
      { revision: 'cd'.repeat(20) },
      `built from "${'cd'.repeat(20)}", not this run's commit abababababab`,
    ],
    ['a later attempt', { runAttempt: 2 }, "a record of run attempt 2, later than this step's 1"],
    ['attempt 0', { runAttempt: 0 }, 'runAttempt is "0"'],
    ['another group', { group: 'web' }, 'a record of the group "web", not "app"'],
    [
      'a platform with a newline',
      { platform: 'linux/arm64\n::error::x' },
      'platform is "linux/arm64\\n::error::x", expected os/arch[/variant]',
    ],
  ])('refuses %s', (_, change, message) => {
    const bad = { ...arm64, ...change };
    const { records, problems } = checkRecords(
      [{ artifact: 'app-platform-linux-arm64', record: bad }, ...found(amd64)],
      run,
    );
    expect(problems.join('\n')).toContain(message);
    expect(records.map((r) => r.platform)).not.toContain(bad.platform);
  });

  test('a record in an artifact of another platform’s name is refused', () => {
    const { problems } = checkRecords(
      [{ artifact: 'app-platform-linux-amd64', record: arm64 }],
      run,
    );
    expect(problems).toEqual([
      'the artifact "app-platform-linux-amd64": its record names "linux/arm64", whose platform job uploads "app-platform-linux-arm64"',
    ]);
  });

  test('two records of one platform: refused, naming both', () => {
    const v8 = record('linux/arm64/v8', digestOf('c'));
    const { problems } = checkRecords(found(arm64, v8, amd64), run);
    expect(problems).toEqual([
      'linux/arm64: 2 records of one platform (app-platform-linux-arm64, app-platform-linux-arm64-v8); one platform job per platform',
    ]);
  });

  test('a failed platform job: refused with its reason, platforms given or not', () => {
    const failed = record('linux/arm64', '', {
      status: 'failed',
      reason: 'tests failed in the image (exit code 1)',
    });
    for (const platforms of [[], ['linux/amd64', 'linux/arm64']]) {
      const { records, problems } = checkRecords(found(amd64, failed), { ...run, platforms });
      expect(problems).toEqual([
        'linux/arm64: its platform job "build-arm64" (attempt "1", artifact "app-platform-linux-arm64") failed: "tests failed in the image (exit code 1)"; fix it and rerun that job, then this step',
      ]);
      expect(records).toEqual([amd64]);
    }
  });

  test('a missing platform and one not expected, at once', () => {
    const s390x = record('linux/s390x', digestOf('d'));
    const { problems } = checkRecords(found(amd64, s390x), {
      ...run,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(problems).toEqual([
      'no digest for linux/arm64 (found: linux/amd64, linux/s390x): its platform job failed before its build, was skipped or cancelled, or has another merge-group; a failed platform job can be rerun alone, then this step',
      'linux/s390x built by a job of the group but not in platforms (linux/amd64, linux/arm64): add it to platforms, or remove its job',
    ]);
  });

  test('an artifact that could not be read is a problem; no record and no platforms is one', () => {
    expect(
      checkRecords([{ artifact: 'app-platform-x', problem: 'holds no JSON' }], run).problems,
    ).toEqual(['holds no JSON']);
    expect(checkRecords([], run).problems).toEqual([
      'no platform job of the group uploaded a digest (no artifact named app-platform-*); set platforms to the platforms to expect',
    ]);
  });

  test('the group "app-platform-x" is another group, not a record of "app"', () => {
    const other = record('linux/amd64', digestOf('e'), { group: 'app-platform-x' });
    const checked = checkRecords(
      [{ artifact: 'app-platform-x-platform-linux-amd64', record: other }, ...found(arm64)],
      run,
    );
    expect(checked.problems).toEqual([]);
    expect(checked.skipped).toEqual(['app-platform-x-platform-linux-amd64']);
    expect(checked.records).toEqual([arm64]);
  });

  test('the refusal lists every problem and ends with nothing pushed', () => {
    expect(mergeRefused('app', ['a', 'b']).message).toBe(
      'merge: the merge-group "app" cannot be released:\n- a\n- b\nNothing was pushed.',
    );
  });
});

describe('failureReason', () => {
  test('the first line, with no secret value and no control character', () => {
    expect(
      failureReason('push to r failed: token s3cr3t-tok refused\u001b[0m\nsecond line', [
        's3cr3t-tok',
        '',
      ]),
    ).toBe('push to r failed: token *** refused [0m');
    expect(failureReason('', [])).toBe('the job failed');
  });
});

/** A registry of maps: manifests by image and reference, blobs by digest. */
function registryOf(
  manifests: Record<string, Record<string, Buffer>>,
  blobs: Record<string, Buffer>,
): RecordRegistry {
  const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  return {
    manifestDigest: (image, ref) => {
      const body = manifests[image]?.[ref];
      return Promise.resolve(body ? sha256(body) : undefined);
    },
    getManifest: (image, digest) => {
      const body = manifests[image]?.[digest];
      if (!body) return Promise.reject(new Error(`no ${image}@${digest}`));
      return Promise.resolve({ body, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    },
    getBlob: (_image, digest) =>
      blobs[digest] ? Promise.resolve(blobs[digest]) : Promise.reject(new Error(`no ${digest}`)),
  };
}

function image(arch: string, revision: string) {
  const config = Buffer.from(
    JSON.stringify({
      os: 'linux',
      architecture: arch,
      config: { Labels: { 'org.opencontainers.image.revision': revision } },
    }),
  );
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, config: { digest: configDigest } }));
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  return { body, digest, blobs: { [configDigest]: config } };
}

describe('verifyRecords', () => {
  const label = revisionLabel([`org.opencontainers.image.revision=${sha}`, 'x=y']);
  const arm = image('arm64', sha);

  test('the plan’s revision label', () => {
    expect(label).toEqual({ key: 'org.opencontainers.image.revision', value: sha });
    expect(revisionLabel(['x=y'])).toBeUndefined();
  });

  test('an image of this commit and platform, in the repository its record names: the holders', async () => {
    const registry = registryOf({ [IMAGE]: { [arm.digest]: arm.body } }, arm.blobs);
    const ok = record('linux/arm64', arm.digest);
    const result = await verifyRecords([ok], [IMAGE, 'docker.io/acme/app'], registry, label);
    expect(result.problems).toEqual([]);
    expect(result.held.get(arm.digest)).toEqual([IMAGE]);
  });

  test('a digest the registry does not hold: no platform job of this run pushed it', async () => {
    const registry = registryOf({ [IMAGE]: {} }, {});
    const result = await verifyRecords(
      [record('linux/arm64', digestOf('f'))],
      [IMAGE],
      registry,
      label,
    );
    expect(result.problems).toEqual([
      `linux/arm64: ${digestOf('f')} is not in ${IMAGE}, where its record says its job pushed it: no platform job of this run pushed it`,
    ]);
  });

  test('an image of another platform, or of another commit, is refused', async () => {
    const old = image('arm64', 'cd'.repeat(20));
    const registry = registryOf(
      { [IMAGE]: { [arm.digest]: arm.body, [old.digest]: old.body } },
      { ...arm.blobs, ...old.blobs },
    );
    const result = await verifyRecords(
      [record('linux/amd64', arm.digest), record('linux/arm64', old.digest)],
      [IMAGE],
      registry,
      label,
    );
    expect(result.problems).toEqual([
      `linux/amd64: ${arm.digest} in ${IMAGE} is an image of linux/arm64, not linux/amd64`,
      `linux/arm64: ${old.digest} in ${IMAGE} was built from "${'cd'.repeat(20)}", not this run's commit ${sha}: no platform job of this run built it`,
    ]);
  });

  test('a promoted image: its fingerprint tag must name it', async () => {
    const old = image('arm64', 'cd'.repeat(20));
    const registry = registryOf(
      { [IMAGE]: { [old.digest]: old.body, 'fp-0123abcd': old.body } },
      old.blobs,
    );
    const promoted = record('linux/arm64', old.digest, { reusedFrom: `${IMAGE}:fp-0123abcd` });
    expect((await verifyRecords([promoted], [IMAGE], registry, label)).problems).toEqual([]);
    const elsewhere = { ...promoted, reusedFrom: `${IMAGE}:fp-99` };
    expect((await verifyRecords([elsewhere], [IMAGE], registry, label)).problems).toEqual([
      `linux/arm64: its record says it was promoted from ${IMAGE}:fp-99, which is missing, not ${old.digest}`,
    ]);
  });

  test('a record naming none of the merge’s repositories', async () => {
    const registry = registryOf({}, {});
    const result = await verifyRecords(
      [record('linux/arm64', arm.digest, { images: ['evil.example/x'] })],
      [IMAGE],
      registry,
      label,
    );
    expect(result.problems).toEqual([
      `linux/arm64: its job pushed to "evil.example/x", none of ${IMAGE}; give the merge step and the platform jobs the same images`,
    ]);
  });
});
