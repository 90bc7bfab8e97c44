// npm run bundle [-- -o DIR]: bundles the action with ncc into dist/ (or DIR), as
// `ncc build ENTRY --minify --target es2023 --license licenses.txt` does, in two bundles:
//   dist/index.js        src/index.ts, the main step (action.yml runs.main)
//   dist/post/index.js   src/post-entry.ts, the post step (runs.post): the cleanup alone
//   dist/credential-helper/index.js  src/credential-helper.ts, docker-credential-build-tag-push
// with the chunks minified too, and modules left out that nothing the action runs calls (ncc's
// CLI cannot map a module to another, hence this script and its API):
// - undici, in the main bundle: @actions/http-client imports it at its top level for
//   ProxyAgent (getAgentDispatcher()), and @actions/github (in @actions/artifact and
//   @actions/attest) for its proxy-aware fetch, which only the artifact client's download and
//   listing calls and attest's attestation write use: its stand-in's fetch is Node's own.
//   Nothing here calls either (the registry client and the artifact upload go through
//   node:http), but bundled, undici is 0.4 MB that the main step parses and runs at its start,
//   dry runs included: about 30 ms and 13 MB (actions/toolkit#1621, #1697).
// - apache-arrow, in the main bundle: @azure/storage-blob (in @actions/artifact) imports it,
//   lazily, to read blob listings in the Arrow format; the upload lists nothing. 0.23 MB.
// - encoding, in the main bundle: minipass-fetch (in @actions/attest's Sigstore client) loads it,
//   if present, for Response.textConverted(), which nothing calls; with it come iconv-lite's
//   code tables, 0.28 MB. Its stand-in exports nothing: minipass-fetch's "not installed" case.
// dist/undici.cjs, dist/apache-arrow.cjs and dist/encoding.cjs stand in for them, for import
// and require() alike.
// - @actions/http-client, in the main bundle, is a bundle of its own (dist/http-client/index.js)
//   that dist/http-client.mjs loads at the first use of one of its exports: @actions/core
//   imports it at its top level for getIDToken(), and with it come node:http, node:https, TLS
//   and tunnel, which a dry run never uses: about 7 ms of CPU and 3 MB at every start. Every
//   user in the bundle gets this one copy (4.x), @actions/github too, whose own 3.0.2 has the
//   same getAgent() and getAgentDispatcher(), the two calls it makes.
// The chunks are minified without comments (the licences are in licenses.txt), and licenses.txt
// names together the packages whose licence texts are the same, with the text once.
// - @actions/http-client itself, in the post bundle: there it is only @actions/core's OIDC
//   client, which the cleanup never uses; left out (undici with it), the post step loads no
//   HTTP or TLS module.
// What is left out is replaced by a module whose classes fail loudly if ever used.
import ncc from '@vercel/ncc';
import { minify } from 'terser';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A module (as a data: URL, so the bundle needs no file beside it) whose classes throw. */
function absent(what, classes) {
  const message = JSON.stringify(
    `${what} is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used`,
  );
  const body = classes.map(
    (name) => `export class ${name} { constructor() { throw new Error(${message}); } }`,
  );
  return `data:text/javascript,${body.join(' ')}`;
}

const httpClient = absent('@actions/http-client', ['HttpClient', 'HttpClientError']);
const httpAuth = absent('@actions/http-client', [
  'BasicCredentialHandler',
  'BearerCredentialHandler',
  'PersonalAccessTokenCredentialHandler',
]);

/**
 * A stand-in beside the main bundle's chunks: a CommonJS file, so that require() finds it as
 * import does, whose classes and functions fail loudly.
 */
function absentFile(module, classes, functions, inert = []) {
  const message = JSON.stringify(
    `${module} is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used`,
  );
  return [
    "'use strict';",
    `// ${module} is left out of the build-tag-push bundle: see scripts/bundle.mjs.`,
    `const absent = ${message};`,
    ...classes.map(
      (name) => `exports.${name} = class ${name} { constructor() { throw new Error(absent); } };`,
    ),
    ...functions.map((name) => `exports.${name} = () => Promise.reject(new Error(absent));`),
    // Constructed at module load by code the action loads but never calls (a proxy dispatcher
    // that only `fetch` above would use): built without complaint, failing if ever used.
    ...inert.map(
      (name) =>
        `exports.${name} = class ${name} { dispatch() { throw new Error(absent); } close() { return Promise.resolve(); } destroy() { return Promise.resolve(); } };`,
    ),
    '',
  ].join('\n');
}

/**
 * A stand-in, CommonJS, for a module whose every member fails loudly when used (read at call
 * time, never at load): `callable` when the module itself is a function.
 */
function absentProxy(module, callable = false) {
  const message = JSON.stringify(
    `${module} is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used`,
  );
  return [
    "'use strict';",
    `// ${module} is left out of the build-tag-push bundle: see scripts/bundle.mjs.`,
    `const absent = () => { throw new Error(${message}); };`,
    // Module interop asks for __esModule and default, and a promise check for then: not uses.
    "const quiet = new Set(['__esModule', 'default', 'then']);",
    `module.exports = new Proxy(${callable ? 'function () { absent(); }' : '{}'}, {`,
    "  get: (target, key) => (typeof key === 'symbol' || quiet.has(key) ? undefined : absent()),",
    '});',
    '',
  ].join('\n');
}

/**
 * undici's stand-in: `fetch` is Node's own (undici inside Node), which @actions/github's octokit
 * calls for the GitHub API requests of `attest: true` (@actions/attest writes the attestation);
 * through a proxy (HTTPS_PROXY: @actions/http-client made the inert ProxyAgent) it fails with a
 * clear error instead of going around the proxy.
 */
function undiciFile() {
  const absent = JSON.stringify(
    'undici is not in the build-tag-push bundle (scripts/bundle.mjs): a GitHub API request through an HTTP(S) proxy (HTTPS_PROXY) cannot be made; attest needs a direct connection to the GitHub API',
  );
  return [
    "'use strict';",
    '// undici is left out of the build-tag-push bundle: see scripts/bundle.mjs.',
    `const absent = ${absent};`,
    'class ProxyAgent { dispatch() { throw new Error(absent); } close() { return Promise.resolve(); } destroy() { return Promise.resolve(); } }',
    'exports.ProxyAgent = ProxyAgent;',
    'exports.fetch = (url, options = {}) => options.dispatcher instanceof ProxyAgent ? Promise.reject(new Error(absent)) : globalThis.fetch(url, options);',
    '',
  ].join('\n');
}

/**
 * @actions/http-client's stand-in, an ES module: the real one (`path`, a bundle beside it) is
 * loaded when a client is first constructed or a function first called. Its enums are data,
 * copied. An ES module, since an import of CommonJS reads every export at once.
 */
async function lazyHttpClient(path) {
  const real = await import('@actions/http-client');
  const classes = ['HttpClient', 'HttpClientError', 'HttpClientResponse'];
  const functions = ['getProxyUrl', 'isHttps'];
  const data = ['Headers', 'HttpCodes', 'MediaTypes'];
  const all = [...classes, ...functions, ...data];
  const missing = Object.keys(real).filter((name) => !all.includes(name));
  if (missing.length > 0)
    throw new Error(
      `bundle: @actions/http-client exports ${missing.join(', ')}: add to its stand-in`,
    );
  return [
    '// @actions/http-client, loaded at its first use: see scripts/bundle.mjs.',
    "import { createRequire } from 'node:module';",
    'let loaded;',
    `const load = () => (loaded ??= createRequire(import.meta.url)(${JSON.stringify(path)}));`,
    ...classes.map(
      (name) =>
        `export class ${name} { constructor(...args) { return new (load().${name})(...args); } static [Symbol.hasInstance](value) { return value instanceof load().${name}; } }`,
    ),
    ...functions.map((name) => `export const ${name} = (...args) => load().${name}(...args);`),
    ...data.map((name) => `export const ${name} = ${JSON.stringify(real[name])};`),
    '',
  ].join('\n');
}

const files = {
  // encoding is an optional dependency of minipass-fetch (in @actions/attest's Sigstore client)
  // for Response.textConverted(), which nothing calls; it brings iconv-lite's code tables, about
  // 0.3 MB. Its stand-in exports no `convert`, which minipass-fetch treats as not installed.
  'encoding.cjs': [
    "'use strict';",
    '// encoding (with iconv-lite) is left out of the build-tag-push bundle: see scripts/bundle.mjs.',
    '',
  ].join('\n'),
  // @actions/github (in @actions/artifact) builds a ProxyAgent when its module loads if
  // HTTPS_PROXY is set, for api.github.com calls the upload never makes.
  'undici.cjs': undiciFile(),
  'apache-arrow.cjs': absentFile('apache-arrow', [], ['tableFromIPC']),
  'http-client.mjs': await lazyHttpClient('./http-client/index.js'),
  // cacache is make-fetch-happen's HTTP cache (in @actions/attest's Sigstore client), used only
  // with a cachePath, which Sigstore never gives; with it come its glob and tar helpers.
  'cacache.cjs': absentProxy('cacache'),
  // A SOCKS proxy for the Sigstore client (@npmcli/agent): the action's own requests take
  // HTTP(S) proxies only; with it come socks, ip-address and smart-buffer, about 0.1 MB.
  // A socks:// proxy is still recognised (its protocols), and fails naming this file.
  'socks-proxy-agent.cjs': [
    absentFile('socks-proxy-agent', ['SocksProxyAgent'], []),
    "exports.SocksProxyAgent.protocols = ['socks', 'socks4', 'socks4a', 'socks5', 'socks5h'];",
    '',
  ].join('\n'),
  // archiver's glob() and directory() (in @actions/artifact), and archiver-utils' file.expand():
  // the upload adds each file by name (zip.file, zip.append), so no directory is walked.
  'readdir-glob.cjs': absentProxy('readdir-glob', true),
  'glob.cjs': absentProxy('glob'),
  // archiver's tar format (in @actions/artifact, which zips); with it comes streamx.
  'tar-stream.cjs': absentProxy('tar-stream'),
  // octokit.rest.* of @actions/github: the GitHub API calls made here (@actions/attest's
  // attestation write) go through octokit.request. A plugin that adds a `rest` that fails.
  'rest-endpoint-methods.cjs': [
    "'use strict';",
    '// @octokit/plugin-rest-endpoint-methods is left out of the build-tag-push bundle: see scripts/bundle.mjs.',
    `const absent = () => { throw new Error(${JSON.stringify('octokit.rest is not in the build-tag-push bundle (scripts/bundle.mjs): use octokit.request')}); };`,
    "const rest = new Proxy({}, { get: (target, key) => (typeof key === 'symbol' || key === 'then' ? undefined : absent()) });",
    'exports.restEndpointMethods = () => ({ rest });',
    'exports.legacyRestEndpointMethods = () => ({ rest });',
    '',
  ].join('\n'),
};

const bundles = [
  {
    entry: 'src/index.ts',
    dir: '.',
    externals: {
      undici: './undici.cjs',
      'apache-arrow': './apache-arrow.cjs',
      encoding: './encoding.cjs',
      '@actions/http-client': './http-client.mjs',
      cacache: './cacache.cjs',
      'socks-proxy-agent': './socks-proxy-agent.cjs',
      'readdir-glob': './readdir-glob.cjs',
      glob: './glob.cjs',
      'tar-stream': './tar-stream.cjs',
      '@octokit/plugin-rest-endpoint-methods': './rest-endpoint-methods.cjs',
    },
  },
  {
    entry: 'node_modules/@actions/http-client/lib/index.js',
    dir: 'http-client',
    externals: { undici: '../undici.cjs' },
  },
  // The action's docker credential helper (src/credential-helper.ts): node's own modules only.
  { entry: 'src/credential-helper.ts', dir: 'credential-helper', externals: {} },
  {
    entry: 'src/post-entry.ts',
    dir: 'post',
    externals: {
      '@actions/http-client': httpClient,
      '@actions/http-client/lib/auth': httpAuth,
    },
  },
];

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

/**
 * ncc's licenses.txt (`name`, licence type, licence text, for each bundled package; entries
 * apart by a blank line) with each licence text written once: packages whose texts are the
 * same but for white space are named together above it. Every package stays listed.
 */
function shareLicenses(text) {
  const lines = text.split('\n');
  const starts = lines.flatMap((line, i) =>
    (i === 0 || lines[i - 1] === '') &&
    /^(@[\w.-]+\/)?[\w.-]+$/.test(line) &&
    existsSync(join(root, 'node_modules', line, 'package.json')) &&
    /^[\w.+()/ -]*$/.test(lines[i + 1] ?? '')
      ? [i]
      : [],
  );
  const entries = starts.map((start, k) => {
    // The blank line before the next entry stays with this one's text.
    const end = k + 1 < starts.length ? starts[k + 1] : lines.length;
    return { name: lines[start], type: lines[start + 1], body: lines.slice(start + 2, end) };
  });
  const again = entries.map((e) => [e.name, e.type, ...e.body].join('\n')).join('\n');
  if (starts[0] !== 0 || again !== text)
    throw new Error('bundle: licenses.txt is not in the form expected (name, type, text)');
  const groups = new Map();
  for (const entry of entries) {
    const key = `${entry.type}\n${entry.body.join(' ').replace(/\s+/g, ' ').trim()}`;
    const group = groups.get(key) ?? groups.set(key, { ...entry, names: [] }).get(key);
    group.names.push(entry.name);
  }
  return [...groups.values()]
    .map((g) => [g.names.join(', '), g.type, ...g.body].join('\n'))
    .join('\n');
}

const out = outDir(process.argv.slice(2));
const built = [];
for (const { entry, dir, externals } of bundles) {
  const { code, assets } = await ncc(join(root, entry), {
    minify: true,
    target: 'es2023',
    license: 'licenses.txt',
    quiet: true,
    externals,
  });
  // The entry or one of its chunks (a dynamic import) refers to each stand-in.
  const sources = [code, ...Object.values(assets).map((asset) => String(asset.source))];
  for (const stub of Object.values(externals)) {
    if (!sources.some((source) => source.includes(stub))) {
      throw new Error(`bundle: ${entry}: a stand-in is not in the bundle`);
    }
  }
  built.push({ dir: join(out, dir), code, assets });
}

mkdirSync(out, { recursive: true });
for (const file of scripts(out)) rmSync(file);
for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
for (const { dir, code, assets } of built) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), code);
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    // ncc minifies the entry file only; the chunks it splits off for dynamic imports (the
    // artifact client, the docker modules) come out as written.
    const source =
      name === 'licenses.txt'
        ? shareLicenses(String(asset.source))
        : name.endsWith('.js')
          ? (
              await minify(String(asset.source), {
                module: true,
                compress: true,
                mangle: true,
                // The licence comments are in licenses.txt already.
                format: { comments: false },
              })
            ).code
          : asset.source;
    writeFileSync(join(dir, name), source, { mode: asset.permissions });
  }
}
