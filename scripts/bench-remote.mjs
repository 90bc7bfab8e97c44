// The remote-builder figures of `npm run bench` (docs/remote-builders.md): a release of example/
// on a real buildkitd (scripts/engine.sh buildkit, the `remote` driver), the action with
// `builder:` beside the bare `docker login; docker buildx build --builder ... --push; docker
// logout` on the same builder, alternating. Skipped, with the reason logged and no figure
// printed, when buildkitd is not built or does not start.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const engineScript = fileURLToPath(new URL('engine.sh', import.meta.url));

function buildkit(...args) {
  const result = spawnSync('bash', [engineScript, 'buildkit', ...args], { encoding: 'utf8' });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * Median times of the bare push and of the action on a remote builder (`runs` pairs after a
 * warm-up of each), as figures; `[]` with a logged reason when there is no buildkitd.
 * `plan` gives the tags, labels and annotations the action computes (a dry run); `cleanups`
 * takes what the bench undoes on exit.
 */
export async function measureRemote(bench) {
  const { job, registry, user, password, context, runs, run, check, need, median, log } = bench;
  if (!buildkit('status').ok) {
    log('remote builder: skipped: buildkitd is not built (scripts/engine.sh buildkit build)');
    return [];
  }
  const started = buildkit('start');
  if (!started.ok) {
    const reason = started.stderr.trim().split('\n').pop();
    log(`remote builder: skipped: buildkitd did not start (${reason})`);
    return [];
  }
  const address = buildkit('addr').stdout.split('\n')[0];
  const builder = `btp-bench-remote-${randomBytes(3).toString('hex')}`;
  const env = job.env;
  await check(
    await run('docker', ['buildx', 'create', '--name', builder, '--driver', 'remote', address], {
      env,
    }),
    'docker buildx create --driver remote',
  );
  bench.cleanups.push(() =>
    spawnSync('docker', ['buildx', 'rm', '--force', builder], { env, stdio: 'ignore' }),
  );
  log(`remote builder: ${builder} (${address})`);

  const bare = async () => {
    const { tags, labels, annotations } = await bench.plan();
    const metadata = join(job.dirs.temp, 'remote-bare-metadata.json');
    const t0 = process.hrtime.bigint();
    await check(
      await run('docker', ['login', '--username', user, '--password-stdin', registry], {
        env,
        input: password,
      }),
      'docker login',
    );
    const args = ['buildx', 'build', '--builder', builder];
    for (const label of labels) args.push('--label', label);
    for (const annotation of annotations) args.push('--annotation', annotation);
    for (const tag of tags) args.push('--tag', tag);
    args.push('--push', '--metadata-file', metadata, context);
    await check(
      await run('docker', args, { env, cwd: job.dirs.workspace }),
      'docker buildx build --push (remote)',
    );
    await check(await run('docker', ['logout', registry], { env }), 'docker logout');
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const digest = JSON.parse(readFileSync(metadata, 'utf8'))['containerimage.digest'];
    need(/^sha256:/.test(digest ?? ''), 'bare build on the remote builder: no digest');
    return ms;
  };
  const action = async () => {
    const main = await check(
      await job.step('main', { INPUT_BUILDER: builder }),
      'the action (main, remote builder)',
    );
    const post = await check(
      await job.step('post', job.stateEnv(main.state)),
      'the action (post, remote builder)',
    );
    need(main.outputs.pushed === 'true', 'the action on the remote builder did not push');
    return main.ms + post.ms;
  };

  log('remote builder: warm-up (fills its build cache)');
  await bare();
  await action();
  const pairs = [];
  for (let i = 0; i < runs; i++) {
    // Alternating order, as the bench's other pairs.
    let a;
    let b;
    if (i % 2 === 0) {
      a = await bare();
      b = await action();
    } else {
      b = await action();
      a = await bare();
    }
    const pair = { a, b };
    pairs.push(pair);
    log(
      `remote builder run ${i + 1}/${runs}: bare ${pair.a.toFixed(0)} ms, action ${pair.b.toFixed(0)} ms`,
    );
  }
  return [
    [
      'remote_bare_ms',
      'remote builder: bare login, buildx build --push, logout, median',
      median(pairs.map((p) => p.a)).toFixed(0),
      'ms',
    ],
    [
      'remote_action_ms',
      'remote builder: action (main + post), median',
      median(pairs.map((p) => p.b)).toFixed(0),
      'ms',
    ],
    [
      'remote_ratio',
      'remote builder: action / bare, median of the per-pair ratios',
      median(pairs.map((p) => p.b / p.a)).toFixed(3),
      '',
    ],
  ];
}
