// The post step as the runner starts it (node dist/post/index.js with the main step's state in
// STATE_* variables): with nothing left it ends at once, silent; after a main step that was
// stopped it removes the action's Docker config and temp dir.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const entry = join(process.cwd(), 'dist', 'post', 'index.js');
let root = '';

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'btp-post-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function post(state: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, RUNNER_TEMP: root };
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  return run(process.execPath, [entry], { env });
}

test('the main step cleaned up: the post step ends at once and says nothing', async () => {
  const gone = join(root, 'gone');
  const { stdout, stderr } = await post({ dockerConfig: gone, tempDir: `${gone}-temp` });
  expect([stdout, stderr]).toEqual(['', '']);
});

test('a main step that was stopped: its Docker config (with the login) and temp dir are removed', async () => {
  const dockerConfig = join(root, 'build-tag-push-docker-x');
  const tempDir = join(root, 'build-tag-push-y');
  mkdirSync(dockerConfig);
  mkdirSync(tempDir);
  writeFileSync(
    join(dockerConfig, 'config.json'),
    JSON.stringify({ auths: { 'registry.test': { auth: 'dTpw' } } }),
  );
  writeFileSync(join(tempDir, 'metadata-1.json'), '{}');
  const { stdout } = await post({
    dockerConfig,
    tempDir,
    registries: JSON.stringify(['registry.test']),
  });
  expect(stdout).toContain(`removed the action's Docker config ${dockerConfig}`);
  expect([existsSync(dockerConfig), existsSync(tempDir)]).toEqual([false, false]);
});
