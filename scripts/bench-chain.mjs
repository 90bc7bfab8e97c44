// The chain figures of `npm run bench` (docs/chains.md): a three-level bake chain (base, mid,
// app, each FROM the one before) released by the action, once with everything rebuilt (from the
// build cache, pushed and released) and once where nothing changed (reuse: true, every target
// promoted and tested again). Named contexts need BuildKit 0.10 or later: the containerd-store
// engine, not the classic one.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DOCKERFILES = {
  base: 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox","--install","-s","/bin"]\nCOPY base.txt /base.txt\n',
  mid: 'FROM base\nCOPY mid.txt /mid.txt\n',
  app: 'FROM mid\nCOPY app.txt /app.txt\n',
};

/** Writes the chain's bake file and contexts under `dir` (contexts relative to its parent); returns the bake file's path. */
function writeChain(dir, registry) {
  for (const [name, dockerfile] of Object.entries(DOCKERFILES)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'Dockerfile'), dockerfile);
    writeFileSync(join(dir, name, `${name}.txt`), `${name}\n`);
  }
  cpSync('/bin/busybox', join(dir, 'base', 'busybox'));
  const parent = { mid: 'base', app: 'mid' };
  const targets = Object.keys(DOCKERFILES).map(
    (name) =>
      `target "${name}" {\n  context = "chain/${name}"\n${
        parent[name] ? `  contexts = { ${parent[name]} = "target:${parent[name]}" }\n` : ''
      }  tags = ["${registry}/bench/chain-${name}"]\n}\n`,
  );
  const file = join(dir, 'docker-bake.hcl');
  writeFileSync(
    file,
    `group "default" {\n  targets = ["base", "mid", "app"]\n}\n${targets.join('')}`,
  );
  return file;
}

/**
 * Median times of a chain release rebuilt (reuse: false) and of one where nothing changed
 * (reuse: true, all promoted), `runs` of each after a warm-up; `{}` when `skip` says why not.
 */
export async function measureChain({ job, registry, runs, check, need, median, log }) {
  // In the job's workspace, the step's working directory: bake reads its contexts from there.
  const file = writeChain(join(job.dirs.workspace, 'chain'), registry);
  const env = {
    INPUT_FILES: file,
    INPUT_TARGETS: 'default',
    INPUT_IMAGES: '',
    INPUT_TEST: 'test -f /base.txt',
  };
  const release = async (reuse) => {
    const main = await check(
      await job.step('main', { ...env, INPUT_REUSE: String(reuse) }),
      `the chain (reuse: ${reuse})`,
    );
    const post = await check(await job.step('post', job.stateEnv(main.state)), 'the chain (post)');
    const targets = JSON.parse(main.outputs.targets || '{}');
    return { ms: main.ms + post.ms, reused: Object.values(targets).map((t) => t.reused) };
  };
  log('chain: warm-up (fills the build cache, tags each target with its fingerprint)');
  await release(true);
  const rebuilt = [];
  const reused = [];
  for (let i = 0; i < runs; i++) {
    const full = await release(false);
    need(
      full.reused.every((r) => !r),
      'the chain with reuse: false reused a target',
    );
    rebuilt.push(full.ms);
    const none = await release(true);
    need(none.reused.length === 3 && none.reused.every(Boolean), 'the unchanged chain was rebuilt');
    reused.push(none.ms);
  }
  return [
    [
      'chain_rebuild_ms',
      'chain of 3 targets, rebuilt and released, median',
      median(rebuilt).toFixed(0),
      'ms',
    ],
    [
      'chain_reused_ms',
      'chain of 3 targets, nothing changed (all reused), median',
      median(reused).toFixed(0),
      'ms',
    ],
  ];
}
