import { contextFrom } from '../../src/context/context.js';
import type { Plan } from '../../src/plan.js';
import { digestRecord } from '../../src/report/artifact.js';
import { type Outcome } from '../../src/report/outcome.js';
import { failedPushMarkdown, summaryMarkdown } from '../../src/report/summary.js';

const plan: Plan = {
  meta: {
    version: '1.2.3',
    images: ['ghcr.io/acme/app'],
    tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
    tagNames: ['1.2.3', 'latest'],
    planned: [
      { name: '1.2.3', moving: false },
      { name: 'latest', moving: true },
    ],
    labels: ['org.opencontainers.image.created=2024-05-01T12:00:00.000Z'],
    annotations: [],
  },
  push: true,
  pushReason: 'push is auto and the event is push',
  outputEnv: false,
};

const digest = 'sha256:' + 'a'.repeat(64);
const outcome: Outcome = {
  digest,
  imageId: 'sha256:' + 'b'.repeat(64),
  metadata: '{}',
  platforms: ['linux/amd64'],
  durationMs: 4200,
  pushed: true,
  refs: [`ghcr.io/acme/app@${digest}`],
};

test('dry-run summary lists the planned tags and the push decision', () => {
  expect(summaryMarkdown(plan, undefined)).toBe(
    [
      '## Image plan (dry run)',
      '',
      '| image | tags |',
      '| --- | --- |',
      '| `ghcr.io/acme/app` | `1.2.3` `latest` |',
      '',
      '- version: `1.2.3`',
      '- would push: yes (push is auto and the event is push)',
      '',
    ].join('\n'),
  );
});

test('build summary has digest, platforms, build time, pushed and the pull command by digest', () => {
  const md = summaryMarkdown(plan, outcome);
  expect(md).toContain(`- digest: \`${digest}\``);
  expect(md).toContain('- platforms: `linux/amd64`');
  expect(md).toContain('- build time: 4.2 s');
  expect(md).toContain('- pushed: yes');
  expect(md).toContain(`docker pull ghcr.io/acme/app@${digest}`);
});

test('an image that was not pushed has no pull command', () => {
  const md = summaryMarkdown(
    { ...plan, push: false, pushReason: 'push is false' },
    { ...outcome, pushed: false, refs: [] },
  );
  expect(md).toContain('- pushed: no (push is false)');
  expect(md).not.toContain('docker pull');
});

test('signatures and the attestation in the summary: the verify command, the check of the attestation', () => {
  const md = summaryMarkdown(
    {
      ...plan,
      meta: {
        ...plan.meta,
        labels: [
          ...plan.meta.labels,
          'org.opencontainers.image.source=https://github.com/acme/app',
        ],
      },
    },
    {
      ...outcome,
      signing: {
        results: [
          {
            image: 'ghcr.io/acme/app',
            reference: `ghcr.io/acme/app:sha256-${'a'.repeat(64)}`,
            failure: '',
            verifyCommand: `cosign verify --certificate-identity X --certificate-oidc-issuer Y ghcr.io/acme/app@${digest}`,
          },
        ],
        skipped: '',
        publicKey: '',
      },
      attestationId: '4242',
      attestations: [
        {
          image: 'ghcr.io/acme/app',
          reference: `ghcr.io/acme/app@sha256:${'b'.repeat(64)}`,
          listedBy: 'the referrers API',
          failure: '',
        },
      ],
    },
  );
  expect(md).toContain(
    `### Signatures\n\n| image | signature |\n| --- | --- |\n| \`ghcr.io/acme/app\` | \`ghcr.io/acme/app:sha256-${'a'.repeat(64)}\` |`,
  );
  expect(md).toContain(
    `\`\`\`sh\ncosign verify --certificate-identity X --certificate-oidc-issuer Y ghcr.io/acme/app@${digest}\n\`\`\``,
  );
  expect(md).not.toContain('cosign.pub');
  expect(md).toContain(
    `- build provenance attestation: ID \`4242\`; check it with \`gh attestation verify oci://ghcr.io/acme/app@${digest} --repo acme/app\`\n- attestations in the registries (OCI referrers of the image):\n  - \`ghcr.io/acme/app\`: \`ghcr.io/acme/app@sha256:${'b'.repeat(64)}\`, listed by the referrers API\n`,
  );
});

test('digest record carries what consumers verify against', () => {
  const context = contextFrom(
    { GITHUB_SHA: 'c0ffee', GITHUB_REPOSITORY: 'acme/app' },
    {},
    new Date(0),
  );
  expect(digestRecord(plan, context, outcome)).toEqual({
    images: ['ghcr.io/acme/app'],
    tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
    digest,
    refs: [`ghcr.io/acme/app@${digest}`],
    version: '1.2.3',
    revision: 'c0ffee',
    source: 'https://github.com/acme/app',
    created: '2024-05-01T12:00:00.000Z',
    fingerprint: '',
  });
});

test('a platform job of a merge group: no tag, and where its digest went', () => {
  const md = summaryMarkdown(plan, {
    ...outcome,
    platforms: ['linux/arm64'],
    platformJob: { group: 'app', platform: 'linux/arm64', artifact: 'app-platform-linux-arm64' },
  });
  expect(md).toContain('## Platform image built: `linux/arm64` of merge-group `app`');
  expect(md).toContain('| `ghcr.io/acme/app` | (none: by digest) |');
  expect(md).toContain('the artifact `app-platform-linux-arm64` for the merge step');
});

test('the merge step: one row per platform (runner, test, digest), and the record lists them', () => {
  const platform = (name: string, d: string, extra = {}) => ({
    schema: 'build-tag-push/platform-record/v2' as const,
    group: 'app',
    platform: name,
    status: 'pushed' as const,
    reason: '',
    digest: d,
    runId: '7',
    images: ['ghcr.io/acme/app'],
    revision: 'c0ffee',
    runAttempt: 1,
    job: 'build',
    runner: { name: 'GitHub Actions 7', os: 'Linux', arch: 'ARM64' },
    test: 'passed',
    testDurationMs: 2500,
    reusedFrom: '',
    fingerprint: '',
    ...extra,
  });
  const arm = `sha256:${'a'.repeat(64)}`;
  const amd = `sha256:${'b'.repeat(64)}`;
  const merged = {
    ...outcome,
    platforms: ['linux/amd64', 'linux/arm64'],
    merged: {
      group: 'app',
      platforms: [
        platform('linux/amd64', amd, {
          test: 'reused',
          reusedFrom: 'ghcr.io/acme/app:fp-0123456789abcdef',
          runner: { name: '', os: '', arch: '' },
        }),
        platform('linux/arm64', arm),
      ],
    },
  };
  const md = summaryMarkdown(plan, merged);
  expect(md).toContain('## Multi-platform image released: merge-group `app`');
  expect(md).toContain(
    `| \`linux/arm64\` | GitHub Actions 7, Linux/ARM64 | passed in 2.5 s | \`${arm}\` |`,
  );
  expect(md).toContain(
    `| \`linux/amd64\` | build | reused (reused: \`ghcr.io/acme/app:fp-0123456789abcdef\`) | \`${amd}\` |`,
  );
  const context = contextFrom({ GITHUB_SHA: 'c0ffee' }, {}, new Date(0));
  expect(digestRecord(plan, context, merged).platforms).toEqual([
    { platform: 'linux/amd64', digest: amd },
    { platform: 'linux/arm64', digest: arm },
  ]);
});

test('a failed push: per registry and image, what was pushed and what not, then the error', () => {
  const md = failedPushMarkdown(
    plan,
    {
      digest: '',
      images: [
        {
          image: '127.0.0.1:5000/acme/app',
          pushed: [],
          unverified: ['1.2.3'],
          notPushed: ['latest'],
        },
        { image: 'ghcr.io/acme/app', pushed: [], unverified: [], notPushed: ['1.2.3', 'latest'] },
      ],
    },
    'docker buildx build failed (exit code 1; gave up after 3 retries):\nERROR: connection refused',
  );
  expect(md).toBe(
    [
      '## Image push failed',
      '',
      'docker buildx build failed (exit code 1; gave up after 3 retries):',
      '',
      '| registry | image | pushed | not pushed |',
      '| --- | --- | --- | --- |',
      '| `127.0.0.1:5000` | `127.0.0.1:5000/acme/app` | `1.2.3` (not verified) | `latest` |',
      '| `ghcr.io` | `ghcr.io/acme/app` | nothing | `1.2.3` `latest` |',
      '',
      'Moving tags (`latest`, major, minor, branch) are written only after the image is verified in every registry, and a failure while writing them puts back those already moved. A tag marked "not verified" is in the registry, but the push stopped before its digest was checked against the build.',
      '',
      '<details><summary>Error</summary>',
      '',
      '```text',
      'ERROR: connection refused',
      '```',
      '',
      '</details>',
      '',
      '- version: `1.2.3`',
      '',
    ].join('\n'),
  );
});
