export const id = 526;
export const ids = [526];
export const modules = {

/***/ 656:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cd: () => (/* binding */ keepsLoginElsewhere),
/* harmony export */   OA: () => (/* binding */ dropCredHelper),
/* harmony export */   Zn: () => (/* binding */ credentialsFromConfig),
/* harmony export */   gT: () => (/* binding */ dockerEnv),
/* harmony export */   lp: () => (/* binding */ createDockerConfig)
/* harmony export */ });
/* unused harmony exports userDockerConfigDir, authKey, isDockerHub */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
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
/**
 * Whether docker keeps the login of a registry outside the config file of `dockerConfig`: in a
 * credential store (`credsStore`) or a registry's credential helper. Only then does a
 * `docker logout` erase something that removing the directory does not.
 */
function keepsLoginElsewhere(dockerConfig, registry) {
    const config = readUserConfig((0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(dockerConfig, 'config.json'));
    const helpers = isRecord(config.credHelpers) ? config.credHelpers : {};
    return ((typeof config.credsStore === 'string' && config.credsStore !== '') ||
        authKey(registry) in helpers ||
        registry in helpers);
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

/***/ 4377:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VE: () => (/* binding */ anonymousRegistries),
/* harmony export */   XN: () => (/* binding */ resolveLogins),
/* harmony export */   iD: () => (/* binding */ login),
/* harmony export */   ri: () => (/* binding */ logout)
/* harmony export */ });
/* unused harmony export normalizeRegistry */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5781);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(656);
/* harmony import */ var _registry_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8925);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(6298);








/**
 * The registry logins asked for by the inputs. On ghcr.io the username and password default
 * to the workflow actor and `github-token`. A username or password without `registry` logs in
 * to Docker Hub, as docker/login-action does. Pure.
 */
function resolveLogins(inputs, actor) {
    if (inputs.registryAuth && inputs.registryAuth.length > 0) {
        return inputs.registryAuth.map((entry, index) => {
            if (entry.registry !== 'ghcr.io' || (entry.username && entry.password))
                return entry;
            const username = entry.username || actor;
            const password = entry.password || inputs.githubToken;
            const what = `registry-auth: entry ${index + 1} (ghcr.io)`;
            if (!username)
                throw new Error(`${what} has no username and github.actor is not set`);
            if (!password)
                throw new Error(`${what} has no password and github-token is empty`);
            return { registry: 'ghcr.io', username, password };
        });
    }
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
const LOGIN_TIMEOUT_MS = 30_000;
/**
 * Logs in to each registry with `docker login --password-stdin`, all at once. Each login writes
 * to a config of its own (two docker processes writing one config.json would lose a login), in
 * the action's Docker config directory; what each stored is then merged into that directory's
 * config.json. Errors name the registry and user, never the password; when several logins
 * fail, the error has one line each.
 */
async function login(logins, dockerConfig, options = {}) {
    const results = await Promise.allSettled(logins.map((entry) => loginOne(entry, dockerConfig, options)));
    const failures = [];
    results.forEach((result, index) => {
        const { registry, username } = logins[index];
        if (result.status === 'rejected') {
            failures.push(result.reason instanceof Error ? result.reason.message : String(result.reason));
            return;
        }
        // A credential helper configured for this registry would be asked instead of our file.
        (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dropCredHelper */ .OA)(dockerConfig, registry);
        mergeAuths(dockerConfig, result.value);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`logged in to ${registry} as ${username}`);
    });
    if (failures.length > 0)
        throw new Error(failures.join('\n'));
}
/** One `docker login` into a scratch config under `dockerConfig`; returns the `auths` it stored. */
async function loginOne({ registry, username, password }, dockerConfig, options) {
    const scratch = (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'login-'));
    try {
        const main = readJson((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'config.json'));
        // The same docker context as the action's config: the login goes to the same daemon.
        const config = { auths: {} };
        if (typeof main.currentContext === 'string')
            config.currentContext = main.currentContext;
        (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(scratch, 'config.json'), JSON.stringify(config), { mode: 0o600 });
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_3__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'contexts'))) {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.symlinkSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'contexts'), (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(scratch, 'contexts'));
        }
        const what = `login to ${registry} as ${username}`;
        const timeoutMs = options.timeoutMs ?? LOGIN_TIMEOUT_MS;
        await (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .withRetry */ .bD)(async () => {
            const result = await runBounded(['login', '--username', username, '--password-stdin', registry], (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerEnv */ .gT)(scratch), password, timeoutMs);
            if (result.timedOut) {
                const detail = `no answer within ${seconds(timeoutMs)} (network-timeout)`;
                throw Object.assign(new Error(`${what} failed: ${detail}`), {
                    detail,
                    failure: { kind: 'transient', reason: detail },
                });
            }
            if (result.exitCode === 0)
                return;
            const detail = scrub(`${result.stderr}\n${result.stdout}`, password)
                .split('\n')
                .map((line) => line.trim())
                .filter((line) => line &&
                !/credentials are stored unencrypted|credential helper|credential-store/.test(line))
                .join('; ');
            const refused = (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .classifyText */ .oF)(detail).kind === 'auth';
            const error = new Error(`${what} failed: ${refused ? `${registry} refused the credentials; ` : ''}${detail || `docker login exited with ${result.exitCode}`}`);
            throw Object.assign(error, { detail });
        }, {
            policy: options.retry ?? _retry_js__WEBPACK_IMPORTED_MODULE_7__/* .NO_RETRY */ .PE,
            what,
            // docker's own words, for the retry line (the message repeats what was being done).
            classify: (error) => error.failure ??
                (0,_retry_js__WEBPACK_IMPORTED_MODULE_7__/* .classifyText */ .oF)(error.detail ?? String(error)),
            log: (line) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(line),
            sleep: options.sleep,
        });
        const auths = readJson((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(scratch, 'config.json')).auths;
        return isRecord(auths) ? auths : {};
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.rmSync)(scratch, { recursive: true, force: true });
    }
}
/**
 * Runs `docker ARGS` with `input` on its standard input, killed after `timeoutMs`: a registry
 * that accepts connections and never answers cannot hold the step. Output is not logged.
 */
async function runBounded(args, env, input, timeoutMs) {
    return await new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_2__.spawn)('docker', args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
        const stdout = [];
        const stderr = [];
        let timedOut = false;
        const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
        }, timeoutMs);
        child.stdout.on('data', (chunk) => stdout.push(chunk));
        child.stderr.on('data', (chunk) => stderr.push(chunk));
        child.on('error', (error) => {
            clearTimeout(timer);
            reject(new Error(`cannot run docker: ${error.message}`));
        });
        child.on('close', (exitCode) => {
            clearTimeout(timer);
            resolve({
                exitCode,
                stdout: Buffer.concat(stdout).toString('utf8'),
                stderr: Buffer.concat(stderr).toString('utf8'),
                timedOut,
            });
        });
        // docker may exit before reading its input (a bad flag): not an error of ours.
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
    });
}
function seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
/** Adds logins to the `auths` of the action's config.json (the other keys are kept). */
function mergeAuths(dockerConfig, auths) {
    const path = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'config.json');
    const config = readJson(path);
    config.auths = { ...(isRecord(config.auths) ? config.auths : {}), ...auths };
    (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.writeFileSync)(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}
/**
 * The registries of `images` that the action has no credentials for: pushed to anonymously,
 * which works only for registries that accept anonymous pushes. Pure but for the lookup.
 */
function anonymousRegistries(images, credentials) {
    const registries = [...new Set(images.map((image) => (0,_registry_js__WEBPACK_IMPORTED_MODULE_6__/* .parseReference */ .F2)(image).registry))];
    return registries.filter((registry) => !credentials(registry));
}
/**
 * For the post step: `docker logout` from each registry, then deletes the action's Docker
 * config directory. Never throws; returns what went wrong as warnings.
 */
async function logout(dockerConfig, registries) {
    const warnings = [];
    if (!dockerConfig)
        return warnings;
    // A login in the config file goes with the directory, removed below; `docker logout` (a
    // process each) is needed only where a credential store or helper keeps it.
    const elsewhere = registries.filter((registry) => (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .keepsLoginElsewhere */ .Cd)(dockerConfig, registry));
    for (const registry of registries) {
        if (!elsewhere.includes(registry)) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`${registry}: the login is in ${dockerConfig}/config.json, removed with it`);
            continue;
        }
        try {
            const result = await _actions_exec__WEBPACK_IMPORTED_MODULE_1__/* .getExecOutput */ .H('docker', ['logout', registry], {
                env: (0,_config_js__WEBPACK_IMPORTED_MODULE_5__/* .dockerEnv */ .gT)(dockerConfig),
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
        (0,node_fs__WEBPACK_IMPORTED_MODULE_3__.rmSync)(dockerConfig, { recursive: true, force: true });
    }
    catch (error) {
        warnings.push(`could not remove ${dockerConfig}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return warnings;
}
function readJson(path) {
    try {
        const parsed = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_3__.readFileSync)(path, 'utf8'));
        return isRecord(parsed) ? parsed : {};
    }
    catch {
        return {};
    }
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** Removes every occurrence of a secret from a text; docker should never echo it, but this is cheap. */
function scrub(text, secret) {
    return secret ? text.split(secret).join('***') : text;
}


/***/ }),

/***/ 8925:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F2: () => (/* binding */ parseReference),
/* harmony export */   bP: () => (/* binding */ RegistryClient)
/* harmony export */ });
/* unused harmony exports MANIFEST_TYPES, parseWwwAuthenticate, sha256 */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6803);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6298);




const MANIFEST_TYPES = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
];
/**
 * Parses an image name (`ghcr.io/acme/app`, `localhost:5000/app`, `user/app`, `alpine`) the way
 * docker does: the first path component is a registry host when it has a `.` or `:` or is
 * `localhost`; otherwise the image is on Docker Hub. A trailing `:tag` or `@digest` is ignored.
 * Loopback hosts are spoken to over plain HTTP, as docker does. Pure.
 */
function parseReference(image) {
    let name = image.trim().replace(/@.*$/, '');
    const lastSlash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    if (colon > lastSlash)
        name = name.slice(0, colon);
    const slash = name.indexOf('/');
    const first = slash < 0 ? '' : name.slice(0, slash);
    const hasHost = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
    let registry = hasHost ? first : 'docker.io';
    let repository = hasHost ? name.slice(slash + 1) : name;
    if (['index.docker.io', 'registry-1.docker.io'].includes(registry))
        registry = 'docker.io';
    if (registry === 'docker.io' && !repository.includes('/'))
        repository = `library/${repository}`;
    if (!repository || repository.startsWith('/') || repository.endsWith('/')) {
        throw new Error(`"${image}" is not an image name; expected [host[:port]/]path such as ghcr.io/acme/app`);
    }
    return {
        registry,
        apiHost: registry === 'docker.io' ? 'registry-1.docker.io' : registry,
        repository,
        scheme: isLoopback(registry) ? 'http' : 'https',
    };
}
function isLoopback(registry) {
    const host = registry.startsWith('[')
        ? registry.slice(0, registry.indexOf(']') + 1)
        : registry.split(':')[0];
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
/**
 * Parses a `WWW-Authenticate` header (`Bearer realm="...",service="...",scope="..."` or
 * `Basic realm="..."`). When several challenges are joined in one header, Bearer wins. Pure.
 */
function parseWwwAuthenticate(header) {
    if (!header)
        return undefined;
    const challenges = [];
    // scheme token, then key=value pairs where a quoted value may hold commas (scope="...:pull,push").
    const token = /\s*([A-Za-z][\w-]*)(?!\s*=)(?:\s+|$)|\s*([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?/gy;
    let match;
    while (token.lastIndex < header.length && (match = token.exec(header)) !== null) {
        if (match[1] !== undefined) {
            challenges.push({ scheme: match[1].toLowerCase(), params: {} });
        }
        else if (challenges.length > 0) {
            const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[4] ?? '');
            challenges[challenges.length - 1].params[match[2].toLowerCase()] = value;
        }
    }
    return challenges.find((c) => c.scheme === 'bearer') ?? challenges[0];
}
/** A transient HTTP answer, thrown inside the retry loop and given back as the answer when retries run out. */
class RetryableAnswer extends Error {
    response;
    failure;
    constructor(response, failure) {
        super(failure.reason);
        this.response = response;
        this.failure = failure;
    }
}
/**
 * A small client of the registry HTTP API (distribution v2) for reading and copying manifests:
 * anonymous, Basic and Bearer-token auth, a bounded timeout on every request. Errors name the
 * registry, the image and tag and the HTTP status, never a credential.
 */
class RegistryClient {
    credentials;
    timeoutMs;
    fetch;
    retry;
    sleep;
    authorization = new Map();
    /** Hosts that asked for Basic auth: it does not depend on the repository or the access. */
    basicHosts = new Set();
    /** Answers given back after the retries ran out, with what the error should say about them. */
    retryNotes = new WeakMap();
    constructor(options = {}) {
        this.credentials = options.credentials ?? (() => undefined);
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.fetch = options.fetch ?? _http_js__WEBPACK_IMPORTED_MODULE_2__/* .nodeFetch */ .v;
        this.retry = options.retry ?? _retry_js__WEBPACK_IMPORTED_MODULE_3__/* .NO_RETRY */ .PE;
        this.sleep = options.sleep;
    }
    /**
     * Learns ahead of the requests, for instance while the build runs, how the registry of each
     * image authenticates: a host that asks for Basic gets the credentials at once, and a Bearer
     * token with the push scope is fetched for the repository. One try each, given up when
     * `signal` aborts (the build is over). Never fails: a request then meets its challenge itself.
     */
    async warmUp(images, signal) {
        await Promise.allSettled([...new Set(images)].map(async (image) => {
            const ref = parseReference(image);
            const push = `${ref.apiHost}/${ref.repository}:push`;
            if (this.authorization.has(push) || this.basicHosts.has(ref.apiHost))
                return;
            const what = `asking ${ref.registry} how it authenticates`;
            const ping = await this.sendOnce(ref, what, `${ref.scheme}://${ref.apiHost}/v2/`, { method: 'GET' }, signal);
            await ping.body?.cancel();
            if (ping.status !== 401)
                return;
            const challenge = parseWwwAuthenticate(ping.headers.get('www-authenticate'));
            if (challenge?.scheme === 'basic') {
                if (this.basic(ref.registry))
                    this.basicHosts.add(ref.apiHost);
                return;
            }
            const authorization = await this.authorize(ref, what, challenge, 'push', signal);
            if (!authorization || signal.aborted)
                return;
            // A token for pull and push serves the reads too.
            this.authorization.set(push, authorization);
            this.authorization.set(`${ref.apiHost}/${ref.repository}:pull`, authorization);
        })).then((results) => {
            for (const result of results) {
                if (result.status === 'rejected')
                    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`registry warm-up: ${String(result.reason)}`);
            }
        });
    }
    /** The digest `image:tag` points to, or undefined when the tag does not exist. */
    async manifestDigest(image, tag) {
        const ref = parseReference(image);
        const what = `reading the digest of ${image}:${tag}`;
        const head = await this.request(ref, what, 'HEAD', `manifests/${tag}`, 'pull');
        if (head.status === 404)
            return undefined;
        if (!head.ok)
            throw await this.failure(ref, what, head);
        const digest = head.headers.get('docker-content-digest');
        if (digest)
            return digest;
        // Some registries leave the header out of HEAD answers: the digest is the hash of the bytes.
        const get = await this.request(ref, what, 'GET', `manifests/${tag}`, 'pull');
        if (get.status === 404)
            return undefined;
        if (!get.ok)
            throw await this.failure(ref, what, get);
        const body = Buffer.from(await get.arrayBuffer());
        return get.headers.get('docker-content-digest') ?? sha256(body);
    }
    /** The manifest stored under `digest`, byte for byte, checked against the digest. */
    async getManifest(image, digest) {
        const ref = parseReference(image);
        const what = `reading the manifest ${image}@${digest}`;
        const response = await this.request(ref, what, 'GET', `manifests/${digest}`, 'pull');
        if (!response.ok)
            throw await this.failure(ref, what, response);
        const body = Buffer.from(await response.arrayBuffer());
        if (digest.startsWith('sha256:') && sha256(body) !== digest) {
            throw new Error(`${what}: ${ref.registry} answered with content whose digest is ${sha256(body)}`);
        }
        return { mediaType: mediaTypeOf(response.headers.get('content-type'), body), body, digest };
    }
    /** Stores `manifest` under `tag` (same bytes, same media type, so the same digest); returns the digest. */
    async putManifest(image, tag, manifest) {
        const ref = parseReference(image);
        const what = `tagging ${image}:${tag}`;
        const response = await this.request(ref, what, 'PUT', `manifests/${tag}`, 'push', manifest);
        if (!response.ok)
            throw await this.failure(ref, what, response);
        await response.body?.cancel();
        const digest = response.headers.get('docker-content-digest') ?? manifest.digest;
        if (digest !== manifest.digest) {
            throw new Error(`${what}: ${ref.registry} stored the manifest as ${digest}, expected ${manifest.digest}`);
        }
        return digest;
    }
    /** True when `image` has the blob `digest` (a layer or config). */
    async blobExists(image, digest) {
        const ref = parseReference(image);
        const what = `looking for the blob ${digest} in ${image}`;
        const response = await this.request(ref, what, 'HEAD', `blobs/${digest}`, 'pull');
        await response.body?.cancel();
        if (response.status === 404)
            return false;
        if (!response.ok)
            throw await this.failure(ref, what, response);
        return true;
    }
    /** The blob `digest` of `image`, checked against the digest. */
    async getBlob(image, digest) {
        const ref = parseReference(image);
        const what = `reading the blob ${digest} of ${image}`;
        const response = await this.request(ref, what, 'GET', `blobs/${digest}`, 'pull');
        if (!response.ok)
            throw await this.failure(ref, what, response);
        const body = Buffer.from(await response.arrayBuffer());
        if (digest.startsWith('sha256:') && sha256(body) !== digest) {
            throw new Error(`${what}: ${ref.registry} answered with content whose digest is ${sha256(body)}`);
        }
        return body;
    }
    /**
     * Mounts the blob `digest` of the repository `fromImage` into `image` (one registry, no copy
     * of the bytes). Returns true when mounted; false when the registry declined (it then opened
     * an upload, which this cancels by leaving it unused) and the blob must be uploaded.
     */
    async mountBlob(image, digest, fromImage) {
        const ref = parseReference(image);
        const from = parseReference(fromImage);
        const what = `mounting the blob ${digest} from ${fromImage} into ${image}`;
        const query = `mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from.repository)}`;
        const response = await this.request(ref, what, 'POST', `blobs/uploads/?${query}`, 'push', {
            body: Buffer.alloc(0),
            contentType: 'application/octet-stream',
        });
        await response.body?.cancel();
        if (response.status === 201)
            return true;
        if (response.status === 202)
            return false;
        throw await this.failure(ref, what, response);
    }
    /** Uploads `content` as the blob `digest` of `image` in one request (a monolithic upload). */
    async putBlob(image, digest, content) {
        const ref = parseReference(image);
        const what = `uploading the blob ${digest} to ${image}`;
        const start = await this.request(ref, what, 'POST', 'blobs/uploads/', 'push', {
            body: Buffer.alloc(0),
            contentType: 'application/octet-stream',
        });
        await start.body?.cancel();
        const location = start.headers.get('location');
        if (start.status !== 202 || !location) {
            if (start.ok)
                throw new Error(`${what}: ${ref.registry} opened no upload (no Location)`);
            throw await this.failure(ref, what, start);
        }
        const url = new URL(location, `${ref.scheme}://${ref.apiHost}/`);
        url.searchParams.set('digest', digest);
        const put = await this.request(ref, what, 'PUT', url.toString(), 'push', {
            body: content,
            contentType: 'application/octet-stream',
        });
        await put.body?.cancel();
        if (put.status !== 201 && !put.ok)
            throw await this.failure(ref, what, put);
    }
    /**
     * One request to `path` below `/v2/<repository>/` (or to an absolute URL the registry gave,
     * such as an upload location), authenticated as the registry asks.
     */
    async request(ref, what, method, path, access, upload) {
        const url = /^https?:\/\//.test(path)
            ? path
            : `${ref.scheme}://${ref.apiHost}/v2/${ref.repository}/${path}`;
        const key = `${ref.apiHost}/${ref.repository}:${access}`;
        const contentType = upload
            ? 'mediaType' in upload
                ? upload.mediaType
                : upload.contentType
            : undefined;
        const send = (authorization) => this.send(ref, what, url, {
            method,
            headers: {
                ...(contentType
                    ? { 'Content-Type': contentType }
                    : { Accept: MANIFEST_TYPES.join(', ') }),
                ...(authorization ? { Authorization: authorization } : {}),
            },
            ...(upload ? { body: new Uint8Array(upload.body) } : {}),
        });
        // A host that took Basic credentials gets them at once: no 401 round trip per repository.
        const known = this.authorization.get(key) ??
            (this.basicHosts.has(ref.apiHost) ? this.basic(ref.registry) : undefined);
        let response = await send(known);
        if (response.status !== 401)
            return response;
        await response.body?.cancel();
        const challenge = parseWwwAuthenticate(response.headers.get('www-authenticate'));
        const authorization = await this.authorize(ref, what, challenge, access);
        if (!authorization)
            return response;
        this.authorization.set(key, authorization);
        if (challenge?.scheme === 'basic')
            this.basicHosts.add(ref.apiHost);
        response = await send(authorization);
        return response;
    }
    /** The Basic Authorization header of the registry's credentials; undefined without any. */
    basic(registry) {
        const credentials = this.credentials(registry);
        return credentials
            ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`
            : undefined;
    }
    /** The Authorization header that answers a challenge, or undefined when there is nothing to try. */
    async authorize(ref, what, challenge, access, 
    /** For the warm-up: one try, abandoned when this signal aborts. */
    signal) {
        const credentials = this.credentials(ref.registry);
        const basic = this.basic(ref.registry);
        if (challenge?.scheme !== 'bearer')
            return basic;
        const realm = challenge.params.realm;
        if (!realm)
            throw new Error(`${what}: ${ref.registry} asked for a token without saying where to get it`);
        const tokenUrl = new URL(realm);
        if (challenge.params.service)
            tokenUrl.searchParams.set('service', challenge.params.service);
        tokenUrl.searchParams.set('scope', `repository:${ref.repository}:${access === 'push' ? 'pull,push' : 'pull'}`);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(`registry token: ${tokenUrl.origin}${tokenUrl.pathname} for ${tokenUrl.searchParams.get('scope')}`);
        const init = { method: 'GET', headers: basic ? { Authorization: basic } : {} };
        const response = signal
            ? await this.sendOnce(ref, what, tokenUrl.toString(), init, signal)
            : await this.send(ref, what, tokenUrl.toString(), init);
        if (!response.ok) {
            await response.body?.cancel();
            throw new Error(`${what}: ${statusMeaning(ref.registry, response.status, credentials)} (token request to ${tokenUrl.host}, HTTP ${response.status})`);
        }
        const json = (await response.json().catch(() => ({})));
        const token = typeof json.token === 'string' ? json.token : json.access_token;
        if (typeof token !== 'string' || !token) {
            throw new Error(`${what}: the token service ${tokenUrl.host} of ${ref.registry} answered without a token`);
        }
        return `Bearer ${token}`;
    }
    /**
     * One request, retried on a transient failure as the policy says. When retries run out, a
     * transient HTTP answer is returned (the caller turns it into an error) and a network error
     * is thrown.
     */
    async send(ref, what, url, init) {
        try {
            return await (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .withRetry */ .bD)(async () => {
                const response = await this.sendOnce(ref, what, url, init);
                const failure = (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .classifyStatus */ .xo)(response.status, response.headers.get('retry-after'));
                if (failure.kind !== 'transient')
                    return response;
                // Read now: the answer may be returned after the retries, with its error text.
                const text = await response.text().catch(() => '');
                const kept = new Response(response.status === 204 ? null : text, {
                    status: response.status,
                    statusText: response.statusText,
                    headers: response.headers,
                });
                throw new RetryableAnswer(kept, {
                    ...failure,
                    reason: `${ref.registry} answered ${failure.reason}`,
                });
            }, {
                policy: this.retry,
                what,
                classify: (error) => error instanceof RetryableAnswer
                    ? error.failure
                    : (error.failure ?? {
                        kind: 'permanent',
                        reason: String(error),
                    }),
                log: (line) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(line),
                sleep: this.sleep,
            });
        }
        catch (error) {
            if (error instanceof RetryableAnswer) {
                const note = (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .retryNoteOf */ .Mj)(error);
                if (note)
                    this.retryNotes.set(error.response, note);
                return error.response;
            }
            throw error;
        }
    }
    async sendOnce(ref, what, url, init, signal) {
        const timeout = AbortSignal.timeout(this.timeoutMs);
        try {
            return await this.fetch(url, {
                ...init,
                redirect: 'follow',
                signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
            });
        }
        catch (error) {
            const host = new URL(url).host;
            const failure = (0,_retry_js__WEBPACK_IMPORTED_MODULE_3__/* .classifyNetworkError */ .LW)(error);
            // fetch rejects with a DOMException (TimeoutError) on timeout: checked by name, not by class.
            const { name, message, cause } = (error ?? {});
            if (name === 'TimeoutError' || name === 'AbortError') {
                const limit = `${this.timeoutMs >= 1000 ? `${this.timeoutMs / 1000} s` : `${this.timeoutMs} ms`} (network-timeout)`;
                throw Object.assign(new Error(`${what}: ${host} did not answer within ${limit}`), {
                    failure: { ...failure, reason: `${host} did not answer within ${limit}` },
                });
            }
            const causeMessage = cause?.message;
            const reason = typeof causeMessage === 'string' ? causeMessage : String(message ?? error);
            throw Object.assign(new Error(`${what}: cannot reach ${ref.scheme}://${host} (${reason})`), {
                failure,
            });
        }
    }
    async failure(ref, what, response) {
        const text = response.status === 401 || response.status === 403
            ? ''
            : await response.text().catch(() => '');
        if (response.status === 401 || response.status === 403)
            await response.body?.cancel();
        const detail = registryErrors(text);
        const meaning = statusMeaning(ref.registry, response.status, this.credentials(ref.registry));
        const note = this.retryNotes.get(response);
        return new Error(`${what}: ${meaning} (HTTP ${response.status}${detail ? `: ${detail}` : ''}${note ? `; ${note}` : ''})`);
    }
}
function statusMeaning(registry, status, credentials) {
    if (status === 401 || status === 403) {
        return credentials
            ? `${registry} refused the credentials for "${credentials.username}"`
            : `no credentials were given for ${registry}; add it to registry-auth`;
    }
    if (status === 404)
        return `${registry} has no such manifest or repository`;
    return `${registry} answered an error`;
}
/** The `errors` of a registry's JSON error answer, shortened. */
function registryErrors(text) {
    try {
        const parsed = JSON.parse(text);
        if (Array.isArray(parsed.errors)) {
            return parsed.errors
                .map((e) => [e.code, e.message].filter((part) => typeof part === 'string' && part).join(' '))
                .filter(Boolean)
                .join('; ')
                .slice(0, 300);
        }
    }
    catch {
        // Not JSON: fall through to the plain text.
    }
    return text.trim().slice(0, 200);
}
function mediaTypeOf(contentType, body) {
    const type = (contentType ?? '').split(';')[0].trim();
    if (MANIFEST_TYPES.includes(type))
        return type;
    try {
        const parsed = JSON.parse(body.toString('utf8'));
        if (typeof parsed.mediaType === 'string')
            return parsed.mediaType;
    }
    catch {
        // A manifest is JSON; the registry's Content-Type is used when it is not.
    }
    return type || MANIFEST_TYPES[0];
}
function sha256(body) {
    return `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(body).digest('hex')}`;
}


/***/ }),

/***/ 6298:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jb: () => (/* binding */ retryPolicy),
/* harmony export */   LG: () => (/* binding */ registriesInBuildError),
/* harmony export */   LW: () => (/* binding */ classifyNetworkError),
/* harmony export */   Lf: () => (/* binding */ classifyBuildError),
/* harmony export */   Mj: () => (/* binding */ retryNoteOf),
/* harmony export */   PE: () => (/* binding */ NO_RETRY),
/* harmony export */   bD: () => (/* binding */ withRetry),
/* harmony export */   oF: () => (/* binding */ classifyText),
/* harmony export */   xo: () => (/* binding */ classifyStatus)
/* harmony export */ });
/* unused harmony exports DEFAULT_RETRY_POLICY, parseRetryAfter, retryDecision */
// When a registry operation is tried again, and after how long. Classification and delays are
// pure; withRetry is the one loop that sleeps, and takes its clock and sleep from the caller.
/** 3 retries after 1 s, 2 s and 4 s; Retry-After up to 30 s; nothing starts 60 s after the first failure. */
const DEFAULT_RETRY_POLICY = {
    retries: 3,
    baseDelayMs: 1000,
    maxDelayMs: 30_000,
    budgetMs: 60_000,
};
const NO_RETRY = { ...DEFAULT_RETRY_POLICY, retries: 0 };
/** The default policy with `retries` retries (the `retries` input). */
function retryPolicy(retries) {
    return { ...DEFAULT_RETRY_POLICY, retries };
}
const STATUS_TEXT = {
    401: 'Unauthorized',
    403: 'Forbidden',
    408: 'Request Timeout',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
};
/**
 * An HTTP status of a registry answer. 401/403 are auth failures (never retried: the same
 * credentials get the same answer); 408, 429 and 5xx other than 501/505 are transient. Pure.
 */
function classifyStatus(status, retryAfter, now = Date.now()) {
    const reason = `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
    if (status === 401 || status === 403)
        return { kind: 'auth', reason };
    const transient = status === 408 ||
        status === 429 ||
        (status >= 500 && status <= 599 && ![501, 505].includes(status));
    if (!transient)
        return { kind: 'permanent', reason };
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return retryAfterMs === undefined
        ? { kind: 'transient', reason }
        : { kind: 'transient', reason: `${reason}, Retry-After ${retryAfter?.trim()}`, retryAfterMs };
}
/** `Retry-After: 5` or `Retry-After: <HTTP date>`, in ms from `now`; undefined when absent or unreadable. Pure. */
function parseRetryAfter(value, now) {
    const text = value?.trim();
    if (!text)
        return undefined;
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    // Otherwise an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`), which has a month name.
    if (!/[a-z]{3}/i.test(text))
        return undefined;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
// Error codes of Node's network stack and undici that a second attempt may not see.
const TRANSIENT_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
/**
 * An exception of `fetch`: a timeout or a connection error (its `cause.code`) is transient,
 * anything else (a bad URL, a TLS certificate problem) is not. Pure.
 */
function classifyNetworkError(error) {
    const { name, message, cause } = (error ?? {});
    if (name === 'TimeoutError')
        return { kind: 'transient', reason: 'no answer in time' };
    const code = typeof cause?.code === 'string' ? cause.code : '';
    const text = typeof cause?.message === 'string'
        ? cause.message
        : typeof message === 'string'
            ? message
            : 'unknown network error';
    if (TRANSIENT_CODES.has(code))
        return { kind: 'transient', reason: text };
    return classifyText(text);
}
const AUTH_TEXT = /\b40[13] (Unauthorized|Forbidden)\b|\bunauthorized\b|\bforbidden\b|\bdenied\b|no basic auth credentials|authentication required|insufficient_scope|incorrect username or password|failed to authorize/i;
const TRANSIENT_TEXT = [
    /\b(500|502|503|504) (Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)\b/i,
    /\b(status(?: code)?:?|HTTP status:?)\s*(408|429|500|502|503|504)\b/i,
    /\b429 Too Many Requests\b|\btoomanyrequests\b/i,
    /connection refused|connection reset|broken pipe|i\/o timeout|TLS handshake timeout|timeout awaiting response headers|Client\.Timeout exceeded|unexpected EOF|: EOF\b|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|other side closed/i,
];
/**
 * Error text of docker (`docker login`, a registry error buildx passes on): the line that says
 * why, and whether it is an auth failure, a transient one or neither. Pure.
 */
function classifyText(text) {
    const lines = text
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
    const reasonOf = (pattern) => shorten(lines.find((line) => pattern.test(line)) ?? lines.at(-1) ?? text.trim());
    if (AUTH_TEXT.test(text))
        return { kind: 'auth', reason: reasonOf(AUTH_TEXT) };
    const transient = TRANSIENT_TEXT.find((pattern) => pattern.test(text));
    if (transient)
        return { kind: 'transient', reason: reasonOf(transient) };
    return { kind: 'permanent', reason: shorten(lines.at(-1) ?? '') };
}
/** buildx's own error lines (`ERROR: ...`, `#12 ERROR: ...`), not the output of the build's steps. */
const BUILDX_ERROR = /^(#\d+\s+)?(ERROR|error):?\s/;
/** A RUN step that ran and failed (docker driver, BuildKit): its output may say anything. */
const STEP_FAILED = /executor failed running|did not complete successfully/;
/**
 * The error of a failed `docker buildx build --push`: transient only when buildx itself reports
 * a registry or network failure (a push or a base image pull) and no build step failed, so a
 * rerun, from the cache, can succeed. A failed RUN step is never retried, whatever it printed. Pure.
 */
function classifyBuildError(text) {
    const errors = text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => BUILDX_ERROR.test(line))
        .map((line) => line.replace(/^#\d+\s+/, ''));
    if (errors.length === 0) {
        // Not buildx's error block: a push by other means (docker push of a tested image).
        if (/buildx build failed/.test(text) || STEP_FAILED.test(text)) {
            return { kind: 'permanent', reason: shorten(lastLine(text)) };
        }
        return classifyText(text);
    }
    if (errors.some((line) => STEP_FAILED.test(line))) {
        return { kind: 'permanent', reason: shorten(errors.at(-1) ?? '') };
    }
    return classifyText(errors.join('\n'));
}
/**
 * The registries (`host[:port]`) a buildx error is about: the image it was pushing
 * (` > pushing HOST/repo:tag with docker:`, `failed to push HOST/...`) and the registry URLs
 * in its error lines. Pure.
 */
function registriesInBuildError(text) {
    const found = [];
    const add = (host) => {
        if (host && !found.includes(host))
            found.push(host);
    };
    for (const match of text.matchAll(/>\s*pushing ([^\s/]+)\/\S+ with docker/g))
        add(match[1]);
    for (const match of text.matchAll(/failed to push ([^\s/]+)\/\S+/g))
        add(match[1]);
    for (const line of text.split('\n').filter((l) => BUILDX_ERROR.test(l.trim()))) {
        for (const match of line.matchAll(/https?:\/\/([^/"\s]+)\/v2\//g))
            add(match[1]);
    }
    return found;
}
/**
 * Whether retry number `retry` (1 for the first retry) may start after `failure`, and after
 * what wait: exponential backoff, at least the registry's Retry-After, within the policy's
 * count, single-wait limit and budget (`sinceFirstFailureMs`). `why` is '' when the count is
 * used up. Pure.
 */
function retryDecision(policy, retry, failure, sinceFirstFailureMs) {
    if (failure.kind !== 'transient') {
        return { retry: false, why: failure.kind === 'auth' ? 'refused' : 'not a transient failure' };
    }
    if (retry > policy.retries)
        return { retry: false, why: '' };
    if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxDelayMs) {
        return {
            retry: false,
            why: `the registry asked to wait ${seconds(failure.retryAfterMs)}, longer than ${seconds(policy.maxDelayMs)}`,
        };
    }
    const backoff = Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
    const delayMs = Math.max(backoff, failure.retryAfterMs ?? 0);
    if (sinceFirstFailureMs + delayMs > policy.budgetMs) {
        return {
            retry: false,
            why: `no retry starts more than ${seconds(policy.budgetMs)} after the first failure`,
        };
    }
    return { retry: true, delayMs };
}
/**
 * Runs `attempt` until it succeeds, or fails in a way or a number of times the policy does not
 * retry. Each retry is logged with its reason. The last error is rethrown; when there were
 * retries, its first line says how many.
 */
async function withRetry(attempt, options) {
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = options.now ?? Date.now;
    let firstFailure;
    for (let retry = 1;; retry++) {
        try {
            return await attempt();
        }
        catch (error) {
            const failure = options.classify(error);
            firstFailure ??= now();
            const decision = retryDecision(options.policy, retry, failure, now() - firstFailure);
            if (!decision.retry) {
                const note = giveUpNote(options.policy, retry - 1, failure, decision.why);
                throw note ? withNote(error, note) : error;
            }
            options.log(`${options.what}: ${failure.reason}; retry ${retry}/${options.policy.retries} in ${seconds(decision.delayMs)}`);
            await sleep(decision.delayMs);
        }
    }
}
/** What the error message says about the retries before it; '' when there is nothing to say. */
function giveUpNote(policy, retries, failure, why) {
    if (policy.retries === 0)
        return '';
    const count = plural(retries, 'retry', 'retries');
    if (failure.kind !== 'transient')
        return retries > 0 ? `after ${count}` : '';
    if (retries === 0)
        return why ? `not retried: ${why}` : '';
    return `gave up after ${count}${why ? `: ${why}` : ''}`;
}
/**
 * The error, its first line ending with a note on the retries (the rest, buildx's lines, kept).
 * The same object when it is an Error, so its class and fields stay; the note is also in
 * `retryNote`.
 */
function withNote(error, note) {
    const result = error instanceof Error ? error : new Error(String(error));
    const message = result.message;
    const newline = message.indexOf('\n');
    const first = newline < 0 ? message : message.slice(0, newline);
    const rest = newline < 0 ? '' : message.slice(newline);
    const colon = first.endsWith(':');
    const head = colon ? first.slice(0, -1) : first;
    // `failed (exit code 1):` becomes `failed (exit code 1; gave up after 3 retries):`.
    const noted = head.endsWith(')') ? `${head.slice(0, -1)}; ${note})` : `${head} (${note})`;
    result.message = `${noted}${colon ? ':' : ''}${rest}`;
    return Object.assign(result, { retryNote: note });
}
/** The note withRetry added to an error it gave up on, or ''. */
function retryNoteOf(error) {
    const note = error?.retryNote;
    return typeof note === 'string' ? note : '';
}
function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
}
function seconds(ms) {
    return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
function lastLine(text) {
    return (text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .at(-1) ?? '');
}
function shorten(line) {
    return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}


/***/ }),

/***/ 3942:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $X: () => (/* binding */ runTestContainer),
/* harmony export */   od: () => (/* binding */ removeContainer),
/* harmony export */   qY: () => (/* binding */ enginePlatform)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6058);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5781);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _test_gate_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3363);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(656);






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

/***/ 6803:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   v: () => (/* binding */ nodeFetch)
/* harmony export */ });
let loaded;
async function transports() {
    loaded ??= { 'http:': await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23)), 'https:': await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) };
    return loaded;
}
const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Response headers as fetch gives them: case-insensitive, repeated ones joined with `, `. */
class ResponseHeaders {
    map = new Map();
    constructor(raw) {
        for (const [name, value] of Object.entries(raw)) {
            if (value !== undefined)
                this.map.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
    }
    get(name) {
        return this.map.get(name.toLowerCase()) ?? null;
    }
    has(name) {
        return this.map.has(name.toLowerCase());
    }
    forEach(callback) {
        for (const [name, value] of this)
            callback(value, name);
    }
    entries() {
        return [...this.map.entries()].sort(([a], [b]) => a.localeCompare(b))[Symbol.iterator]();
    }
    [Symbol.iterator]() {
        return this.entries();
    }
}
class NodeResponse {
    message;
    url;
    redirected;
    noBody;
    ok;
    status;
    statusText;
    headers;
    type = 'basic';
    bodyUsed = false;
    content;
    constructor(message, url, redirected, signal, noBody) {
        this.message = message;
        this.url = url;
        this.redirected = redirected;
        this.noBody = noBody;
        this.status = message.statusCode ?? 0;
        this.ok = this.status >= 200 && this.status < 300;
        this.statusText = message.statusMessage ?? '';
        this.headers = new ResponseHeaders(message.headers);
        this.content = new Promise((resolve, reject) => {
            const chunks = [];
            message.on('data', (chunk) => chunks.push(chunk));
            message.on('end', () => resolve(Buffer.concat(chunks)));
            message.on('close', () => {
                if (message.complete)
                    return;
                reject(signal?.aborted ? aborted(signal) : new TypeError('terminated: the connection closed'));
            });
        });
        // Nobody may read a body (a HEAD, a cancelled one): its failure is not an unhandled rejection.
        this.content.catch(() => undefined);
    }
    /** The body is read once, as with fetch. */
    read() {
        if (this.bodyUsed)
            return Promise.reject(new TypeError('Body is unusable: already read'));
        this.bodyUsed = true;
        return this.content;
    }
    get body() {
        return {
            cancel: async () => {
                this.bodyUsed = true;
                // A small rest of the body (an error text, a HEAD answer) is read to the end, which keeps
                // the connection for the next request; a large one is dropped with its connection.
                const length = Number(this.message.headers['content-length'] ?? Infinity);
                if (this.message.complete || this.noBody || length <= 65_536) {
                    await this.content.catch(() => undefined);
                }
                else {
                    this.message.destroy();
                }
            },
        };
    }
    async arrayBuffer() {
        const bytes = await this.read();
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    }
    async bytes() {
        return new Uint8Array(await this.arrayBuffer());
    }
    async text() {
        return (await this.read()).toString('utf8');
    }
    async json() {
        return JSON.parse(await this.text());
    }
}
function requestHeaders(init) {
    const out = {};
    if (!init)
        return out;
    const pairs = Array.isArray(init) || Symbol.iterator in init
        ? init
        : Object.entries(init);
    for (const [name, value] of pairs)
        if (value !== undefined)
            out[name.toLowerCase()] = value;
    return out;
}
/** Why a signal aborted: its reason (a TimeoutError for AbortSignal.timeout), as fetch rejects. */
function aborted(signal) {
    const reason = signal?.reason;
    // By its name, not its class: an AbortSignal of another realm (a vm context) has other classes.
    return typeof reason?.name === 'string'
        ? reason
        : new DOMException('This operation was aborted', 'AbortError');
}
function bodyBytes(body) {
    if (body === null || body === undefined)
        return undefined;
    if (typeof body === 'string')
        return Buffer.from(body, 'utf8');
    if (body instanceof Uint8Array)
        return Buffer.from(body.buffer, body.byteOffset, body.length);
    if (body instanceof ArrayBuffer)
        return Buffer.from(body);
    throw new TypeError('nodeFetch: the body must be a string or bytes');
}
function send(modules, url, method, headers, body, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(aborted(signal));
        const transport = url.protocol === 'https:' || url.protocol === 'http:' ? modules[url.protocol] : null;
        if (!transport) {
            return reject(new TypeError('fetch failed', {
                cause: new Error(`${url.protocol} URLs are not supported`),
            }));
        }
        const request = transport.request(url, { method, headers });
        let answer;
        // Before the answer, an abort fails the request; after it, the body (as with fetch).
        const abort = () => {
            if (answer)
                answer.destroy();
            else {
                request.destroy();
                reject(aborted(signal));
            }
        };
        signal?.addEventListener('abort', abort, { once: true });
        request.on('response', (message) => {
            answer = message;
            message.on('close', () => signal?.removeEventListener('abort', abort));
            resolve(message);
        });
        request.on('error', (error) => {
            if (answer)
                return;
            signal?.removeEventListener('abort', abort);
            // fetch's form: a TypeError whose cause has the system error's code (ECONNREFUSED, ...).
            reject(signal?.aborted ? aborted(signal) : new TypeError('fetch failed', { cause: error }));
        });
        request.end(body);
    });
}
/**
 * `fetch` on node:http and node:https, for string and byte bodies (see the top of this file).
 * Network errors reject as fetch's do (a TypeError whose `cause` has the `code`), an abort with
 * the signal's reason (a TimeoutError for AbortSignal.timeout).
 */
const nodeFetch = (async (input, init = {}) => {
    const modules = await transports();
    if (typeof input !== 'string' && !(input instanceof URL)) {
        throw new TypeError('nodeFetch: the input must be a URL or a string');
    }
    let url = new URL(input);
    let method = (init.method ?? 'GET').toUpperCase();
    const headers = requestHeaders(init.headers);
    headers['user-agent'] ??= 'build-tag-push';
    let body = bodyBytes(init.body);
    const signal = init.signal ?? undefined;
    const redirect = init.redirect ?? 'follow';
    for (let redirects = 0;; redirects++) {
        if (body)
            headers['content-length'] = String(body.length);
        else if (['POST', 'PUT', 'PATCH'].includes(method))
            headers['content-length'] = '0';
        else
            delete headers['content-length'];
        const message = await send(modules, url, method, headers, body, signal);
        const location = message.headers.location;
        if (redirect === 'manual' || !REDIRECTS.has(message.statusCode ?? 0) || !location) {
            const noBody = method === 'HEAD' || [204, 304].includes(message.statusCode ?? 0);
            return new NodeResponse(message, url.href, redirects > 0, signal, noBody);
        }
        message.destroy();
        if (redirect === 'error' || redirects >= MAX_REDIRECTS) {
            throw new TypeError('fetch failed', {
                cause: new Error(redirect === 'error'
                    ? `redirected to ${location}`
                    : `more than ${MAX_REDIRECTS} redirects`),
            });
        }
        const next = new URL(location, url);
        // As fetch: 303, and 301/302 after a POST, go on as a GET without the body; credentials
        // are not sent to another origin.
        if (message.statusCode === 303 ||
            (method === 'POST' && message.statusCode !== 307 && message.statusCode !== 308)) {
            if (method !== 'HEAD')
                method = 'GET';
            body = undefined;
            delete headers['content-type'];
        }
        if (next.origin !== url.origin) {
            delete headers.authorization;
            delete headers.cookie;
            delete headers['proxy-authorization'];
        }
        url = next;
    }
});


/***/ }),

/***/ 3363:
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
