export const id = 661;
export const ids = [661];
export const modules = {

/***/ 70656:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   OA: () => (/* binding */ dropCredHelper),
/* harmony export */   Zn: () => (/* binding */ credentialsFromConfig),
/* harmony export */   gT: () => (/* binding */ dockerEnv),
/* harmony export */   lp: () => (/* binding */ createDockerConfig)
/* harmony export */ });
/* unused harmony exports userDockerConfigDir, authKey, isDockerHub */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
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

/***/ 54377:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XN: () => (/* binding */ resolveLogins),
/* harmony export */   iD: () => (/* binding */ login),
/* harmony export */   ri: () => (/* binding */ logout)
/* harmony export */ });
/* unused harmony export normalizeRegistry */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(75260);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _config_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70656);




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

/***/ 86661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(33838);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _docker_login_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(54377);
/* harmony import */ var _names_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(46455);




/** The post step: logs out and removes the action's credentials and temp files; warns, never fails. */
async function post() {
    const warnings = [];
    const dockerConfig = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_3__/* .State */ .U.dockerConfig);
    if (dockerConfig) {
        warnings.push(...(await (0,_docker_login_js__WEBPACK_IMPORTED_MODULE_2__/* .logout */ .ri)(dockerConfig, registries())));
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed the action's Docker config ${dockerConfig}`);
    }
    const tempDir = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_3__/* .State */ .U.tempDir);
    if (tempDir) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(tempDir, { recursive: true, force: true });
        }
        catch (error) {
            warnings.push(`could not remove ${tempDir}: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    for (const warning of warnings)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`cleanup: ${warning}`);
}
function registries() {
    try {
        const value = JSON.parse(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_names_js__WEBPACK_IMPORTED_MODULE_3__/* .State */ .U.registries) || '[]');
        return Array.isArray(value) ? value.filter((r) => typeof r === 'string') : [];
    }
    catch {
        return [];
    }
}


/***/ })

};
