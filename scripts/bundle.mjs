// npm run bundle [-- -o DIR]: bundles src/index.ts with ncc into dist/ (or DIR), as
// `ncc build src/index.ts -o dist --minify --target es2023 --license licenses.txt` does,
// with one difference: undici is left out.
//
// @actions/core imports @actions/http-client (for its OIDC token client), which imports
// undici at its top level for one class, ProxyAgent, used only by getAgentDispatcher().
// Nothing this action runs calls it (its HTTP goes through Node's fetch, and through
// http-client's request methods, which use node:http and tunnel), but bundled, undici is
// 0.4 MB that every step parses and runs at start: about 30 ms and 13 MB per process
// (actions/toolkit#1621, #1697). The bundle gets a ProxyAgent that fails loudly instead.
// ncc's CLI cannot map a module to another, hence this script and its API.
import ncc from '@vercel/ncc';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const undiciStub =
  'data:text/javascript,export class ProxyAgent { constructor() { throw new Error(' +
  JSON.stringify(
    'undici is not in the build-tag-push bundle (scripts/bundle.mjs): @actions/http-client getAgentDispatcher() is not supported',
  ) +
  '); } }';

function outDir(argv) {
  let dir = join(root, 'dist');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '-o' || argv[i] === '--out') dir = resolve(argv[++i] ?? '');
    else throw new Error(`bundle: unknown argument "${argv[i]}"; expected -o DIR`);
  }
  return dir;
}

/** The .js files under `dir`: a rebuild replaces every chunk, so none of an older build stays. */
function scripts(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return scripts(path);
    return /\.(c|m)?js$/.test(name) ? [path] : [];
  });
}

const out = outDir(process.argv.slice(2));
const { code, assets } = await ncc(join(root, 'src', 'index.ts'), {
  minify: true,
  target: 'es2023',
  license: 'licenses.txt',
  quiet: true,
  externals: { undici: undiciStub },
});
if (!code.includes(undiciStub)) throw new Error('bundle: the undici stand-in is not in the bundle');

mkdirSync(out, { recursive: true });
for (const file of scripts(out)) rmSync(file);
writeFileSync(join(out, 'index.js'), code);
for (const [name, asset] of Object.entries(assets)) {
  mkdirSync(dirname(join(out, name)), { recursive: true });
  writeFileSync(join(out, name), asset.source, { mode: asset.permissions });
}
