// The build's docker process (src/docker/streamed.ts): a real process, a `docker` script of the
// test's own on PATH, which prints on both streams and exits with a code of its choosing.
import { jest } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { streamed } from '../../src/docker/streamed.js';

let dir = '';
let written: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'btp-streamed-'));
  written = [];
  const keep = (chunk: unknown): boolean => {
    written.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(keep);
  jest.spyOn(process.stderr, 'write').mockImplementation(keep);
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function fakeDocker(script: string): NodeJS.ProcessEnv {
  const docker = join(dir, 'docker');
  writeFileSync(docker, `#!/bin/sh\n${script}\n`);
  chmodSync(docker, 0o755);
  return { PATH: `${dir}:/usr/bin:/bin` };
}

test('each line of both streams reaches the caller and the log; the exit code is returned', async () => {
  const env = fakeDocker(
    'echo "args: $*"; printf "#1 building\\r\\n#2 done\\n" >&2; printf "no line break"; exit 3',
  );
  const lines: string[] = [];
  const code = await streamed(['buildx', 'build', '--push', '.'], {
    env,
    onLine: (line) => lines.push(line),
  });
  expect(code).toBe(3);
  expect(lines.sort()).toEqual(
    ['args: buildx build --push .', '#1 building', '#2 done', 'no line break'].sort(),
  );
  expect(written[0]).toBe('[command]docker buildx build --push .\n');
  expect(written.join('')).toContain('#1 building');
});

test('the working directory and the environment are the ones given', async () => {
  const env = { ...fakeDocker('pwd; echo "config=$DOCKER_CONFIG"'), DOCKER_CONFIG: '/cfg' };
  const lines: string[] = [];
  const code = await streamed(['version'], { env, cwd: dir, onLine: (l) => lines.push(l) });
  expect([code, lines]).toEqual([0, [dir, 'config=/cfg']]);
});

test('no docker on PATH: an error that says what is missing', async () => {
  await expect(
    streamed(['buildx', 'build'], { env: { PATH: dir }, onLine: () => undefined }),
  ).rejects.toThrow('docker was not found on PATH: the action needs the Docker CLI with buildx');
});
