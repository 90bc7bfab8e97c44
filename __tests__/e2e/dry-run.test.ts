// The bundled action in dry-run mode, started as the runner starts it: the plan
// reaches GITHUB_OUTPUT and the job summary; nothing logs in, builds or pushes.
import {
  assertNoSecrets,
  pullRequestEvent,
  pushEvent,
  removeTempDirs,
  runAction,
  type ActionRun,
  type RunOptions,
} from './harness/index.js';

afterAll(removeTempDirs);

const token = 'ghs_e2eDryRunTokenNotPrinted0123';
const password = 'dry-run-pw-Hc81-not-printed';
const runs: ActionRun[] = [];

/** A dry run with a token and a password set: a plan must print neither. */
async function plan(options: RunOptions): Promise<ActionRun> {
  const run = await runAction({
    token,
    ...options,
    inputs: { registry: 'ghcr.io', username: 'mona', password, ...options.inputs },
  });
  runs.push(run);
  return run;
}

const sha = '860c1904a1ce19322e91ac35af1ab07466440c37';

test('tag push v2.1.1 plans 2.1.1, 2.1, 2, latest and sha-<7>', async () => {
  const run = await plan({
    event: pushEvent('refs/tags/v2.1.1', { sha }),
    inputs: { images: 'ghcr.io/acme/app', 'dry-run': true },
  });
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  expect(run.outputs['tag-names'].split('\n')).toEqual([
    '2.1.1',
    '2.1',
    '2',
    'sha-860c190',
    'latest',
  ]);
  expect(run.outputs.tags.split('\n')).toEqual([
    'ghcr.io/acme/app:2.1.1',
    'ghcr.io/acme/app:2.1',
    'ghcr.io/acme/app:2',
    'ghcr.io/acme/app:sha-860c190',
    'ghcr.io/acme/app:latest',
  ]);
  expect(run.outputs.version).toBe('2.1.1');
  expect(run.outputs.labels).toContain(`org.opencontainers.image.revision=${sha}`);
  expect(run.outputs.pushed).toBe('false');
  expect(run.outputs.digest).toBe('');
  const json = JSON.parse(run.outputs.json) as { tags: string[] };
  expect(json.tags).toHaveLength(5);
  expect(run.summary).toContain('## Image plan (dry run)');
  expect(run.summary).toContain('`2.1.1` `2.1` `2` `sha-860c190` `latest`');
  expect(run.stdout).toContain('dry-run is true: no login, build or push');
  // A dry run never saves credentials or temp dirs for the post step to clean.
  expect(Object.keys(run.state)).toEqual(['isPost']);
});

test('pull request: planned pr-N tag, would not push', async () => {
  const run = await plan({
    event: pullRequestEvent(42),
    inputs: { images: 'ghcr.io/acme/app', 'dry-run': true },
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs['tag-names'].split('\n')).toEqual([
    'pr-42',
    expect.stringMatching(/^sha-[0-9a-f]{7}$/),
  ]);
  expect(run.summary).toContain('- would push: no');
});

test('a bad rule fails the step with one error line naming the input and the value', async () => {
  const run = await plan({
    event: pushEvent('refs/tags/v2.1.1'),
    inputs: {
      images: 'ghcr.io/acme/app',
      'dry-run': true,
      tags: 'type=semvr,pattern={{version}}',
    },
  });
  expect(run.exitCode).toBe(1);
  const errors = run.commands.filter((c) => c.command === 'error');
  expect(errors.map((e) => e.message)).toEqual([
    'tags: unknown type "semvr" in "type=semvr,pattern={{version}}"; expected one of schedule, semver, pep440, match, edge, ref, raw, sha',
  ]);
  expect(run.outputs).toEqual({});
});

test('tag-pattern picks the version out of a monorepo tag', async () => {
  const run = await plan({
    event: pushEvent('refs/tags/app-v1.4.0'),
    inputs: {
      images: 'ghcr.io/acme/app',
      'dry-run': true,
      'tag-pattern': '^app-v(\\d+\\.\\d+\\.\\d+)$',
    },
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs['tag-names'].split('\n').slice(0, 3)).toEqual(['1.4.0', '1.4', '1']);
  expect(run.outputs['tag-names'].split('\n')).toContain('latest');
});

test('no token or password in any log, output, summary or file of a dry run', () => {
  expect(runs.length).toBe(4);
  assertNoSecrets(runs, { token, password });
});
