// The bundled action in dry-run mode, started as the runner starts it: the plan
// reaches GITHUB_OUTPUT and the job summary; nothing logs in, builds or pushes.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  assertNoSecrets,
  pullRequestEvent,
  makeTempDir,
  pushEvent,
  removeTempDirs,
  repoRoot,
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

// What a dry run loads: the plan's code, not the build, release and registry code, nor node's
// HTTP, HTTPS and TLS modules (@actions/http-client, which @actions/core imports, is a bundle
// loaded at its first use; scripts/bundle.mjs). A node option records what the step loaded.
test('a dry run loads no HTTP, HTTPS or TLS module and under 320 KB of the bundle', async () => {
  const dir = await makeTempDir('dry-run-loads');
  const hook = join(dir, 'record.mjs');
  const record = join(dir, 'loaded.json');
  await writeFile(
    hook,
    [
      "import { registerHooks } from 'node:module';",
      "import { writeFileSync } from 'node:fs';",
      'const urls = [];',
      'registerHooks({ load(url, context, next) { urls.push(url); return next(url, context); } });',
      "process.on('exit', () => writeFileSync(" +
        JSON.stringify(record) +
        ', JSON.stringify({ urls, builtins: process.moduleLoadList })));',
      '',
    ].join('\n'),
  );
  const run = await plan({
    event: pushEvent('refs/tags/v2.1.1', { sha }),
    inputs: { images: 'ghcr.io/acme/app', 'dry-run': true },
    env: { NODE_OPTIONS: `--import=${pathToFileURL(hook).href}` },
  });
  expect(run.exitCode).toBe(0);
  const { urls, builtins } = JSON.parse(await readFile(record, 'utf8')) as {
    urls: string[];
    builtins: string[];
  };
  for (const name of ['http', 'https', 'tls', '_http_client'])
    expect(builtins).not.toContain(`NativeModule ${name}`);
  const dist = urls.filter((url) => url.startsWith(pathToFileURL(join(repoRoot, 'dist')).href));
  expect(dist.some((url) => url.endsWith('/dist/index.js'))).toBe(true);
  expect(dist.filter((url) => url.includes('/http-client/'))).toEqual([]);
  const bytes = (await Promise.all(dist.map((url) => stat(fileURLToPath(url))))).reduce(
    (sum, s) => sum + s.size,
    0,
  );
  // Before the build code moved behind the plan it was about 390 KB; now about 280 KB.
  expect(bytes).toBeLessThan(320_000);
});
