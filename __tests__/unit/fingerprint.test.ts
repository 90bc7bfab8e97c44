import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { blobId, contextDigest } from '../../src/fingerprint/context.js';
import {
  baseImages,
  instructions,
  splitImageRef,
  substitute,
} from '../../src/fingerprint/dockerfile.js';
import {
  computeFingerprint,
  fingerprintTag,
  isRemoteContext,
  type FingerprintInputs,
} from '../../src/fingerprint/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fp-'));
  dirs.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });
}

function commitAll(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'x');
}

describe('Dockerfile reading', () => {
  test('instructions: continuations, comments inside them, heredocs, the escape directive', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'FROM alpine AS base',
      'RUN apk add \\',
      '  # a comment inside',
      '  curl',
      'RUN <<EOF',
      'FROM not-an-instruction',
      'EOF',
      'COPY --from=busybox:1 /bin/sh /sh',
    ].join('\n');
    expect(instructions(text)).toEqual([
      { keyword: 'FROM', args: 'alpine AS base' },
      { keyword: 'RUN', args: 'apk add   curl' },
      { keyword: 'RUN', args: '<<EOF' },
      { keyword: 'COPY', args: '--from=busybox:1 /bin/sh /sh' },
    ]);
    expect(instructions('# escape=`\nFROM a `\n  AS b\n')).toEqual([
      { keyword: 'FROM', args: 'a   AS b' },
    ]);
  });

  test.each([
    ['$A', 'x'],
    ['${A}', 'x'],
    ['${B:-d}', 'd'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${A:+alt}', 'alt'],
    ['${B:+alt}', ''],
    ['${B+alt}', ''],
    ['img:${A}-${TAG:-1}', 'img:x-1'],
  ])('substitute %s', (text, expected) => {
    const vars = new Map([
      ['A', 'x'],
      ['E', ''],
    ]);
    expect(substitute(text, vars)).toBe(expected);
  });

  const options = {
    buildArgs: [] as string[],
    platforms: [] as string[],
    buildPlatform: 'linux/amd64',
    contextNames: [] as string[],
  };

  test('base images: FROM, ARG defaults and build-args, stages, scratch, COPY --from, RUN --mount', () => {
    const text = [
      'ARG BASE=registry.example.com/base',
      'ARG VERSION=1',
      'FROM ${BASE}:${VERSION} AS build',
      'ARG VERSION',
      'RUN --mount=type=cache,target=/c --mount=type=bind,from=tools:2,source=/x,target=/y true',
      'FROM scratch AS empty',
      'FROM build',
      'COPY --from=build /a /a',
      'COPY --from=0 /b /b',
      'COPY --from=ghcr.io/acme/helper@sha256:' + 'a'.repeat(64) + ' /c /c',
      'FROM --platform=$BUILDPLATFORM golang:1.22-${TARGETARCH}',
    ].join('\n');
    expect(baseImages(text, options)).toEqual([
      'registry.example.com/base:1',
      'tools:2',
      `ghcr.io/acme/helper@sha256:${'a'.repeat(64)}`,
      'golang:1.22-amd64',
    ]);
    expect(baseImages(text, { ...options, buildArgs: ['VERSION=2'] })[0]).toBe(
      'registry.example.com/base:2',
    );
    expect(
      baseImages(text, { ...options, platforms: ['linux/amd64', 'linux/arm64'] }).filter((i) =>
        i.startsWith('golang'),
      ),
    ).toEqual(['golang:1.22-amd64', 'golang:1.22-arm64']);
  });

  test('a name a build context replaces is not a registry image', () => {
    const text = 'FROM base\nCOPY --from=assets /x /x\n';
    expect(baseImages(text, { ...options, contextNames: ['base', 'assets'] })).toEqual([]);
    expect(baseImages(text, options)).toEqual(['base', 'assets']);
  });

  test.each([
    ['alpine', { name: 'alpine', tag: 'latest', digest: '' }],
    ['127.0.0.1:5000/base:1', { name: '127.0.0.1:5000/base', tag: '1', digest: '' }],
    ['localhost:5000/base', { name: 'localhost:5000/base', tag: 'latest', digest: '' }],
    ['a/b:1@sha256:00', { name: 'a/b', tag: '1', digest: 'sha256:00' }],
    ['a/b@sha256:00', { name: 'a/b', tag: '', digest: 'sha256:00' }],
  ])('splitImageRef %s', (ref, expected) => {
    expect(splitImageRef(ref)).toEqual(expected);
  });

  test.each([
    ['https://github.com/acme/app.git#main', true],
    ['git@github.com:acme/app.git', true],
    ['-', true],
    ['.', false],
    ['./app', false],
  ])('isRemoteContext %s', (context, remote) => {
    expect(isRemoteContext(context)).toBe(remote);
  });
});

describe('context digest', () => {
  test('a file blob ID is the one git gives', () => {
    const dir = tree({ 'a.txt': 'hello\n' });
    commitAll(dir);
    expect(git(dir, 'rev-parse', 'HEAD:a.txt').trim()).toBe(blobId(Buffer.from('hello\n')));
  });

  test('the same from git index as from the files; untracked, ignored and changed files hashed', async () => {
    const files = {
      Dockerfile: 'FROM scratch\n',
      'src/a.txt': 'a\n',
      'src/b.txt': 'b\n',
      '.gitignore': 'build/\n',
    };
    const plain = tree(files);
    const repo = tree(files);
    commitAll(repo);
    writeFileSync(join(repo, 'build-untracked.txt'), 'u\n');
    writeFileSync(join(plain, 'build-untracked.txt'), 'u\n');
    mkdirSync(join(repo, 'build'));
    mkdirSync(join(plain, 'build'));
    writeFileSync(join(repo, 'build/out.bin'), 'ignored by git, seen by docker\n');
    writeFileSync(join(plain, 'build/out.bin'), 'ignored by git, seen by docker\n');
    const fromGit = await contextDigest(repo, { workspace: repo });
    const fromFiles = await contextDigest(plain);
    expect(fromGit.fromGit).toBe(4);
    expect(fromFiles.fromGit).toBe(0);
    expect(fromGit.files).toBe(6);
    expect(fromGit.digest).toBe(fromFiles.digest);

    // A changed tracked file is hashed from the work tree, not taken from the index.
    writeFileSync(join(repo, 'src/a.txt'), 'changed\n');
    const changed = await contextDigest(repo, { workspace: repo });
    expect(changed.fromGit).toBe(3);
    expect(changed.digest).not.toBe(fromGit.digest);
    writeFileSync(join(plain, 'src/a.txt'), 'changed\n');
    expect((await contextDigest(plain)).digest).toBe(changed.digest);
  });

  test('a context folder of the workspace: IDs from the workspace repository; outside it, none', async () => {
    const workspace = tree({
      'app/Dockerfile': 'FROM scratch\n',
      'app/a.txt': 'a\n',
      'b.txt': 'b\n',
    });
    commitAll(workspace);
    const app = await contextDigest(join(workspace, 'app'), { workspace });
    expect(app).toMatchObject({ files: 2, fromGit: 2 });
    const copy = tree({ Dockerfile: 'FROM scratch\n', 'a.txt': 'a\n' });
    expect((await contextDigest(copy, { workspace })).fromGit).toBe(0);
    expect((await contextDigest(copy, { workspace })).digest).toBe(app.digest);
  });

  test('a repository layout committed in the context is files, never a repository: its fsmonitor never runs', async () => {
    const workspace = tree({
      'ctx/Dockerfile': 'FROM scratch\n',
      'ctx/objects/.keep': '',
      'ctx/refs/.keep': '',
    });
    const ctx = join(workspace, 'ctx');
    const ran = join(workspace, 'fsmonitor-ran');
    writeFileSync(join(ctx, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(ctx, 'monitor.sh'), `#!/bin/sh\nenv > '${ran}'\n`, { mode: 0o755 });
    writeFileSync(
      join(ctx, 'config'),
      `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = ${ctx}\n\tfsmonitor = ${join(ctx, 'monitor.sh')}\n`,
    );
    commitAll(workspace);
    const digest = await contextDigest(ctx, { workspace });
    expect(existsSync(ran)).toBe(false);
    expect(digest).toMatchObject({ files: 6, fromGit: 6 });
    // Without a workspace repository, git is not asked at all.
    const plain = await contextDigest(ctx, { workspace: ctx });
    expect(existsSync(ran)).toBe(false);
    expect(plain.digest).toBe(digest.digest);
  });

  test('.dockerignore: excluded files do not count, re-included ones do; .git never', async () => {
    const dir = tree({ 'app.js': '1', 'notes.md': 'a', 'docs/keep.md': 'k', 'docs/x.md': 'x' });
    const patterns = ['*.md', 'docs', '!docs/keep.md'];
    const before = await contextDigest(dir, { ignorePatterns: patterns });
    writeFileSync(join(dir, 'notes.md'), 'changed');
    writeFileSync(join(dir, 'docs/x.md'), 'changed');
    commitAll(dir);
    const after = await contextDigest(dir, { ignorePatterns: patterns, workspace: dir });
    expect(after.digest).toBe(before.digest);
    expect(after.files).toBe(2);
    writeFileSync(join(dir, 'docs/keep.md'), 'changed');
    expect((await contextDigest(dir, { ignorePatterns: patterns })).digest).not.toBe(before.digest);
  });

  test('mode, symbolic links and empty directories count', async () => {
    const dir = tree({ 'run.sh': 'echo' });
    const base = (await contextDigest(dir)).digest;
    chmodSync(join(dir, 'run.sh'), 0o755);
    const executable = (await contextDigest(dir)).digest;
    expect(executable).not.toBe(base);
    symlinkSync('run.sh', join(dir, 'link'));
    const linked = (await contextDigest(dir)).digest;
    expect(linked).not.toBe(executable);
    mkdirSync(join(dir, 'empty'));
    expect((await contextDigest(dir)).digest).not.toBe(linked);
  });

  test('10,000 files: time of the digest, from the files and from git (printed, not asserted)', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10_000; i++) {
      files[`src/d${i % 100}/f${i}.txt`] = `file ${i}\n`.repeat(20);
    }
    const dir = tree(files);
    let started = performance.now();
    const plain = await contextDigest(dir, { ignorePatterns: ['*.log', '**/tmp'] });
    const plainMs = performance.now() - started;
    commitAll(dir);
    started = performance.now();
    const fromGit = await contextDigest(dir, {
      ignorePatterns: ['*.log', '**/tmp'],
      workspace: dir,
    });
    const gitMs = performance.now() - started;
    expect(plain.files).toBe(10_000);
    expect(fromGit.fromGit).toBe(10_000);
    expect(fromGit.digest).toBe(plain.digest);
    process.stdout.write(
      `fingerprint of 10,000 files: ${plainMs.toFixed(0)} ms from the files, ${gitMs.toFixed(0)} ms from git's index\n`,
    );
  }, 60_000);
});

describe('computeFingerprint', () => {
  const inputs = (context: string, more: Partial<FingerprintInputs> = {}): FingerprintInputs => ({
    context,
    file: '',
    buildArgs: [],
    buildContexts: [],
    target: '',
    platforms: [],
    secrets: [],
    secretFiles: [],
    provenance: '',
    sbom: '',
    labels: [],
    annotations: [],
    ...more,
  });

  test('per-commit OCI labels do not count; other labels, build-args, secrets IDs and base digests do', async () => {
    const dir = tree({ Dockerfile: 'FROM 127.0.0.1:5000/base:1\nCOPY . /\n', 'a.txt': 'a' });
    let baseDigest = `sha256:${'1'.repeat(64)}`;
    const lookups: string[] = [];
    const options = {
      buildPlatform: 'linux/amd64',
      resolveDigest: (image: string, tag: string) => {
        lookups.push(`${image}:${tag}`);
        return Promise.resolve(baseDigest);
      },
    };
    const fp = async (more: Partial<FingerprintInputs> = {}) =>
      (await computeFingerprint(inputs(dir, more), options)).hash;

    const first = await fp({
      labels: ['org.opencontainers.image.revision=aaa', 'org.opencontainers.image.version=main'],
      annotations: ['manifest:org.opencontainers.image.created=2024'],
    });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(lookups).toEqual(['127.0.0.1:5000/base:1']);
    expect(
      await fp({
        labels: ['org.opencontainers.image.revision=bbb', 'org.opencontainers.image.version=1.4.0'],
        annotations: ['manifest:org.opencontainers.image.created=2025'],
      }),
    ).toBe(first);
    expect(await fp({ labels: ['maintainer=me'] })).not.toBe(first);
    expect(await fp({ buildArgs: ['A=1'] })).not.toBe(first);
    expect(await fp({ secrets: [{ id: 'npm', value: 'x' }] })).toBe(
      await fp({ secrets: [{ id: 'npm', value: 'y' }] }),
    );
    expect(await fp({ secrets: [{ id: 'npm', value: 'x' }] })).not.toBe(first);
    expect(await fp({ platforms: ['linux/arm64'] })).not.toBe(first);
    expect(await fp({ target: 'x' })).not.toBe(first);
    // build-push-action's inputs that change what RUN sees; unset ones change nothing.
    expect(await fp({ addHosts: [], network: '', secretEnvs: [] })).toBe(first);
    expect(await fp({ addHosts: ['db:10.0.0.1'] })).not.toBe(first);
    expect(await fp({ network: 'host' })).not.toBe(first);
    expect(await fp({ secretEnvs: [{ id: 'A', env: 'B' }] })).not.toBe(first);
    expect(await fp({ attests: ['type=sbom'] })).not.toBe(first);
    baseDigest = `sha256:${'2'.repeat(64)}`;
    expect(await fp()).not.toBe(first);
    expect(fingerprintTag(first)).toBe(`fp-${first.slice(0, 16)}`);
  });

  test('a base image that is not in its registry, or a remote context, gives no fingerprint', async () => {
    const dir = tree({ Dockerfile: 'FROM example.com/gone:1\n' });
    const options = {
      buildPlatform: 'linux/amd64',
      resolveDigest: () => Promise.resolve(undefined),
    };
    await expect(computeFingerprint(inputs(dir), options)).rejects.toThrow(
      'the base image example.com/gone:1 is not in its registry',
    );
    await expect(
      computeFingerprint(inputs('https://github.com/acme/app.git'), options),
    ).rejects.toThrow('is fetched by buildx');
  });

  test('a pinned base image is not looked up', async () => {
    const dir = tree({ Dockerfile: `FROM alpine@sha256:${'3'.repeat(64)}\n` });
    const resolveDigest = jestFn();
    await computeFingerprint(inputs(dir), { buildPlatform: 'linux/amd64', resolveDigest });
    expect(resolveDigest.calls).toBe(0);
  });
});

function jestFn(): { (): Promise<undefined>; calls: number } {
  const fn = Object.assign(
    () => {
      fn.calls++;
      return Promise.resolve(undefined);
    },
    { calls: 0 },
  );
  return fn;
}
