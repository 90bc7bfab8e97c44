// Dependency chains (files, targets) on the real engine: a bake file whose targets are built
// FROM each other (base -> mid -> app) is built in one bake run, tested, staged and released
// together; a failing child releases nothing; a cycle or an unknown target fails before any
// build; on the classic engine (BuildKit 0.8, no named contexts) the error says what to use.
import { jest } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertNoSecrets,
  containerdStore,
  pushEvent,
  removeTempDirs,
  runAction,
  runPost,
  startRegistry,
  type ActionRun,
  type Registry,
  type RunOptions,
} from './harness/index.js';
import { chainWorkspace } from './harness/chain.js';

jest.setTimeout(240_000);

const A = { user: 'alice', password: 'e2e-chain-A-pw-Zq4w' };
let registry: Registry;
let workspace: string;
const runs: ActionRun[] = [];

beforeAll(async () => {
  registry = await startRegistry(A);
  workspace = await chainWorkspace(registry.url, 'chain');
});

afterAll(async () => {
  assertNoSecrets(runs, { password: A.password });
  await registry?.stop();
  await removeTempDirs();
});

async function step(options: RunOptions): Promise<ActionRun> {
  const main = await runAction({
    workspace,
    ...options,
    inputs: {
      'artifact-name': '',
      targets: 'default',
      registry: registry.url,
      username: A.user,
      password: A.password,
      test: 'test -f /base.txt',
      ...options.inputs,
    },
  });
  const post = await runPost(main);
  runs.push(main, post);
  return main;
}

function errors(run: ActionRun): string[] {
  return run.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

async function layers(name: string, digest: string): Promise<string[]> {
  let manifest = await registry.manifest(name, digest);
  const index = manifest?.body.manifests as
    { digest: string; platform?: { os: string } }[] | undefined;
  if (index) {
    const image = index.find((m) => m.platform?.os !== 'unknown');
    manifest = await registry.manifest(name, image!.digest);
  }
  return ((manifest?.body.layers ?? []) as { digest: string }[]).map((l) => l.digest);
}

const tagsOf = ['1.0.0', '1.0', '1', 'latest', 'sha-1111111'];

(containerdStore() ? describe : describe.skip)('on the containerd image store', () => {
  let released: Record<string, { digest: string; refs: string[] }> = {};

  test('a three-level chain is released under every tag, each child built FROM its parent of the same run', async () => {
    const main = await step({ event: pushEvent('refs/tags/v1.0.0', { sha: '1'.repeat(40) }) });
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    released = JSON.parse(main.outputs.targets) as typeof released;
    expect(Object.keys(released).sort()).toEqual(['app', 'base', 'mid']);
    for (const name of ['base', 'mid', 'app']) {
      const { digest } = released[name];
      expect(digest).toMatch(/^sha256:/);
      for (const tag of tagsOf) {
        expect(await registry.manifestDigest(`chain/${name}`, tag)).toBe(digest);
      }
      expect(released[name].refs).toEqual([`${registry.url}/chain/${name}@${digest}`]);
    }
    const [base, mid, app] = await Promise.all(
      ['base', 'mid', 'app'].map((n) => layers(`chain/${n}`, released[n].digest)),
    );
    expect(mid.slice(0, base.length)).toEqual(base);
    expect(app.slice(0, mid.length)).toEqual(mid);
    expect(mid.length).toBe(base.length + 1);
    expect(app.length).toBe(mid.length + 1);
    expect(main.outputs.refs.split('\n')).toHaveLength(3);
    expect(main.summary).toContain('| `app` | `mid` | rebuilt | passed |');
  });

  test('a failing child releases nothing: no tag of any target moves', async () => {
    await writeFile(join(workspace, 'mid', 'mid.txt'), 'mid 2\n');
    await writeFile(
      join(workspace, 'app', 'Dockerfile'),
      'FROM mid\nCOPY app.txt /app.txt\nRUN rm /base.txt\n',
    );
    const main = await step({ event: pushEvent('refs/tags/v1.1.0', { sha: '2'.repeat(40) }) });
    expect(main.exitCode).not.toBe(0);
    expect(errors(main).join('\n')).toMatch(/test/);
    for (const name of ['base', 'mid', 'app']) {
      expect(await registry.manifestDigest(`chain/${name}`, 'latest')).toBe(released[name].digest);
      expect(await registry.manifestDigest(`chain/${name}`, '1.1.0')).toBeUndefined();
    }
    await writeFile(join(workspace, 'app', 'Dockerfile'), 'FROM mid\nCOPY app.txt /app.txt\n');
  });

  let first: Record<string, { digest: string; reused: boolean }> = {};

  test('reuse: the first run builds every target and tags each with its fingerprint', async () => {
    const main = await step({
      event: pushEvent('refs/tags/v2.0.0', { sha: '3'.repeat(40) }),
      inputs: { reuse: true },
    });
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    first = JSON.parse(main.outputs.targets) as typeof first;
    for (const name of ['base', 'mid', 'app']) {
      expect(first[name].reused).toBe(false);
      const fp = (await registry.tags(`chain/${name}`)).filter((t) => t.startsWith('fp-'));
      expect(fp.length).toBeGreaterThan(0);
    }
  });

  test('reuse: a change in the middle image rebuilds it and its child, and promotes the base unchanged', async () => {
    await writeFile(join(workspace, 'mid', 'mid.txt'), 'mid 3\n');
    const main = await step({
      event: pushEvent('refs/tags/v2.1.0', { sha: '4'.repeat(40) }),
      inputs: { reuse: true },
    });
    expect(errors(main)).toEqual([]);
    expect(main.exitCode).toBe(0);
    const second = JSON.parse(main.outputs.targets) as typeof first;
    expect(second.base).toMatchObject({ reused: true, digest: first.base.digest });
    expect(second.mid.reused).toBe(false);
    expect(second.app.reused).toBe(false);
    expect(second.mid.digest).not.toBe(first.mid.digest);
    expect(second.app.digest).not.toBe(first.app.digest);
    for (const name of ['base', 'mid', 'app']) {
      expect(await registry.manifestDigest(`chain/${name}`, '2.1.0')).toBe(second[name].digest);
    }
    // The rebuilt child is FROM the rebuilt middle image, which is FROM the released base.
    const [base, mid, app] = await Promise.all(
      ['base', 'mid', 'app'].map((n) => layers(`chain/${n}`, second[n].digest)),
    );
    expect(mid.slice(0, base.length)).toEqual(base);
    expect(app.slice(0, mid.length)).toEqual(mid);
    expect(main.stdout).toMatch(/docker-image:\/\/\S+\/chain\/base@sha256:/);
    expect(main.summary).toContain('| `base` | - | reused |');

    const again = await step({
      event: pushEvent('refs/tags/v2.2.0', { sha: '5'.repeat(40) }),
      inputs: { reuse: true },
    });
    expect(again.exitCode).toBe(0);
    const third = JSON.parse(again.outputs.targets) as typeof first;
    for (const name of ['base', 'mid', 'app']) {
      expect(third[name]).toMatchObject({ reused: true, digest: second[name].digest });
    }
    expect(again.stdout).not.toMatch(/buildx bake .*--metadata-file/);
    process.stdout.write(
      `chain: rebuilt mid and app ${main.durationMs} ms; nothing changed, all reused ${again.durationMs} ms\n`,
    );
  });
});

(containerdStore() ? describe.skip : describe)('on the classic image store', () => {
  test('a chain of target: contexts fails before any build, naming what to use', async () => {
    const before = await registry.tags('chain/base');
    const main = await step({ event: pushEvent('refs/tags/v1.0.0', { sha: '1'.repeat(40) }) });
    expect(main.exitCode).not.toBe(0);
    expect(errors(main).join('\n')).toMatch(
      /targets: the builder's BuildKit v0\.8\S* cannot read named contexts.*containerd image store/,
    );
    expect(main.stdout).not.toMatch(
      /\[command\]\S*docker buildx bake --file|buildx bake --metadata-file/,
    );
    expect(await registry.tags('chain/base')).toEqual(before);
  });
});

test('a cycle fails before any build, naming targets', async () => {
  await writeFile(
    join(workspace, 'cycle.hcl'),
    'target "a" {\n  contexts = { b = "target:b" }\n  tags = ["x/a"]\n}\ntarget "b" {\n  contexts = { a = "target:a" }\n  tags = ["x/b"]\n}\n',
  );
  const main = await step({ inputs: { files: 'cycle.hcl', targets: 'a' } });
  expect(main.exitCode).not.toBe(0);
  expect(errors(main).join('\n')).toMatch(/^targets: .*cycle/);
  expect(main.stdout).not.toMatch(/buildx bake --file cycle\.hcl --metadata-file/);
});

test('an unknown target and a missing file fail before any build, naming the input', async () => {
  const unknown = await step({ inputs: { targets: 'nope' } });
  expect(unknown.exitCode).not.toBe(0);
  expect(errors(unknown).join('\n')).toMatch(/^targets: .*nope/);
  const missing = await step({ inputs: { files: 'missing.hcl' } });
  expect(missing.exitCode).not.toBe(0);
  expect(errors(missing).join('\n')).toMatch(/^files: .*missing\.hcl/);
});
