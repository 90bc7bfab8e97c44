import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

interface ActionYml {
  runs: { main: string; post: string };
}

const root = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

// action.yml runs dist/, so a dist/ that does not match src/ ships code nobody reviewed.
test('dist/ is the bundle of src/ (run npm run bundle)', () => {
  const out = mkdtempSync(join(tmpdir(), 'btp-dist-'));
  try {
    execFileSync('npm', ['run', 'bundle', '--', '-o', out], { cwd: root, stdio: 'pipe' });
    const fresh = files(out)
      .map((f) => relative(out, f))
      .sort();
    const committed = files(join(root, 'dist'))
      .map((f) => relative(join(root, 'dist'), f))
      .sort();
    expect(committed).toEqual(fresh);
    // What action.yml runs is in the bundle: the main step and the post step's own bundle.
    const runs = (parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml).runs;
    expect([runs.main, runs.post]).toEqual(['dist/index.js', 'dist/post/index.js']);
    expect(fresh).toEqual(expect.arrayContaining(['index.js', join('post', 'index.js')]));
    for (const name of fresh) {
      expect({
        name,
        same: readFileSync(join(out, name)).equals(readFileSync(join(root, 'dist', name))),
      }).toEqual({ name, same: true });
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
