// Promotion of a reused image to other repositories, on the real engine and registries: the
// blobs are streamed (the action's memory does not grow with the layer size), and a registry
// that declines a cross-repository mount gets a copy.
import { jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  busyboxDockerfile,
  makeContext,
  pushEvent,
  removeTempDirs,
  runAction,
  startFaultyProxy,
  startRegistry,
  type ActionRun,
  type FaultyProxy,
  type Registry,
} from './harness/index.js';

jest.setTimeout(900_000);

const repo = 'acme/app';
let A: Registry;
let B: Registry;
const proxies: FaultyProxy[] = [];

beforeAll(async () => {
  [A, B] = await Promise.all([startRegistry(), startRegistry()]);
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await Promise.all([A, B].map((r) => r?.stop()));
  await removeTempDirs();
});

/** Peak resident memory (VmRSS, kB) of the step's node process, sampled every 50 ms. */
async function withPeakMemory(
  run: (onSpawn: (step: { pid: number }) => void) => Promise<ActionRun>,
): Promise<{ main: ActionRun; peakKb: number }> {
  let peakKb = 0;
  let timer: NodeJS.Timeout | undefined;
  const main = await run(({ pid }) => {
    timer = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peakKb = Math.max(peakKb, kb);
      } catch {
        // The process has exited.
      }
    }, 50);
  });
  clearInterval(timer);
  return { main, peakKb };
}

/**
 * Builds an image with a `size`-byte random layer into A (reuse: true), then releases the same
 * source to A and B: the image is promoted to B without a build, its blobs streamed.
 */
async function promote(size: number, tag: string): Promise<{ main: ActionRun; peakKb: number }> {
  const context = await makeContext({
    Dockerfile: busyboxDockerfile('COPY big /big'),
    big: randomBytes(size),
  });
  const name = `${repo}-${tag}`;
  const inputs = { context: context.dir, reuse: 'true', 'artifact-name': '', provenance: 'false' };
  const built = await runAction({
    event: pushEvent('refs/heads/main', { sha: 'a'.repeat(40) }),
    inputs: { ...inputs, images: `${A.url}/${name}` },
  });
  expect(built.exitCode).toBe(0);
  const result = await withPeakMemory((onSpawn) =>
    runAction({
      event: pushEvent(`refs/tags/${tag}`, { sha: 'a'.repeat(40) }),
      inputs: { ...inputs, images: `${A.url}/${name}\n${B.url}/${name}` },
      onSpawn,
    }),
  );
  expect(result.main.exitCode).toBe(0);
  expect(result.main.outputs.reused).toBe('true');
  expect(await B.manifestDigest(name, tag.slice(1))).toBe(result.main.outputs.digest);
  return result;
}

test('a 200 MB layer is promoted to a second registry within 2x the memory of a 1 MB one', async () => {
  const small = await promote(1024 * 1024, 'v1.0.0');
  const big = await promote(200 * 1024 * 1024, 'v2.0.0');
  expect(big.main.stdout).toMatch(/1 copied \(2\d{8} bytes\)|copied \(2\d{8} bytes\)/);
  process.stdout.write(
    `promotion peak memory: 1 MB layer ${small.peakKb} kB, 200 MB layer ${big.peakKb} kB\n`,
  );
  expect(small.peakKb).toBeGreaterThan(0);
  expect(big.peakKb).toBeLessThan(2 * small.peakKb);
});

test('a registry that declines the mount gets the blobs copied', async () => {
  // Within one registry the blobs would be mounted; this proxy declines every mount (202, an
  // upload instead, as the distribution spec lets a registry do).
  const proxy = await startFaultyProxy(A.port, [
    {
      status: 202,
      times: Infinity,
      // The action's mounts only: the engine's own push may try mounts too.
      match: (r) =>
        r.userAgent === 'build-tag-push' && r.method === 'POST' && r.path.includes('mount='),
    },
  ]);
  proxies.push(proxy);
  const context = await makeContext({ 'declined.txt': `${Date.now()}\n` });
  const inputs = { context: context.dir, reuse: 'true', 'artifact-name': '' };
  const built = await runAction({
    event: pushEvent('refs/heads/main', { sha: 'b'.repeat(40) }),
    inputs: { ...inputs, images: `${proxy.url}/${repo}` },
  });
  expect([built.commands.filter((c) => c.command === 'error'), built.exitCode]).toEqual([[], 0]);
  const { exitCode, stdout, outputs } = await runAction({
    event: pushEvent('refs/tags/v3.0.0', { sha: 'b'.repeat(40) }),
    inputs: { ...inputs, images: `${proxy.url}/${repo}\n${proxy.url}/acme/mirror` },
  });
  expect(exitCode).toBe(0);
  expect(outputs.reused).toBe('true');
  expect(
    proxy.requests.some(
      (r) => r.method === 'POST' && r.path.includes('mount=') && r.answer === 202,
    ),
  ).toBe(true);
  expect(stdout).toMatch(
    /acme\/mirror: blobs of sha256:[0-9a-f]{64}: 0 present, 0 mounted from .*, [1-9]\d* copied/,
  );
  expect(await A.manifestDigest('acme/mirror', '3.0.0')).toBe(outputs.digest);
  // The copy is whole: its config can be read.
  expect(await A.imageConfig('acme/mirror', '3.0.0')).toBeDefined();
});
