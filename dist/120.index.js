export const id = 120;
export const ids = [120];
export const modules = {

/***/ 55121:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OA: () => (/* binding */ dropCredHelper),
/* harmony export */   Zn: () => (/* binding */ credentialsFromConfig),
/* harmony export */   gT: () => (/* binding */ dockerEnv),
/* harmony export */   lp: () => (/* binding */ createDockerConfig)
/* harmony export */ });
/* unused harmony exports userDockerConfigDir, authKey, isDockerHub */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96310);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);




/**
 * Directories of the user's Docker config that the action's own one links to: buildx's
 * builders (the `builder` input names one created by docker/setup-buildx-action) and docker
 * contexts (a builder may run on a non-default context).
 */
const LINKED = ['buildx', 'contexts'];
/** The user's Docker config directory, as docker itself finds it. */
function userDockerConfigDir(env = process.env) {
    return env.DOCKER_CONFIG || (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_2__.homedir)(), '.docker');
}
/**
 * Creates the action's own Docker config directory (mode 0700) and returns its path.
 * It links the user's CLI plugins, buildx builders and contexts, and starts from a copy of
 * the user's existing logins (read only) so that a docker/login-action step before this one
 * still counts; the user's config.json itself is never written.
 */
function createDockerConfig(options = {}) {
    const root = options.tempRoot || process.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_2__.tmpdir)();
    const userDir = options.userConfigDir ?? userDockerConfigDir();
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(root, 'build-tag-push-docker-'));
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.chmodSync)(dir, 0o700);
    for (const name of LINKED) {
        const target = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(userDir, name);
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)(target))
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.symlinkSync)(target, (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, name));
    }
    // CLI plugins (buildx itself may be one) are linked one by one into a directory of our own:
    // installing a buildx release replaces the entry in ours, never a file of the user's.
    const plugins = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(userDir, 'cli-plugins');
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'cli-plugins'), { mode: 0o700 });
    for (const entry of listDir(plugins))
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.symlinkSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(plugins, entry), (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'cli-plugins', entry));
    const user = readUserConfig((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(userDir, 'config.json'));
    const config = { auths: isRecord(user.auths) ? user.auths : {} };
    if (isRecord(user.credHelpers))
        config.credHelpers = user.credHelpers;
    if (user.proxies !== undefined)
        config.proxies = user.proxies;
    if (typeof user.currentContext === 'string')
        config.currentContext = user.currentContext;
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`docker config: ${dir} (from ${userDir}; linked ${LINKED.filter((n) => (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dir, n))).join(', ') || 'nothing'})`);
    return dir;
}
/**
 * The environment of every docker/buildx process the action starts: the action's own
 * DOCKER_CONFIG, and without the INPUT_* variables (the password, token and secrets inputs),
 * which docker never needs and `--build-arg NAME` could otherwise read. The rest stays:
 * buildx's `type=gha` cache reads ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL from it.
 */
function dockerEnv(dockerConfig) {
    const env = {};
    for (const [key, value] of Object.entries(process.env)) {
        if (value !== undefined && !key.startsWith('INPUT_'))
            env[key] = value;
    }
    env.DOCKER_CONFIG = dockerConfig;
    return env;
}
/** Removes a registry's credential helper from the action's config so `docker login` writes to its file. */
function dropCredHelper(dockerConfig, registry) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dockerConfig, 'config.json');
    const config = readUserConfig(path);
    if (!isRecord(config.credHelpers) || !(registry in config.credHelpers))
        return;
    delete config.credHelpers[registry];
    (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}
/** The key docker uses in config.json `auths` for a registry host. */
function authKey(registry) {
    return isDockerHub(registry) ? 'https://index.docker.io/v1/' : registry;
}
function isDockerHub(registry) {
    return [
        'docker.io',
        'index.docker.io',
        'registry-1.docker.io',
        'https://index.docker.io/v1/',
    ].includes(registry);
}
/**
 * Reads the logins stored in a Docker config directory (the action's own one), for the
 * registry client: a lookup from registry host to credentials.
 */
function credentialsFromConfig(dockerConfig) {
    return (registry) => {
        // Read at each lookup: logins made after the lookup was created count too.
        const auths = readUserConfig((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dockerConfig, 'config.json')).auths;
        if (!isRecord(auths))
            return undefined;
        const entry = auths[authKey(registry)] ?? auths[`https://${registry}`];
        if (!isRecord(entry))
            return undefined;
        let username = typeof entry.username === 'string' ? entry.username : '';
        let password = typeof entry.password === 'string' ? entry.password : '';
        if (typeof entry.auth === 'string' && entry.auth !== '') {
            const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
            const colon = decoded.indexOf(':');
            if (colon > 0) {
                username = decoded.slice(0, colon);
                password = decoded.slice(colon + 1);
            }
        }
        return username && password ? { username, password } : undefined;
    };
}
function listDir(path) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readdirSync)(path);
    }
    catch {
        return [];
    }
}
function readUserConfig(path) {
    let text;
    try {
        text = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(path, 'utf8');
    }
    catch {
        return {};
    }
    try {
        const parsed = JSON.parse(text);
        return isRecord(parsed) ? parsed : {};
    }
    catch {
        // docker itself refuses a broken config.json; ours starts clean instead of failing the step.
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${path} is not valid JSON; the action's docker logins start from none`);
        return {};
    }
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/***/ }),

/***/ 94330:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XN: () => (/* binding */ resolveLogins),
/* harmony export */   iD: () => (/* binding */ login),
/* harmony export */   ri: () => (/* binding */ logout)
/* harmony export */ });
/* unused harmony export normalizeRegistry */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96310);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(15796);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(55121);




/**
 * The registry logins asked for by the inputs. On ghcr.io the username and password default
 * to the workflow actor and `github-token`. A username or password without `registry` logs in
 * to Docker Hub, as docker/login-action does. Pure.
 */
function resolveLogins(inputs, actor) {
    let registry = normalizeRegistry(inputs.registry);
    if (!registry) {
        if (!inputs.username && !inputs.password)
            return [];
        registry = 'docker.io';
    }
    let { username, password } = inputs;
    if (registry === 'ghcr.io') {
        username ||= actor;
        password ||= inputs.githubToken;
    }
    if (!username) {
        throw new Error(`username: empty for registry ${registry}; set username (and password) for it${registry === 'ghcr.io' ? ', or run in a workflow where github.actor is set' : ''}`);
    }
    if (!password) {
        throw new Error(`password: empty for registry ${registry}; set password to a token or password for ${username}${registry === 'ghcr.io' ? ', or leave github-token at its default' : ''}`);
    }
    return [{ registry, username, password }];
}
/** `https://ghcr.io/` and `ghcr.io` are the same registry for docker login. */
function normalizeRegistry(value) {
    return value
        .trim()
        .replace(/^https?:\/\//, '')
        .replace(/\/+$/, '');
}
/**
 * Logs in to each registry with `docker login --password-stdin` into the action's own
 * Docker config directory. Errors name the registry and user, never the password.
 */
async function login(logins, dockerConfig) {
    for (const { registry, username, password } of logins) {
        // A credential helper configured for this registry would receive the password instead of our file.
        (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .dropCredHelper */ .OA)(dockerConfig, registry);
        const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H('docker', ['login', '--username', username, '--password-stdin', registry], {
            env: (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .dockerEnv */ .gT)(dockerConfig),
            input: Buffer.from(password),
            silent: true,
            ignoreReturnCode: true,
        });
        if (result.exitCode !== 0) {
            const detail = scrub(`${result.stderr}\n${result.stdout}`, password)
                .split('\n')
                .map((line) => line.trim())
                .filter((line) => line &&
                !/credentials are stored unencrypted|credential helper|credential-store/.test(line))
                .join('; ');
            throw new Error(`login to ${registry} as ${username} failed: ${detail || `docker login exited with ${result.exitCode}`}`);
        }
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`logged in to ${registry} as ${username}`);
    }
}
/**
 * For the post step: `docker logout` from each registry, then deletes the action's Docker
 * config directory. Never throws; returns what went wrong as warnings.
 */
async function logout(dockerConfig, registries) {
    const warnings = [];
    if (!dockerConfig)
        return warnings;
    for (const registry of registries) {
        try {
            const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H('docker', ['logout', registry], {
                env: (0,_config_js__WEBPACK_IMPORTED_MODULE_3__/* .dockerEnv */ .gT)(dockerConfig),
                silent: true,
                ignoreReturnCode: true,
            });
            if (result.exitCode !== 0) {
                warnings.push(`docker logout ${registry} failed: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
            }
            else {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`logged out of ${registry}`);
            }
        }
        catch (error) {
            warnings.push(`docker logout ${registry} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    try {
        // rmSync removes the links to the user's plugin and builder directories, not their targets.
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(dockerConfig, { recursive: true, force: true });
    }
    catch (error) {
        warnings.push(`could not remove ${dockerConfig}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return warnings;
}
/** Removes every occurrence of a secret from a text; docker should never echo it, but this is cheap. */
function scrub(text, secret) {
    return secret ? text.split(secret).join('***') : text;
}


/***/ }),

/***/ 21743:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ runTestContainer),
/* harmony export */   od: () => (/* binding */ removeContainer),
/* harmony export */   qY: () => (/* binding */ enginePlatform)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96310);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(15796);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(31421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _test_gate_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(32390);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(55121);






// How long `docker rm -f` may take to stop the container and the CLI to notice, per attempt.
const KILL_WAIT_MS = 10_000;
const KILL_ATTEMPTS = 3;
/**
 * Runs the test container (see testRunArgs), its output streamed to the log. The `test-env`
 * values go through the docker CLI's environment, never its arguments. At the timeout the
 * container is killed and removed with `docker rm -f` by its name.
 */
async function runTestContainer(options) {
    const name = (0,_test_gate_js__WEBPACK_IMPORTED_MODULE_4__/* .testContainerName */ .pZ)((0,node_crypto__WEBPACK_IMPORTED_MODULE_3__.randomBytes)(6).toString('hex'));
    options.onName?.(name);
    const args = (0,_test_gate_js__WEBPACK_IMPORTED_MODULE_4__/* .testRunArgs */ .pl)({
        name,
        image: options.image,
        command: options.command,
        envNames: options.env.map((v) => v.name),
    });
    const env = (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerEnv */ .gT)(options.dockerConfig);
    for (const { name: key, value } of options.env)
        env[key] = value;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`[command]docker ${args.map(quote).join(' ')}`);
    // The image's output is not the action's: workflow commands in it (::set-output, ::add-mask,
    // ::error) are not run. Masks already registered still apply.
    const token = (0,node_crypto__WEBPACK_IMPORTED_MODULE_3__.randomBytes)(16).toString('hex');
    process.stdout.write(`::stop-commands::${token}\n`);
    const start = Date.now();
    const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_2__.spawn)('docker', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let lineOpen = false;
    const write = (chunk) => {
        lineOpen = chunk.length > 0 ? chunk[chunk.length - 1] !== 0x0a : lineOpen;
        process.stdout.write(chunk);
    };
    child.stdout.on('data', write);
    child.stderr.on('data', write);
    const exited = new Promise((resolve) => {
        child.on('error', (error) => {
            process.stdout.write(`could not start docker: ${error.message}\n`);
            resolve(null);
        });
        child.on('close', (code) => resolve(code));
    });
    let timer;
    const timeout = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
    });
    const first = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    let result;
    if (first !== 'timeout') {
        result = { exitCode: first, durationMs: Date.now() - start, timedOut: false };
    }
    else {
        const durationMs = Date.now() - start;
        const leftOver = await stopContainer(name, options.dockerConfig, exited);
        if (child.exitCode === null)
            child.kill('SIGKILL');
        result = { exitCode: null, durationMs, timedOut: true, leftOver };
    }
    // The resume command must start a line, or the runner would run no command after it.
    process.stdout.write(`${lineOpen ? '\n' : ''}::${token}::\n`);
    return result;
}
/**
 * Kills and removes the container until the docker CLI that ran it has exited (a `docker rm -f`
 * sent before the container was created misses it). Returns a problem, or undefined.
 */
async function stopContainer(name, dockerConfig, exited) {
    for (let attempt = 1; attempt <= KILL_ATTEMPTS; attempt++) {
        await removeContainer(name, dockerConfig);
        let timer;
        const done = await Promise.race([
            exited.then(() => true),
            new Promise((resolve) => (timer = setTimeout(() => resolve(false), KILL_WAIT_MS))),
        ]);
        clearTimeout(timer);
        if (done)
            break;
    }
    await removeContainer(name, dockerConfig);
    const left = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H('docker', ['ps', '--all', '--quiet', '--filter', `name=^/${name}$`], { env: (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerEnv */ .gT)(dockerConfig), silent: true, ignoreReturnCode: true });
    return left.stdout.trim() ? `the test container ${name} could not be removed` : undefined;
}
/** `docker rm -f NAME`; a container that is already gone is not an error. Never throws. */
async function removeContainer(name, dockerConfig) {
    try {
        const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H('docker', ['rm', '--force', name], {
            env: (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerEnv */ .gT)(dockerConfig),
            silent: true,
            ignoreReturnCode: true,
        });
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`docker rm --force ${name}: exit code ${result.exitCode} ${result.stderr.trim()}`.trim());
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`docker rm --force ${name}: ${String(error)}`);
    }
}
/** The engine's platform (`linux/amd64`): the one the test runs on. */
async function enginePlatform(dockerConfig) {
    const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H('docker', ['version', '--format', '{{.Server.Os}}/{{.Server.Arch}}'], { env: (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerEnv */ .gT)(dockerConfig), silent: true, ignoreReturnCode: true });
    const platform = result.stdout.trim();
    if (result.exitCode !== 0 || !/^[a-z0-9]+\/[a-z0-9]+$/.test(platform)) {
        throw new Error(`test: the Docker engine that runs the test does not answer (docker version: ${result.stderr.trim() || `exit code ${result.exitCode}`})`);
    }
    return platform;
}
function quote(arg) {
    return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}


/***/ }),

/***/ 32390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $O: () => (/* binding */ SKIPPED),
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   Mn: () => (/* binding */ pushedDigest),
/* harmony export */   Wz: () => (/* binding */ manifestConfig),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   cw: () => (/* binding */ testPlatform),
/* harmony export */   g1: () => (/* binding */ digestOutput),
/* harmony export */   hT: () => (/* binding */ parseTestEnv),
/* harmony export */   pZ: () => (/* binding */ testContainerName),
/* harmony export */   pl: () => (/* binding */ testRunArgs),
/* harmony export */   qw: () => (/* binding */ testMarkdown),
/* harmony export */   t: () => (/* binding */ testFailure),
/* harmony export */   tc: () => (/* binding */ testOutputs)
/* harmony export */ });
/* unused harmony export samePlatform */
// The test gate's pure parts: input parsing, the `docker run` argument list, platform and
// manifest checks, and the report text. The processes are in src/docker/test-run.ts and
// src/docker/gate.ts.
const SKIPPED = { result: 'skipped', runs: [], configDigest: '', failure: '' };
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
// setTimeout's limit (about 24.8 days); a longer timeout would fire at once.
const MAX_TIMEOUT_MS = 2_147_483_647;
/**
 * A duration in milliseconds: a number of seconds (`90`, `2.5`), or number-unit pairs with the
 * units `ms`, `s`, `m`, `h` (`90s`, `10m`, `1h`, `1h30m`). Zero, negative and unparsable values
 * are errors naming the input and the value. Pure.
 */
function parseDuration(input, value) {
    const text = value.trim();
    const expected = `expected a number of seconds or a duration such as 90s, 10m or 1h`;
    let ms;
    if (/^[+-]?\d+(\.\d+)?$/.test(text)) {
        ms = Number(text) * 1000;
    }
    else if (/^[+-]?(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) {
        const sign = text.startsWith('-') ? -1 : 1;
        ms = 0;
        for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
            ms += Number(amount) * UNITS[unit];
        }
        ms *= sign;
    }
    if (ms === undefined || !Number.isFinite(ms)) {
        throw new Error(`${input}: "${value}" is not a duration; ${expected}`);
    }
    if (ms <= 0)
        throw new Error(`${input}: "${value}" is not a positive duration; ${expected}`);
    if (ms > MAX_TIMEOUT_MS) {
        throw new Error(`${input}: "${value}" is longer than 24 days; ${expected}`);
    }
    return Math.round(ms);
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * `NAME=value` lines of `test-env`. Values are never echoed in an error (they may be secrets).
 * Names the docker CLI reads itself (`DOCKER_*`) are refused: the value reaches the container
 * through the CLI's own environment, where DOCKER_HOST or DOCKER_CONFIG would redirect the CLI. Pure.
 */
function parseTestEnv(entries) {
    const seen = new Set();
    return entries.map((entry) => {
        const eq = entry.indexOf('=');
        const name = eq > 0 ? entry.slice(0, eq).trim() : '';
        if (!name) {
            throw new Error(`test-env: an entry (value hidden) has no NAME=; expected NAME=value, one per line`);
        }
        if (!ENV_NAME.test(name)) {
            throw new Error(`test-env: "${name}" is not a variable name; expected letters, digits and _, not starting with a digit`);
        }
        if (/^DOCKER_/i.test(name)) {
            throw new Error(`test-env: ${name} is read by the docker CLI that starts the test; use another name`);
        }
        if (seen.has(name))
            throw new Error(`test-env: ${name} is given twice; give each name once`);
        seen.add(name);
        return { name, value: entry.slice(eq + 1) };
    });
}
/** A container name of the action's own (`docker rm -f` needs one to stop a test that hangs). Pure. */
function testContainerName(random) {
    return `build-tag-push-test-${random}`;
}
/**
 * The arguments of `docker` for one test run. The rule: `docker run --rm --name NAME
 * --pull never [--env NAME...] --entrypoint sh IMAGE -c COMMAND`, so the image needs a `sh`;
 * without a command the image runs as built. Values of `test-env` are never in the list. Pure.
 */
function testRunArgs(spec) {
    const args = ['run', '--rm', '--name', spec.name, '--pull', 'never'];
    for (const name of spec.envNames)
        args.push('--env', name);
    if (spec.command === undefined)
        return [...args, spec.image];
    return [...args, '--entrypoint', 'sh', spec.image, '-c', spec.command];
}
function splitPlatform(value) {
    const [os = '', arch = '', variant = ''] = value.toLowerCase().split('/');
    // arm64 is arm64/v8 unless said otherwise, as containerd normalizes it.
    return { os, arch, variant: variant || (arch === 'arm64' ? 'v8' : '') };
}
/** True when `platform` (`linux/arm64/v8`) is the `native` one (`linux/arm64`). Pure. */
function samePlatform(platform, native) {
    const a = splitPlatform(platform);
    const b = splitPlatform(native);
    return (a.os === b.os && a.arch === b.arch && (!a.variant || !b.variant || a.variant === b.variant));
}
/**
 * The platform the test runs on: the runner's. With `platforms` set it must be one of them; the
 * returned entry is the one to build for the test (undefined: buildx's default, the native one).
 * Pure.
 */
function testPlatform(platforms, native) {
    if (platforms.length === 0)
        return undefined;
    const found = platforms.find((p) => samePlatform(p, native));
    if (!found) {
        throw new Error(`platforms: the test runs the image on the runner's platform ${native}, which is not among ${platforms.join(', ')}; add ${native}, or remove test and test-target`);
    }
    return found;
}
/**
 * For a manifest as the registry serves it: the config digest of an image manifest, or, for an
 * index, the digest of the manifest of the native platform (to be read next). Pure.
 */
function manifestConfig(body, native) {
    let parsed;
    try {
        parsed = JSON.parse(body.toString());
    }
    catch {
        throw new Error('the registry answered with a manifest that is not JSON');
    }
    const doc = (parsed ?? {});
    if (typeof doc.config?.digest === 'string')
        return { config: doc.config.digest };
    if (Array.isArray(doc.manifests)) {
        const entry = doc.manifests.find((m) => {
            const p = m.platform;
            if (typeof p?.os !== 'string' || typeof p.architecture !== 'string')
                return false;
            const name = [p.os, p.architecture, typeof p.variant === 'string' ? p.variant : '']
                .filter(Boolean)
                .join('/');
            return samePlatform(name, native);
        });
        if (entry && typeof entry.digest === 'string')
            return { manifest: entry.digest };
        throw new Error(`the pushed index has no manifest for the tested platform ${native}`);
    }
    throw new Error('the pushed manifest has neither a config nor a list of manifests');
}
/** The manifest digest `docker push` printed (`TAG: digest: sha256:... size: N`); '' when none. Pure. */
function pushedDigest(output) {
    return /\bdigest: (sha256:[0-9a-f]{64})\b/.exec(output)?.[1] ?? '';
}
/**
 * buildx's `--output` that pushes the image to every name by digest only, without a tag: the
 * tags are added by manifest copy once the pushed config digest is checked. Pure.
 */
function digestOutput(images) {
    // The names hold commas between them: the CSV field is quoted as a whole.
    return `type=image,"name=${images.join(',')}",push-by-digest=true,name-canonical=true,push=true`;
}
/** The error of a failed test run, in one line. Pure. */
function testFailure(run, timeout) {
    const what = run.kind === 'target' ? `test-target: stage "${run.what}"` : 'test';
    if (run.timedOut) {
        return `${what} did not finish within ${timeout} (test-timeout); its container was killed and removed`;
    }
    const hint = run.exitCode === 125
        ? ' (docker could not start the container'.concat(run.kind === 'target' ? '; does the stage have a CMD or ENTRYPOINT?)' : ')')
        : run.exitCode === 126 || run.exitCode === 127
            ? run.kind === 'command'
                ? ' (the test runs `sh -c COMMAND` in the image: it needs a sh, and the command must exist in it)'
                : " (the stage's command could not be run)"
            : '';
    return `${what} failed with exit code ${run.exitCode ?? 'none'}${hint}`;
}
/** A duration for people: `0.4 s`, `12.0 s`, `2 min 5 s`. Pure. */
function formatDuration(ms) {
    return ms < 60_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
function code(text) {
    return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}
/** The job summary's test section (empty when no test ran). Pure. */
function testMarkdown(report) {
    if (report.result === 'skipped')
        return [];
    const out = ['', `### Test ${report.result}`, '', '| test | exit code | duration |'];
    out.push('| --- | --- | --- |');
    for (const run of report.runs) {
        const what = run.kind === 'target' ? `stage ${code(run.what)} (its CMD)` : code(run.what);
        const exit = run.timedOut ? 'timed out' : String(run.exitCode ?? 'none');
        out.push(`| ${what.replace(/\|/g, '\\|')} | ${exit} | ${formatDuration(run.durationMs)} |`);
    }
    if (report.configDigest)
        out.push('', `- tested image config: ${code(report.configDigest)}`);
    if (report.failure)
        out.push('', report.failure);
    return out;
}
/** The test outputs: result, exit code of the last run, total duration in seconds. Pure. */
function testOutputs(report) {
    const last = report.runs.at(-1);
    const total = report.runs.reduce((sum, run) => sum + run.durationMs, 0);
    return {
        result: report.result,
        exitCode: last?.exitCode === null || last === undefined ? '' : String(last.exitCode),
        duration: report.runs.length > 0 ? (total / 1000).toFixed(1) : '',
    };
}


/***/ })

};
