export const id = 940;
export const ids = [940];
export const modules = {

/***/ 8111:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ INVALID_NAME_CHARACTERS),
/* harmony export */   t: () => (/* binding */ invalidNameCharacters)
/* harmony export */ });
// Artifact names, checked where the inputs are read (a bad name fails before anything is built)
// and again by the upload.
/** The characters the results service refuses in an artifact name. */
const INVALID_NAME_CHARACTERS = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];
/** The characters of an artifact name the service refuses; [] when the name is fine. Pure. */
function invalidNameCharacters(name) {
    return INVALID_NAME_CHARACTERS.filter((c) => name.includes(c));
}


/***/ }),

/***/ 8940:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var core = __webpack_require__(6058);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/context.ts

/** Reads the runner environment and the event payload into a Context. */
function getContext(env = process.env, now = new Date()) {
    return contextFrom(env, readPayload(env.GITHUB_EVENT_PATH), now);
}
/** Builds a Context from an environment and an already parsed payload (pure). */
function contextFrom(env, payload, now) {
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const pullRequest = readPullRequest(payload);
    let ref = env.GITHUB_REF ?? '';
    // pull_request_target runs on the base branch; the image is about the PR, as for pull_request.
    if (eventName === 'pull_request_target' && typeof payload.number === 'number') {
        ref = `refs/pull/${payload.number}/merge`;
    }
    let sha = env.GITHUB_SHA ?? '';
    if (/^true$/i.test(env.DOCKER_METADATA_PR_HEAD_SHA ?? '') &&
        eventName.startsWith('pull_request') &&
        pullRequest?.headSha) {
        sha = pullRequest.headSha;
    }
    return {
        eventName,
        ref,
        sha,
        payload,
        repository: readRepository(payload, env),
        commitDate: readCommitDate(payload) ?? now,
        runId: env.GITHUB_RUN_ID ?? '',
        runNumber: env.GITHUB_RUN_NUMBER ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        pullRequest,
    };
}
function readPayload(path) {
    if (!path)
        return {};
    let text;
    try {
        text = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        // The runner always writes the file; outside a runner a missing payload means "no event data".
        return {};
    }
    try {
        const parsed = JSON.parse(text);
        return isObject(parsed) ? parsed : {};
    }
    catch (error) {
        throw new Error(`GITHUB_EVENT_PATH: ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
}
function readRepository(payload, env) {
    const repo = isObject(payload.repository) ? payload.repository : {};
    const fullName = str(repo.full_name) || env.GITHUB_REPOSITORY || '';
    const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const license = isObject(repo.license) ? str(repo.license.spdx_id) : '';
    return {
        name: str(repo.name) || fullName.split('/')[1] || '',
        fullName,
        description: str(repo.description),
        htmlUrl: str(repo.html_url) || (fullName ? `${serverUrl}/${fullName}` : ''),
        license: license === 'NOASSERTION' ? '' : license,
        defaultBranch: str(repo.default_branch),
    };
}
function readPullRequest(payload) {
    const pr = payload.pull_request;
    if (!isObject(pr))
        return undefined;
    const head = isObject(pr.head) ? pr.head : {};
    const base = isObject(pr.base) ? pr.base : {};
    const headRepo = isObject(head.repo) ? str(head.repo.full_name) : '';
    const baseRepo = isObject(base.repo) ? str(base.repo.full_name) : '';
    return {
        number: typeof pr.number === 'number' ? pr.number : Number(payload.number ?? 0),
        headSha: str(head.sha),
        headRef: str(head.ref),
        baseRef: str(base.ref),
        fromFork: headRepo !== '' && baseRepo !== '' && headRepo !== baseRepo,
    };
}
function readCommitDate(payload) {
    const candidates = [];
    if (isObject(payload.head_commit))
        candidates.push(payload.head_commit.timestamp);
    if (Array.isArray(payload.commits) && payload.commits.length > 0) {
        const last = payload.commits[payload.commits.length - 1];
        if (isObject(last))
            candidates.push(last.timestamp);
    }
    for (const value of candidates) {
        if (typeof value !== 'string')
            continue;
        const date = new Date(value);
        if (!Number.isNaN(date.getTime()))
            return date;
    }
    return undefined;
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function str(value) {
    return typeof value === 'string' ? value : '';
}

// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(5781);
// EXTERNAL MODULE: ./src/docker/config.ts
var config = __webpack_require__(656);
;// CONCATENATED MODULE: ./src/docker/builder.ts


/** The `Driver:` of `docker buildx inspect` output; undefined when the line is empty. Pure. */
function parseBuilderDriver(output) {
    return /^Driver:[ \t]*(\S+)/m.exec(output)?.[1];
}
/**
 * When docker's output says that it cannot reach the Docker engine: the error, naming where it
 * looked (DOCKER_HOST, or the default socket when DOCKER_HOST is not set) and what to do.
 * Undefined otherwise. Pure.
 */
function engineUnreachable(output, dockerHost) {
    const match = /Cannot connect to the Docker daemon at ([^\s]+?)\.? Is the docker daemon running\?/.exec(output);
    if (!match)
        return undefined;
    const where = dockerHost
        ? `DOCKER_HOST=${dockerHost}`
        : `${match[1]} (DOCKER_HOST is not set; that is the default)`;
    return `the Docker engine does not answer at ${where}; start dockerd, or set DOCKER_HOST to the address of a running engine`;
}
/**
 * The driver of a builder (`docker`, `docker-container`, `remote`, `kubernetes`); an empty
 * name is the current builder. Fails naming the builder when buildx does not know it, and
 * naming DOCKER_HOST when the engine does not answer.
 * (The buildx version check and install are in buildx-install.ts: ensureBuildx.)
 */
async function builderDriver(dockerConfig, builder) {
    const env = (0,config/* dockerEnv */.gT)(dockerConfig);
    const result = await exec/* getExecOutput */.H('docker', ['buildx', 'inspect', ...(builder ? [builder] : [])], { env, silent: true, ignoreReturnCode: true });
    // buildx 0.13 exits 0 with an empty Driver and an `Error:` line when the engine is away.
    const unreachable = engineUnreachable(`${result.stdout}\n${result.stderr}`, env.DOCKER_HOST);
    if (unreachable && !builder)
        throw new Error(unreachable);
    const driver = result.exitCode === 0 ? parseBuilderDriver(result.stdout) : undefined;
    if (!driver) {
        const reason = result.stderr.trim().replace(/^ERROR:\s*/, '') ||
            /^Error:[ \t]*(.+)$/m.exec(result.stdout)?.[1] ||
            `exit code ${result.exitCode}`;
        throw new Error(builder
            ? `builder: "${builder}" cannot be used (${reason}); expected the name of a builder listed by docker buildx ls`
            : `docker buildx inspect failed (${reason})`);
    }
    return driver;
}

;// CONCATENATED MODULE: ./src/docker/build.ts





// Enough lines to hold buildx's error block (the failing step, its output and the Dockerfile excerpt).
const KEPT_LINES = 400;
const CONTEXT_LINES = 6;
const MAX_ERROR_LINES = 40;
/**
 * Runs `docker <args>` (from buildxArgs) with the action's DOCKER_CONFIG, output streamed to the
 * log. On failure the error carries buildx's own error lines. Reads the metadata file and iidfile.
 */
async function build(args, options) {
    const start = Date.now();
    const tail = [];
    const keep = (line) => {
        tail.push(line);
        if (tail.length > KEPT_LINES)
            tail.shift();
    };
    const exitCode = await exec/* exec */.m('docker', args, {
        env: (0,config/* dockerEnv */.gT)(options.dockerConfig),
        cwd: options.cwd,
        ignoreReturnCode: true,
        listeners: { errline: keep, stdline: keep },
    });
    const durationMs = Date.now() - start;
    if (exitCode !== 0) {
        // buildx is not probed before the build (a process on every run): a missing plugin shows here.
        if (tail.some(isMissingBuildx)) {
            const { requireBuildx } = await __webpack_require__.e(/* import() */ 723).then(__webpack_require__.bind(__webpack_require__, 723));
            requireBuildx(undefined, undefined); // throws what to do
        }
        // Not the build's fault: the engine is away, and the error says where the action looked.
        const unreachable = engineUnreachable(tail.join('\n'), process.env.DOCKER_HOST);
        if (unreachable)
            throw new Error(unreachable);
        const lines = errorLines(tail);
        throw new Error(`docker buildx build failed (exit code ${exitCode})${lines.length > 0 ? `:\n${lines.join('\n')}` : ''}`);
    }
    const metadata = readOptional(options.metadataFile);
    const parsed = parseMetadata(metadata);
    const imageId = readOptional(options.iidFile).trim() || parsed.configDigest;
    core/* debug */.Yz(`build metadata: ${metadata}`);
    return { digest: parsed.digest, imageId, metadata, durationMs };
}
/** Whether a line of docker's output says that it has no buildx plugin (docker 20 to 28). Pure. */
function isMissingBuildx(line) {
    return /'buildx' is not a docker command|unknown command: docker buildx\b/.test(line);
}
/** The digests in buildx's metadata file (`containerimage.digest`, `containerimage.config.digest`). Pure. */
function parseMetadata(text) {
    if (!text.trim())
        return { digest: '', configDigest: '' };
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error(`buildx wrote a metadata file that is not JSON: ${text.slice(0, 200)}`);
    }
    const record = typeof parsed === 'object' && parsed !== null ? parsed : {};
    const str = (key) => (typeof record[key] === 'string' ? record[key] : '');
    return {
        digest: str('containerimage.digest'),
        configDigest: str('containerimage.config.digest'),
    };
}
/**
 * buildx's own error lines from the end of its output: every `ERROR:`/`error:` line with a few
 * lines before it (the failing step and its output), not only the last line. Pure.
 */
function errorLines(output) {
    const isError = (line) => /(^|\s)(ERROR|error):/.test(line) || /^#\d+ ERROR\b/.test(line);
    const picked = new Set();
    output.forEach((line, index) => {
        if (!isError(line))
            return;
        for (let i = Math.max(0, index - CONTEXT_LINES); i <= index; i++)
            picked.add(i);
    });
    if (picked.size === 0) {
        // No marked line (an unusual failure): the last lines say the most.
        return output.filter((line) => line.trim() !== '').slice(-10);
    }
    const lines = [];
    let previous = -1;
    for (const i of [...picked].sort((a, b) => a - b)) {
        if (previous >= 0 && i > previous + 1)
            lines.push('...');
        previous = i;
        if (output[i].trim() !== '')
            lines.push(output[i]);
    }
    // The final lines hold the summary buildx prints last; keep those when there are too many.
    return lines.length > MAX_ERROR_LINES ? lines.slice(-MAX_ERROR_LINES) : lines;
}
function readOptional(path) {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}

;// CONCATENATED MODULE: ./src/docker/buildx-args.ts
/** The arguments of `docker` for the build (starting with `buildx build`). Pure. */
function buildxArgs(plan) {
    const args = ['buildx', 'build'];
    if (plan.builder)
        args.push('--builder', plan.builder);
    if (plan.file)
        args.push('--file', plan.file);
    if (plan.target)
        args.push('--target', plan.target);
    if (plan.platforms.length > 0)
        args.push('--platform', plan.platforms.join(','));
    for (const arg of plan.buildArgs)
        args.push('--build-arg', arg);
    for (const context of plan.buildContexts)
        args.push('--build-context', context);
    for (const source of plan.cacheFrom)
        args.push('--cache-from', source);
    for (const dest of plan.cacheTo)
        args.push('--cache-to', dest);
    if (plan.noCache)
        args.push('--no-cache');
    if (plan.pull)
        args.push('--pull');
    // `=` form: a value such as "false" or "mode=max" must stay one argument of the flag.
    if (plan.provenance)
        args.push(`--provenance=${plan.provenance}`);
    if (plan.sbom)
        args.push(`--sbom=${plan.sbom}`);
    for (const label of plan.labels)
        args.push('--label', label);
    for (const annotation of plan.annotations)
        args.push('--annotation', annotation);
    for (const tag of plan.tags)
        args.push('--tag', tag);
    for (const secret of plan.secrets)
        args.push('--secret', `id=${secret.id},src=${secret.src}`);
    for (const output of plan.outputs ?? [])
        args.push('--output', output);
    if (plan.push)
        args.push('--push');
    if (plan.load && !(plan.push && plan.driver === 'docker'))
        args.push('--load');
    args.push('--metadata-file', plan.metadataFile);
    args.push('--iidfile', plan.iidFile);
    args.push(plan.context || '.');
    return args;
}
const SECRET_NAME = /TOKEN|PASSWORD|SECRET|KEY/i;
/** Warnings for build arguments whose name looks like a credential (they end up in the image history). Pure. */
function buildArgWarnings(buildArgs) {
    return buildArgs
        .map((arg) => arg.split('=', 1)[0].trim())
        .filter((name) => SECRET_NAME.test(name))
        .map((name) => `build-args: ${name} looks like a credential; build arguments are stored in the image's history and visible to anyone who pulls it. Pass it with secrets (${name}=...) and read it in the Dockerfile with RUN --mount=type=secret,id=${name}`);
}

;// CONCATENATED MODULE: ./src/docker/secrets.ts



// buildx reads `--secret` as CSV: a comma or quote in the id would split or break the field.
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
/**
 * Writes every build secret to a 0600 file in `dir` (created 0700): the values of `secrets`,
 * and copies of the files named by `secret-files`. buildx gets only these paths, so no value
 * is ever on a command line or in a process environment. Delete `dir` with removeSecretFiles.
 */
function writeSecretFiles(secrets, secretFiles, dir) {
    const all = [
        ...secrets.map((s) => ({ ...s, input: 'secrets', fromFile: false })),
        ...secretFiles.map((s) => ({ ...s, input: 'secret-files', fromFile: true })),
    ];
    if (all.length === 0)
        return [];
    checkSecretIds(secrets, secretFiles);
    (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o700 });
    (0,external_node_fs_.chmodSync)(dir, 0o700);
    return all.map(({ id, value, input, fromFile }, index) => {
        // File names by position, not by id, so an id never becomes part of a path.
        const src = (0,external_node_path_.join)(dir, `secret-${index}`);
        if (fromFile) {
            try {
                (0,external_node_fs_.copyFileSync)(value, src);
            }
            catch (error) {
                const reason = error.code === 'ENOENT'
                    ? 'no such file'
                    : error.message;
                throw new Error(`${input}: cannot read the file "${value}" of secret "${id}" (${reason}); expected ID=PATH to a readable file`);
            }
            (0,external_node_fs_.chmodSync)(src, 0o600);
        }
        else {
            (0,external_node_fs_.writeFileSync)(src, value, { mode: 0o600 });
        }
        core/* debug */.Yz(`build secret ${id} (from ${input}) written to ${src}`);
        return { id, src };
    });
}
/**
 * Fails unless every secret id is one buildx can take and no id is given twice (`secrets` and
 * `secret-files` share ids). Ids are not secret: they are named in the error. Pure.
 */
function checkSecretIds(secrets, secretFiles) {
    const seen = new Set();
    const all = [
        ...secrets.map(({ id }) => ({ id, input: 'secrets' })),
        ...secretFiles.map(({ id }) => ({ id, input: 'secret-files' })),
    ];
    for (const { id, input } of all) {
        if (!SECRET_ID.test(id)) {
            throw new Error(`${input}: secret id "${id}" has characters buildx cannot take; expected letters, digits, ".", "_" or "-"`);
        }
        if (seen.has(id))
            throw new Error(`${input}: secret id "${id}" is given twice (secrets and secret-files share ids)`);
        seen.add(id);
    }
}
/** Deletes the secret files; never throws (called from cleanup paths). */
function removeSecretFiles(dir) {
    try {
        (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
        return [];
    }
    catch (error) {
        return [
            `could not remove the build secrets in ${dir}: ${error instanceof Error ? error.message : String(error)}`,
        ];
    }
}

;// CONCATENATED MODULE: ./src/docker/preflight.ts



/**
 * A build context that buildx fetches itself (a Git repository or a tarball URL), which is not
 * on the runner's disk. Pure.
 */
function isRemoteContext(context) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@[^:]+:/.test(context);
}
/**
 * The checks of the build inputs that need the file system, made before anything is logged in
 * or built: the build context is a directory, the Dockerfile (`file`, or `Dockerfile` in the
 * context) is a file, every `secret-files` path is a readable file, and the secret ids are ones
 * buildx can take. Each error names the input, the value and what is expected; a secret's value
 * is never named (its id is).
 */
function checkBuildSources(inputs, cwd = process.cwd()) {
    const context = inputs.context || '.';
    const remote = isRemoteContext(context);
    if (!remote) {
        const problem = notA('directory', (0,external_node_path_.resolve)(cwd, context));
        if (problem) {
            throw new Error(`context: "${context}" is not a directory (${problem}); expected the build context's directory, relative to the workspace ${cwd}, or a Git URL`);
        }
    }
    // buildx reads `--file` relative to the working directory; `-` is the standard input.
    if (inputs.file && inputs.file !== '-') {
        const problem = notA('file', (0,external_node_path_.resolve)(cwd, inputs.file));
        if (problem) {
            throw new Error(`file: "${inputs.file}" is not a file (${problem}); expected the Dockerfile's path, relative to the workspace ${cwd}`);
        }
    }
    else if (!inputs.file && !remote) {
        const dir = (0,external_node_path_.resolve)(cwd, context);
        if (notA('file', (0,external_node_path_.join)(dir, 'Dockerfile')) && notA('file', (0,external_node_path_.join)(dir, 'dockerfile'))) {
            throw new Error(`file: empty, and the context "${context}" has no Dockerfile; expected a Dockerfile in the context, or file set to the Dockerfile's path`);
        }
    }
    checkSecretIds(inputs.secrets, inputs.secretFiles);
    for (const { id, value } of inputs.secretFiles) {
        const path = (0,external_node_path_.resolve)(cwd, value);
        let problem = notA('file', path);
        if (!problem) {
            try {
                (0,external_node_fs_.accessSync)(path, external_node_fs_.constants.R_OK);
            }
            catch {
                problem = 'not readable';
            }
        }
        if (problem) {
            throw new Error(`secret-files: the file "${value}" of secret "${id}" cannot be read (${problem}); expected ID=PATH to a readable file`);
        }
    }
}
/** Why `path` is not a `kind`, or '' when it is one. */
function notA(kind, path) {
    let stat;
    try {
        stat = (0,external_node_fs_.statSync)(path);
    }
    catch (error) {
        const code = error.code;
        return code === 'ENOENT' || code === 'ENOTDIR'
            ? 'no such file or directory'
            : error.message;
    }
    if (kind === 'directory' && !stat.isDirectory())
        return 'it is a file';
    if (kind === 'file' && !stat.isFile())
        return stat.isDirectory() ? 'it is a directory' : 'not a regular file';
    return '';
}

// EXTERNAL MODULE: ./src/test-gate.ts
var test_gate = __webpack_require__(3363);
// EXTERNAL MODULE: ./src/docker/registry.ts
var docker_registry = __webpack_require__(8925);
// EXTERNAL MODULE: ./src/docker/test-run.ts
var test_run = __webpack_require__(3942);
;// CONCATENATED MODULE: ./src/docker/gate.ts







/** A test that failed (or a test stage that did not build): nothing may be pushed. */
class TestError extends Error {
    report;
    constructor(message, report) {
        super(message);
        this.report = report;
        this.name = 'TestError';
    }
}
/**
 * Builds the `test-target` stage and runs it, then builds the image and runs the `test` command
 * in it; throws a TestError at the first failure. Nothing is pushed here. With the `docker`
 * driver the image is built once, as asked, into the engine's image store (the tested image is
 * the one `docker push` sends); with other drivers it is built for the engine's platform and
 * loaded (`--load`), and the push rebuilds it from the cache (see pushByDigest).
 */
async function buildAndTest(inputs, options) {
    const { driver, dockerConfig, build } = options;
    const platform = await (0,test_run/* enginePlatform */.qY)(dockerConfig);
    const wanted = (0,test_gate/* testPlatform */.cw)(inputs.platforms, platform);
    const dockerDriver = driver === 'docker';
    if (!dockerDriver && inputs.noCache) {
        // The push rebuilds from the cache the tested build filled; without it the image differs.
        throw new Error(`no-cache: true cannot be used with test or test-target on the ${driver} driver: the push rebuilds the tested image from the build cache; set no-cache to false, or use the docker driver`);
    }
    const loadPlatforms = wanted ? [wanted] : [];
    const runs = [];
    const fail = (failure) => new TestError(`${failure}; nothing was pushed`, {
        result: 'failed',
        runs,
        configDigest: '',
        failure,
    });
    const run = async (kind, what, image) => {
        const entry = await runTest(inputs, options, kind, what, image, platform);
        runs.push(entry);
        if (entry.timedOut || entry.exitCode !== 0)
            throw fail((0,test_gate/* testFailure */.t)(entry, inputs.testTimeout));
    };
    if (inputs.testTarget) {
        let stage;
        try {
            // Same inputs, so the stage shares the build cache with the image; no labels, and no
            // cache export (it would replace the image's cache with the stage's).
            stage = await build({
                target: inputs.testTarget,
                tags: [],
                push: false,
                load: !dockerDriver,
                platforms: dockerDriver ? inputs.platforms : loadPlatforms,
                cacheTo: [],
                labels: [],
                annotations: [],
            }, `Build test stage "${inputs.testTarget}"`);
        }
        catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw fail(`test-target: building stage "${inputs.testTarget}" failed: ${reason}`);
        }
        await run('target', inputs.testTarget, stage.imageId);
    }
    const result = await build(dockerDriver
        ? { tags: options.tags, push: false, load: inputs.load }
        : { tags: options.tags, push: false, load: true, platforms: loadPlatforms, cacheTo: [] }, 'Build');
    const configDigest = parseMetadata(result.metadata).configDigest || result.imageId;
    if (!configDigest)
        throw new Error('buildx reported no image ID for the image to test');
    if (inputs.test)
        await run('command', inputs.test, result.imageId);
    core/* info */.pq(`tested image config ${configDigest}`);
    return {
        result,
        configDigest,
        platform,
        report: { result: 'passed', runs, configDigest, failure: '' },
    };
}
/** One test run in its log group: the `test-target` stage's own CMD, or the `test` command. */
async function runTest(inputs, options, kind, what, image, platform) {
    const title = kind === 'target' ? `Test: stage "${what}"` : `Test: ${what.split('\n')[0]}`;
    const outcome = await core/* group */.Os(title, async () => {
        core/* info */.pq(`testing image ${image} on ${platform}`);
        const result = await (0,test_run/* runTestContainer */.$X)({
            image,
            command: kind === 'command' ? what : undefined,
            env: inputs.testEnv,
            timeoutMs: inputs.testTimeoutMs,
            dockerConfig: options.dockerConfig,
            onName: options.onContainer,
        });
        core/* info */.pq(result.timedOut
            ? `stopped after ${inputs.testTimeout}: timed out`
            : `exit code ${result.exitCode ?? 'none'} after ${(result.durationMs / 1000).toFixed(1)} s`);
        return result;
    });
    if (outcome.leftOver)
        core/* warning */.$e(outcome.leftOver);
    const { exitCode, durationMs, timedOut } = outcome;
    return { kind, what, image, exitCode, durationMs, timedOut };
}
/**
 * Pulls a reused image (`image@digest`) into the engine for the `test` command (and `load`).
 * Returns its image ID (config digest).
 */
async function pullImage(ref, dockerConfig) {
    const env = (0,config/* dockerEnv */.gT)(dockerConfig);
    return core/* group */.Os(`Pull ${ref}`, async () => {
        const pull = await exec/* getExecOutput */.H('docker', ['pull', ref], { env, ignoreReturnCode: true });
        if (pull.exitCode !== 0) {
            const detail = pull.stderr.trim().split('\n').slice(-5).join('\n');
            throw new Error(`docker pull ${ref} failed (exit code ${pull.exitCode}): ${detail}`);
        }
        const inspect = await exec/* getExecOutput */.H('docker', ['image', 'inspect', '--format', '{{.Id}}', ref], { env, silent: true, ignoreReturnCode: true });
        const id = inspect.stdout.trim();
        if (inspect.exitCode !== 0 || !id)
            throw new Error(`docker image inspect ${ref} failed`);
        return id;
    });
}
/**
 * The test gate of a reused image: the `test` command runs in the pulled image (by its
 * `image@digest` reference, the image the tags will point to). `test-target` is not rebuilt:
 * it ran when the image was built. Throws a TestError when the test fails.
 */
async function testReusedImage(inputs, ref, imageId, options) {
    if (inputs.testTarget) {
        core/* info */.pq(`test-target "${inputs.testTarget}" is not rebuilt for a reused image: it ran when the image was built`);
    }
    if (!inputs.test)
        return { result: 'skipped', runs: [], configDigest: imageId, failure: '' };
    const platform = await (0,test_run/* enginePlatform */.qY)(options.dockerConfig);
    const entry = await runTest(inputs, options, 'command', inputs.test, ref, platform);
    const runs = [entry];
    if (entry.timedOut || entry.exitCode !== 0) {
        const failure = (0,test_gate/* testFailure */.t)(entry, inputs.testTimeout);
        throw new TestError(`${failure}; no tag was added`, {
            result: 'failed',
            runs,
            configDigest: imageId,
            failure,
        });
    }
    return { result: 'passed', runs, configDigest: imageId, failure: '' };
}
/**
 * The `docker` driver: pushes the tested image itself (by its ID) under `refs` with
 * `docker push`, which is what `buildx build --push` does on this driver, then checks the
 * config digest the registry holds. Returns the manifest digest.
 */
async function pushTestedImage(tested, refs, dockerConfig, registry) {
    const env = (0,config/* dockerEnv */.gT)(dockerConfig);
    let digest = '';
    await core/* group */.Os('Push the tested image', async () => {
        for (const ref of refs) {
            // Re-pointed at the tested ID: another build on the engine may have taken the name since.
            const tag = await exec/* getExecOutput */.H('docker', ['tag', tested.result.imageId, ref], {
                env,
                silent: true,
                ignoreReturnCode: true,
            });
            if (tag.exitCode !== 0)
                throw new Error(`docker tag ${tested.result.imageId} ${ref} failed: ${tag.stderr.trim()}`);
            const push = await exec/* getExecOutput */.H('docker', ['push', ref], {
                env,
                ignoreReturnCode: true,
            });
            if (push.exitCode !== 0) {
                const detail = push.stderr.trim().split('\n').slice(-5).join('\n');
                throw new Error(`docker push ${ref} failed (exit code ${push.exitCode}): ${detail}`);
            }
            const pushed = (0,test_gate/* pushedDigest */.Mn)(push.stdout);
            if (!pushed)
                throw new Error(`docker push ${ref} printed no digest`);
            if (digest && pushed !== digest) {
                throw new Error(`docker push ${ref} gave ${pushed}, where the first tag got ${digest}`);
            }
            digest = pushed;
        }
    });
    for (const image of imagesOf(refs))
        await checkConfig(registry, image, digest, tested);
    return digest;
}
/**
 * Other drivers: rebuilds with the same inputs (all platforms, from the cache the tested build
 * filled) and pushes to every image by digest only, without a tag. The pushed config digest of
 * the tested platform must be the tested one; only then are `refs` tagged, by manifest copy. A
 * rebuild that differs fails here and no tag points at it. Returns the manifest digest and build.
 */
async function pushByDigest(tested, refs, build, registry) {
    const images = imagesOf(refs);
    const result = await build({ tags: [], push: false, load: false, outputs: [(0,test_gate/* digestOutput */.g1)(images)] }, 'Build and push by digest');
    const digest = result.digest;
    if (!digest)
        throw new Error('buildx reported no digest for the image pushed by digest');
    const manifests = new Map();
    for (const image of images) {
        await checkConfig(registry, image, digest, tested);
        manifests.set(image, await registry.getManifest(image, digest));
    }
    for (const ref of refs) {
        const image = imageOf(ref);
        await registry.putManifest(image, ref.slice(image.length + 1), manifests.get(image));
        core/* info */.pq(`tagged ${ref}`);
    }
    return { digest, result };
}
/** Fails unless `image@digest`, for the tested platform, has the tested config digest. */
async function checkConfig(registry, image, digest, tested) {
    let manifest = await registry.getManifest(image, digest);
    let found = (0,test_gate/* manifestConfig */.Wz)(manifest.body, tested.platform);
    if ('manifest' in found) {
        manifest = await registry.getManifest(image, found.manifest);
        found = (0,test_gate/* manifestConfig */.Wz)(manifest.body, tested.platform);
    }
    if (!('config' in found))
        throw new Error(`${image}@${digest}: no image config found`);
    if (found.config !== tested.configDigest) {
        throw new Error(`${image}@${digest} has the image config ${found.config}, not the tested ${tested.configDigest}: the pushed image is not the tested one`);
    }
    core/* info */.pq(`${image}@${digest} has the tested image config ${found.config}`);
}
/** `ghcr.io/acme/app:1.2.3` -> `ghcr.io/acme/app`. */
function imageOf(ref) {
    const slash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    return colon > slash ? ref.slice(0, colon) : ref;
}
function imagesOf(refs) {
    const images = [];
    for (const ref of refs) {
        const image = imageOf(ref);
        // Validated here so a bad name fails before anything is pushed.
        (0,docker_registry/* parseReference */.F2)(image);
        if (!images.includes(image))
            images.push(image);
    }
    return images;
}

// EXTERNAL MODULE: ./src/docker/login.ts
var login = __webpack_require__(4377);
;// CONCATENATED MODULE: ./src/docker/promote.ts
// Promotion: an image already in a registry gets new tags without a build and without pulling
// its layers. Within a repository a tag is a manifest PUT (the same bytes, so the same digest);
// another repository first gets the image's blobs (mounted when it is on the same registry,
// else copied) and, for an index, its child manifests.


/** The blobs and child manifests a manifest refers to. Pure. */
function manifestReferences(manifest) {
    let doc;
    try {
        doc = JSON.parse(manifest.body.toString('utf8'));
    }
    catch {
        throw new Error(`the manifest ${manifest.digest} is not JSON`);
    }
    const children = (doc.manifests ?? []).map((d) => d.digest).filter(Boolean);
    // Foreign layers (with `urls`) are not stored in the registry and are not copied.
    const blobs = [doc.config, ...(doc.layers ?? []), ...(doc.blobs ?? [])]
        .filter((d) => Boolean(d?.digest) && !(d?.urls && d.urls.length > 0))
        .map((d) => d.digest);
    return { blobs: [...new Set(blobs)], children: [...new Set(children)] };
}
function sameRepository(a, b) {
    const x = (0,docker_registry/* parseReference */.F2)(a);
    const y = (0,docker_registry/* parseReference */.F2)(b);
    return x.apiHost === y.apiHost && x.repository === y.repository;
}
/**
 * Makes `digest` of `from` present in `to` and returns its manifest: child manifests first (for
 * an index), each after its blobs, so the registry never holds a manifest whose parts are
 * missing. A blob is mounted when both repositories are on one registry, else downloaded and
 * uploaded (one blob in memory at a time). Nothing is tagged here.
 */
async function copyImage(registry, from, to, digest) {
    const manifest = await registry.getManifest(from, digest);
    if (sameRepository(from, to))
        return manifest;
    const sameRegistry = (0,docker_registry/* parseReference */.F2)(from).apiHost === (0,docker_registry/* parseReference */.F2)(to).apiHost;
    const stats = { mounted: 0, copied: 0, present: 0, bytes: 0 };
    const copy = async (current, top) => {
        if (!top && (await registry.manifestDigest(to, current.digest)) === current.digest)
            return;
        const { blobs, children } = manifestReferences(current);
        for (const child of children)
            await copy(await registry.getManifest(from, child), false);
        for (const blob of blobs) {
            if (await registry.blobExists(to, blob)) {
                stats.present++;
                continue;
            }
            if (sameRegistry && (await registry.mountBlob(to, blob, from))) {
                stats.mounted++;
                continue;
            }
            const content = await registry.getBlob(from, blob);
            await registry.putBlob(to, blob, content);
            stats.copied++;
            stats.bytes += content.length;
        }
        // The top manifest is stored by the tag PUTs that follow; child manifests by digest.
        if (!top)
            await registry.putManifest(to, current.digest, current);
    };
    await copy(manifest, true);
    core/* info */.pq(`${to}: blobs of ${digest}: ${stats.present} present, ${stats.mounted} mounted from ${from}, ${stats.copied} copied (${stats.bytes} bytes)`);
    return manifest;
}
/** `host/repo:tag` -> [`host/repo`, `tag`]. Pure. */
function splitTagRef(ref) {
    const slash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    if (colon <= slash)
        throw new Error(`"${ref}" has no tag`);
    return [ref.slice(0, colon), ref.slice(colon + 1)];
}
/**
 * The `build` step of a push (see runPushSteps) for a promotion: `digest`, found in `source`,
 * is copied to every image of `refs` that lacks it and stored under each of `refs` by manifest
 * PUT. Returns the digest; the push steps verify every tag against it.
 */
function promoteStep(registry, source, digest) {
    const manifests = new Map();
    return async (refs) => {
        for (const ref of refs) {
            const [image, tag] = splitTagRef(ref);
            let manifest = manifests.get(image);
            if (!manifest) {
                manifest = await copyImage(registry, source, image, digest);
                manifests.set(image, manifest);
            }
            await registry.putManifest(image, tag, manifest);
            core/* info */.pq(`tagged ${ref} (promoted ${digest})`);
        }
        return digest;
    };
}

// EXTERNAL MODULE: ./src/docker/retry.ts
var docker_retry = __webpack_require__(6298);
;// CONCATENATED MODULE: ./src/docker/push.ts



function refName(ref) {
    return `${ref.image}:${ref.tag}`;
}
/**
 * The ordered push steps. The build pushes the immutable tags (full version, sha) of every
 * image; they are verified; only then are the moving tags (latest, major, branch...) copied and
 * verified. An image without any immutable tag has its first tag pushed by the build, since a
 * manifest copy needs the image's blobs in that repository already. Pure.
 */
function pushSteps(images) {
    const built = [];
    const copied = [];
    for (const { image, tags } of images) {
        const seen = new Set();
        const refs = tags
            .filter((t) => !seen.has(t.name) && seen.add(t.name))
            .map((t) => ({ image, tag: t.name, moving: t.moving }));
        if (refs.length === 0)
            continue;
        const immutable = refs.filter((r) => !r.moving);
        const first = immutable.length > 0 ? immutable : [refs[0]];
        built.push(...first);
        copied.push(...refs.filter((r) => !first.includes(r)));
    }
    if (built.length === 0)
        return [];
    const steps = [
        { kind: 'build', refs: built },
        { kind: 'verify', refs: built },
    ];
    if (copied.length > 0)
        steps.push({ kind: 'copy', refs: copied }, { kind: 'verify', refs: copied });
    return steps;
}
/** The full references the build step pushes (the `--tag` values of the build). Pure. */
function buildTags(steps) {
    return steps.filter((s) => s.kind === 'build').flatMap((s) => s.refs.map(refName));
}
/** A push that stopped part way; `report` says which tags made it, `reason` why it stopped. */
class PushError extends Error {
    reason;
    report;
    constructor(reason, report) {
        super(`${reason}\n${describePush(report)}`);
        this.reason = reason;
        this.report = report;
        this.name = 'PushError';
    }
}
/**
 * Runs the steps in order and stops at the first failure, throwing a PushError whose message
 * has the cause and, per image, the tags pushed and not pushed. Nothing after a failed step
 * runs, so no moving tag is touched when the build or a verification failed.
 */
async function runPushSteps(steps, runner, options = {}) {
    const status = new Map();
    const all = steps.flatMap((s) => (s.kind === 'build' || s.kind === 'copy' ? s.refs : []));
    for (const ref of all)
        status.set(refName(ref), 'pending');
    let digest = '';
    const manifests = new Map();
    const report = () => pushReport(all, status, digest);
    let current;
    try {
        for (const [index, step] of steps.entries()) {
            current = step;
            if (step.kind === 'build') {
                const refs = step.refs.map(refName);
                digest = await (0,docker_retry/* withRetry */.bD)(() => runner.build(refs), {
                    policy: options.retry ?? docker_retry/* NO_RETRY */.PE,
                    what: 'the push of the build',
                    classify: (error) => (0,docker_retry/* classifyBuildError */.Lf)(error instanceof Error ? error.message : String(error)),
                    log: (line) => core/* info */.pq(line),
                    sleep: options.sleep,
                });
                for (const ref of step.refs)
                    status.set(refName(ref), 'pushed');
                if (!digest) {
                    // buildx always reports one when it pushes; without it the first tag's digest is the reference.
                    const first = step.refs[0];
                    digest = (await runner.registry.manifestDigest(first.image, first.tag)) ?? '';
                    if (!digest)
                        throw new Error(`${refName(first)} is not in the registry after the build pushed it`);
                    core/* debug */.Yz(`buildx reported no digest; using ${digest} of ${refName(first)}`);
                }
            }
            else if (step.kind === 'verify') {
                // The manifest a following copy step needs is read now, beside this verification: a
                // read of the built digest, which moves no tag.
                const next = steps[index + 1];
                if (next?.kind === 'copy')
                    readManifests(next.refs, digest, runner, manifests);
                // The tags of a step are independent: they are read at once, reported in order.
                const found = await Promise.allSettled(step.refs.map((ref) => runner.registry.manifestDigest(ref.image, ref.tag)));
                const problems = [];
                step.refs.forEach((ref, i) => {
                    const result = found[i];
                    if (result.status === 'fulfilled' && result.value === digest) {
                        status.set(refName(ref), 'verified');
                        core/* info */.pq(`verified ${refName(ref)}@${digest}`);
                    }
                    else if (result.status === 'fulfilled') {
                        problems.push(result.value
                            ? `${refName(ref)} points to ${result.value}, not to the built ${digest}`
                            : `${refName(ref)} is missing`);
                    }
                });
                throwFirstRejection(found);
                if (problems.length > 0)
                    throw new Error(`verification failed: ${problems.join('; ')}`);
            }
            else {
                // Every tag of a copy step is a moving one, so their order does not matter: each
                // image's manifest is read once, then its tags are written at once.
                readManifests(step.refs, digest, runner, manifests);
                const read = new Map();
                for (const [image, manifest] of manifests)
                    read.set(image, await manifest);
                const tagged = await Promise.allSettled(step.refs.map((ref) => runner.registry.putManifest(ref.image, ref.tag, read.get(ref.image))));
                step.refs.forEach((ref, i) => {
                    if (tagged[i].status !== 'fulfilled')
                        return;
                    status.set(refName(ref), 'pushed');
                    core/* info */.pq(`tagged ${refName(ref)}`);
                });
                throwFirstRejection(tagged);
            }
        }
    }
    catch (error) {
        let cause = error instanceof Error ? error.message : String(error);
        if (current?.kind === 'build' && !digest) {
            const refused = refusedRegistries(cause, current.refs, options.credentials);
            if (refused)
                cause = `${refused}\n${cause}`;
            await afterFailedBuild(current.refs, status, runner);
        }
        throw new PushError(cause, report());
    }
    return report();
}
/** Starts reading the built manifest of each image of `refs` not read yet (once per image). */
function readManifests(refs, digest, runner, manifests) {
    for (const { image } of refs) {
        if (manifests.has(image))
            continue;
        const manifest = runner.registry.getManifest(image, digest);
        // Awaited by the copy step; a failure before then is not an unhandled rejection.
        manifest.catch(() => undefined);
        manifests.set(image, manifest);
    }
}
function throwFirstRejection(results) {
    for (const result of results)
        if (result.status === 'rejected')
            throw result.reason;
}
/**
 * A build that failed while pushing may have pushed some of its tags: those found in the
 * registry (or that cannot be read) are reported as unverified, the missing ones as not pushed.
 */
async function afterFailedBuild(refs, status, runner) {
    // A registry that cannot be read once (down, refusing) is not asked again for each tag.
    const unreadable = new Set();
    for (const ref of refs) {
        const registry = registryOf(ref.image);
        if (unreadable.has(registry)) {
            status.set(refName(ref), 'unknown');
            continue;
        }
        try {
            if ((await runner.registry.manifestDigest(ref.image, ref.tag)) !== undefined)
                status.set(refName(ref), 'pushed');
        }
        catch (error) {
            unreadable.add(registry);
            status.set(refName(ref), 'unknown');
            core/* debug */.Yz(`after the failed build, ${refName(ref)} could not be read: ${String(error)}`);
        }
    }
}
/**
 * When buildx's error is an auth failure: one line per registry it names (or, when it names
 * none, per registry of the push the action has no credentials for) saying whether the action
 * had credentials for it. '' when the error is not an auth failure. Pure but for the lookup.
 */
function refusedRegistries(buildError, refs, credentials) {
    if ((0,docker_retry/* classifyBuildError */.Lf)(buildError).kind !== 'auth')
        return '';
    const lookup = credentials ?? (() => undefined);
    const pushed = [...new Set(refs.map((ref) => registryOf(ref.image)))];
    const named = (0,docker_retry/* registriesInBuildError */.LG)(buildError).filter((r) => pushed.includes(r));
    const candidates = named.length > 0 ? named : pushed.filter((r) => !lookup(r));
    return candidates
        .map((registry) => {
        const found = lookup(registry);
        return found
            ? `${registry} refused the push with the credentials of "${found.username}" (wrong password or token, or no push permission on the repository)`
            : `no credentials were given for ${registry}; add it to registry-auth`;
    })
        .join('\n');
}
function registryOf(image) {
    try {
        return (0,docker_registry/* parseReference */.F2)(image).registry;
    }
    catch {
        return image.split('/')[0];
    }
}
function pushReport(refs, status, digest) {
    const images = [];
    for (const ref of refs) {
        let entry = images.find((i) => i.image === ref.image);
        if (!entry) {
            entry = { image: ref.image, pushed: [], unverified: [], notPushed: [] };
            images.push(entry);
        }
        const state = status.get(refName(ref));
        let list = entry.notPushed;
        if (state === 'verified')
            list = entry.pushed;
        else if (state === 'pushed')
            list = entry.unverified;
        else if (state === 'unknown')
            list = entry.unknown ??= [];
        if (!list.includes(ref.tag))
            list.push(ref.tag);
    }
    return { digest, images };
}
/** One line per image: which tags were pushed and which not. Pure. */
function describePush(report) {
    return report.images
        .map((i) => {
        const parts = [
            `pushed ${i.pushed.join(', ') || 'nothing'}`,
            ...(i.unverified.length > 0
                ? [`in the registry, not verified ${i.unverified.join(', ')}`]
                : []),
            ...(i.unknown?.length
                ? [`unknown (the registry could not be read) ${i.unknown.join(', ')}`]
                : []),
            ...(i.notPushed.length > 0 ? [`not pushed ${i.notPushed.join(', ')}`] : []),
        ];
        return `${i.image}: ${parts.join('; ')}`;
    })
        .join('\n');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/@balena/dockerignore/ignore.js
var ignore = __webpack_require__(4158);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
;// CONCATENATED MODULE: ./src/fingerprint/context.ts
// The digest of the files a build can see in a context directory. Each file is named by its
// git blob ID: taken from git's index where the context is in a git work tree and the file is
// unchanged there (no read needed), else computed from the file (`blob <size>\0<content>`, as
// `git hash-object` does). Both give the same ID, so the digest does not depend on how a
// checkout was made; only on the paths, modes and contents the build sees.






const execFileAsync = (0,external_node_util_.promisify)(external_node_child_process_.execFile);
/**
 * Walks `dir` as the build context it is: entries excluded by the .dockerignore patterns are
 * left out (an excluded directory is still walked when a `!` pattern may re-include something
 * below it), `.git` is always left out (it differs between checkouts of the same commit).
 */
async function contextDigest(dir, options = {}) {
    const patterns = options.ignorePatterns ?? [];
    // A CommonJS module: its factory is also its `default`, which is what the types describe.
    const matcher = ignore_default()["default"]().add(patterns);
    const reincludes = patterns.some((p) => p.trim().startsWith('!'));
    const git = await gitEntries(dir);
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let files = 0;
    let fromGit = 0;
    const walk = (relDir) => {
        const entries = (0,external_node_fs_.readdirSync)(relDir ? (0,external_node_path_.join)(dir, relDir) : dir, { withFileTypes: true });
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
            if (rel === '.git')
                continue;
            const excluded = patterns.length > 0 && matcher.ignores(rel);
            if (entry.isDirectory()) {
                if (excluded && !reincludes)
                    continue;
                if (!excluded)
                    hash.update(`040000 - ${rel}\0`);
                walk(rel);
                continue;
            }
            if (excluded)
                continue;
            const known = git?.get(rel);
            const item = known ?? fileEntry((0,external_node_path_.join)(dir, rel), entry);
            if (!item)
                continue;
            if (known)
                fromGit++;
            files++;
            hash.update(`${item.mode} ${item.id} ${rel}\0`);
        }
    };
    walk('');
    return { digest: hash.digest('hex'), files, fromGit };
}
/** The lines of the .dockerignore that applies: `<Dockerfile>.dockerignore`, else the context's. */
function dockerignorePatterns(context, dockerfile) {
    for (const file of [`${dockerfile}.dockerignore`, (0,external_node_path_.join)(context, '.dockerignore')]) {
        if ((0,external_node_fs_.existsSync)(file))
            return (0,external_node_fs_.readFileSync)(file, 'utf8').split(/\r?\n/);
    }
    return [];
}
/** A file or symbolic link's git mode and blob ID, computed; undefined for sockets, FIFOs... */
function fileEntry(path, entry) {
    if (entry.isSymbolicLink()) {
        return { mode: '120000', id: blobId(Buffer.from((0,external_node_fs_.readlinkSync)(path))) };
    }
    if (!entry.isFile())
        return undefined;
    const stat = (0,external_node_fs_.lstatSync)(path);
    const mode = stat.mode & 0o100 ? '100755' : '100644';
    return { mode, id: fileBlobId(path, stat.size) };
}
const CHUNK = 1 << 20;
/** `git hash-object` of a file, read in chunks when it is large. */
function fileBlobId(path, size) {
    if (size <= CHUNK)
        return blobId((0,external_node_fs_.readFileSync)(path));
    const hash = (0,external_node_crypto_.createHash)('sha1').update(`blob ${size}\0`);
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    try {
        const buffer = Buffer.allocUnsafe(CHUNK);
        let read;
        while ((read = (0,external_node_fs_.readSync)(fd, buffer, 0, CHUNK, null)) > 0)
            hash.update(buffer.subarray(0, read));
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
    return hash.digest('hex');
}
/** `git hash-object` of some bytes. Pure. */
function blobId(content) {
    const hash = (0,external_node_crypto_.createHash)('sha1');
    return hash.update(`blob ${content.length}\0`).update(content).digest('hex');
}
/**
 * Blob IDs of the files in git's index below `dir` (paths relative to it) that are unchanged in
 * the work tree; undefined when `dir` is not in a git work tree or git cannot be run. A file
 * not listed here is hashed from its content.
 */
async function gitEntries(dir) {
    const git = (args) => execFileAsync('git', ['-C', dir, ...args], {
        maxBuffer: 1 << 30,
        // No index write (git status would refresh it): the user's checkout is left as it was.
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
    }).then((r) => r.stdout);
    let prefix;
    try {
        prefix = (await git(['rev-parse', '--show-prefix'])).trim();
    }
    catch {
        return undefined;
    }
    try {
        const [listed, status] = await Promise.all([
            git(['ls-files', '--stage', '-z']),
            git(['status', '--porcelain=v1', '-z', '--untracked-files=no', '--no-renames', '--', '.']),
        ]);
        const changed = new Set();
        for (const record of status.split('\0')) {
            // `XY path`, the path relative to the top of the work tree.
            if (record.length > 3)
                changed.add(record.slice(3));
        }
        const entries = new Map();
        for (const record of listed.split('\0')) {
            // `<mode> <id> <stage>\t<path>`, the path relative to `dir`.
            const tab = record.indexOf('\t');
            if (tab < 0)
                continue;
            const [mode, id, stage] = record.slice(0, tab).split(' ');
            const path = record.slice(tab + 1);
            // Submodules (160000) are walked and hashed as the files they are in the work tree.
            if (stage !== '0' || mode === '160000' || changed.has(prefix + path))
                continue;
            entries.set(path, { mode, id });
        }
        return entries;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/fingerprint/dockerfile.ts
// The images a Dockerfile builds on, read from its text: FROM lines with their ARG-substituted
// names, COPY --from and RUN --mount from= of images, minus build stages, `scratch` and names
// that a build context replaces. Pure; the registry lookups are in src/fingerprint/index.ts.
/**
 * Splits a Dockerfile into instructions as BuildKit's parser does: the `escape` parser
 * directive, line continuations, comment lines (also inside a continuation) and heredocs
 * (`RUN <<EOF ... EOF`, whose body is not instructions). Pure.
 */
function instructions(text) {
    const lines = text.split(/\r?\n/);
    let escape = '\\';
    let i = 0;
    // Parser directives: `# key=value` lines at the very top.
    for (; i < lines.length; i++) {
        const directive = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
        if (!directive)
            break;
        if (directive[1].toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\'))
            escape = directive[2];
    }
    const result = [];
    while (i < lines.length) {
        let line = lines[i++];
        if (/^\s*(#|$)/.test(line))
            continue;
        let joined = '';
        while (line.trimEnd().endsWith(escape)) {
            joined += line.trimEnd().slice(0, -1);
            // Comment and empty lines inside a continuation are dropped.
            while (i < lines.length && /^\s*(#|$)/.test(lines[i]))
                i++;
            if (i >= lines.length) {
                line = '';
                break;
            }
            line = lines[i++];
        }
        joined += line;
        const match = /^\s*(\S+)\s*(.*)$/.exec(joined);
        if (!match)
            continue;
        const keyword = match[1].toUpperCase();
        const args = match[2].trim();
        result.push({ keyword, args });
        if (['RUN', 'COPY', 'ADD'].includes(keyword)) {
            // Heredoc bodies, one after the other: `<<EOF`, `<<-"EOF"`, `<<'EOF'`.
            for (const [, word] of args.matchAll(/<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/g)) {
                while (i < lines.length && lines[i].replace(/^\t+/, '') !== word)
                    i++;
                i++;
            }
        }
    }
    return result;
}
/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
 * `${NAME+alt}` as the Dockerfile frontend does; an unknown name is empty. Pure.
 */
function substitute(text, vars) {
    return text.replace(/\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced, op, word, bare) => {
        if (whole === '\\$')
            return '$';
        const name = braced ?? bare ?? '';
        const set = vars.has(name);
        const value = vars.get(name) ?? '';
        if (op === ':-')
            return value !== '' ? value : substitute(word ?? '', vars);
        if (op === '-')
            return set ? value : substitute(word ?? '', vars);
        if (op === ':+')
            return value !== '' ? substitute(word ?? '', vars) : '';
        if (op === '+')
            return set ? substitute(word ?? '', vars) : '';
        return value;
    });
}
/** `NAME=value` build arguments, the last of a name winning. Pure. */
function buildArgMap(buildArgs) {
    const map = new Map();
    for (const arg of buildArgs) {
        const eq = arg.indexOf('=');
        // `NAME` alone takes the value from the environment, as buildx does.
        if (eq < 0)
            map.set(arg.trim(), process.env[arg.trim()] ?? '');
        else
            map.set(arg.slice(0, eq).trim(), arg.slice(eq + 1));
    }
    return map;
}
/** `ARG a=1 b c="x y"`: names with their defaults (undefined: none). Pure. */
function argDeclarations(args) {
    const declared = [];
    for (const [, name, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g)) {
        declared.push([name, value === undefined ? undefined : unquote(value)]);
    }
    return declared;
}
function unquote(value) {
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2)
        return value.slice(1, -1).replace(/\\(.)/g, '$1');
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2)
        return value.slice(1, -1);
    return value;
}
/** The platform arguments (`TARGETARCH`, `BUILDPLATFORM`, ...) of one target platform. Pure. */
function platformArgs(target, build) {
    const vars = new Map();
    for (const [prefix, platform] of [
        ['TARGET', target],
        ['BUILD', build],
    ]) {
        const [os = '', arch = '', variant = ''] = platform.split('/');
        vars.set(`${prefix}PLATFORM`, platform);
        vars.set(`${prefix}OS`, os);
        vars.set(`${prefix}ARCH`, arch);
        vars.set(`${prefix}VARIANT`, variant);
    }
    return vars;
}
/**
 * The external images the Dockerfile uses, in order of appearance, each once: FROM images,
 * COPY/ADD --from images and RUN --mount from= images. Build stages (by name or index),
 * `scratch` and names a build context replaces are left out. Pure.
 */
function baseImages(dockerfile, options) {
    const all = instructions(dockerfile);
    const images = [];
    const add = (name) => {
        if (name && !images.includes(name))
            images.push(name);
    };
    const overrides = buildArgMap(options.buildArgs);
    const contexts = new Set(options.contextNames);
    const platforms = options.platforms.length > 0 ? options.platforms : [options.buildPlatform];
    for (const platform of platforms) {
        // Before the first FROM: the global ARGs, which FROM lines see.
        const global = platformArgs(platform, options.buildPlatform);
        const stages = [];
        let scope = new Map();
        let index = 0;
        for (; index < all.length && all[index].keyword !== 'FROM'; index++) {
            if (all[index].keyword !== 'ARG')
                continue;
            for (const [name, value] of argDeclarations(all[index].args)) {
                global.set(name, overrides.get(name) ?? substitute(value ?? '', global));
            }
        }
        const external = (name) => {
            const lower = name.toLowerCase();
            return (name !== '' &&
                lower !== 'scratch' &&
                !stages.includes(lower) &&
                !contexts.has(name) &&
                !/^\d+$/.test(name));
        };
        for (; index < all.length; index++) {
            const { keyword, args } = all[index];
            if (keyword === 'FROM') {
                const words = args.split(/\s+/).filter((w) => !w.startsWith('--'));
                const name = substitute(words[0] ?? '', global);
                if (external(name))
                    add(name);
                stages.push((words[2] ?? '').toLowerCase(), String(stages.length));
                // A stage sees only the global ARGs (platform ones included) it declares again.
                scope = new Map();
            }
            else if (keyword === 'ARG') {
                for (const [name, value] of argDeclarations(args)) {
                    const fallback = value === undefined ? global.get(name) : substitute(value, scope);
                    scope.set(name, overrides.get(name) ?? fallback ?? '');
                }
            }
            else if (keyword === 'COPY' || keyword === 'ADD') {
                const from = /(?:^|\s)--from=(\S+)/.exec(args)?.[1];
                if (from) {
                    const name = substitute(unquote(from), scope);
                    if (external(name))
                        add(name);
                }
            }
            else if (keyword === 'RUN') {
                for (const [, mount] of args.matchAll(/(?:^|\s)--mount=(\S+)/g)) {
                    const from = /(?:^|,)from=([^,]+)/.exec(mount)?.[1];
                    if (!from)
                        continue;
                    const name = substitute(unquote(from), scope);
                    if (external(name))
                        add(name);
                }
            }
        }
    }
    return images;
}
/** An image reference split into name, tag and digest. Pure. */
function splitImageRef(ref) {
    const at = ref.indexOf('@');
    const digest = at >= 0 ? ref.slice(at + 1) : '';
    const rest = at >= 0 ? ref.slice(0, at) : ref;
    const slash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > slash)
        return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
    return { name: rest, tag: digest ? '' : 'latest', digest };
}

;// CONCATENATED MODULE: ./src/fingerprint/index.ts
// The source fingerprint: one sha256 over everything that decides what the build produces, so
// that an image already built from the same fingerprint can be given new tags instead of being
// built again. See README "Rebuild only when something changed" for what is in it and what not.





/** Bumped when what goes into the fingerprint changes, so old fingerprint tags stop matching. */
const FORMAT = 'build-tag-push fingerprint 1';
/** The immutable tag an image of this fingerprint carries: `fp-` and 16 hex digits. Pure. */
function fingerprintTag(hash) {
    return `fp-${hash.slice(0, 16)}`;
}
/** True for a context buildx fetches itself (a git or HTTP URL, stdin): not on disk here. Pure. */
function fingerprint_isRemoteContext(context) {
    return context === '-' || /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/.test(context);
}
/** Labels and annotations that change with each commit or tag are not part of the image's source. */
function sourceEntries(entries) {
    return entries
        .filter((entry) => !/^(?:[a-z-]+(?:\[[^\]]*\])?(?:,[a-z-]+(?:\[[^\]]*\])?)*:)?org\.opencontainers\.image\./.test(entry))
        .sort();
}
/**
 * Computes the fingerprint: the context's files (as the build sees them through .dockerignore),
 * the Dockerfile, build-args, target, platforms, build-contexts, secret IDs, the labels and
 * annotations other than `org.opencontainers.image.*`, provenance and sbom, and the digest of
 * every base image, read from its registry. Throws when something cannot be known (a remote
 * context, a base image that cannot be resolved).
 */
async function computeFingerprint(inputs, options) {
    const context = inputs.context || '.';
    if (fingerprint_isRemoteContext(context)) {
        throw new Error(`context "${context}" is fetched by buildx, not read from disk here, so its files cannot be fingerprinted`);
    }
    const file = inputs.file || (0,external_node_path_.join)(context, 'Dockerfile');
    let dockerfile;
    try {
        dockerfile = (0,external_node_fs_.readFileSync)(file, 'utf8');
    }
    catch (error) {
        throw new Error(`cannot read the Dockerfile ${file}: ${error.message}`);
    }
    const details = [];
    const started = Date.now();
    const files = await contextDigest(context, {
        ignorePatterns: dockerignorePatterns(context, file),
    });
    details.push(`context ${context}: ${files.files} files (${files.fromGit} IDs from git's index) in ${Date.now() - started} ms, sha256:${files.digest}`);
    const namedContexts = [];
    const contextImages = [];
    for (const entry of inputs.buildContexts) {
        const eq = entry.indexOf('=');
        const name = entry.slice(0, eq).trim();
        const value = entry.slice(eq + 1).trim();
        if (value.startsWith('docker-image://')) {
            contextImages.push(value.slice('docker-image://'.length));
            namedContexts.push([name, value]);
        }
        else if (/^[a-z][a-z0-9+.-]*:/i.test(value) || fingerprint_isRemoteContext(value)) {
            // oci-layout://, target:, git and HTTP URLs: taken as written.
            namedContexts.push([name, value]);
        }
        else if ((0,external_node_fs_.existsSync)(value) && (0,external_node_fs_.statSync)(value).isDirectory()) {
            const named = await contextDigest(value);
            namedContexts.push([name, `dir sha256:${named.digest}`]);
            details.push(`build context ${name}=${value}: ${named.files} files, sha256:${named.digest}`);
        }
        else {
            namedContexts.push([name, value]);
        }
    }
    const bases = [
        ...baseImages(dockerfile, {
            buildArgs: inputs.buildArgs,
            platforms: inputs.platforms,
            buildPlatform: options.buildPlatform,
            contextNames: namedContexts.map(([name]) => name),
        }),
        ...contextImages,
    ];
    const digests = await Promise.all(bases.map((ref) => baseDigest(ref, options)));
    bases.forEach((ref, i) => details.push(`base image ${ref}: ${digests[i]}`));
    if (bases.length === 0)
        details.push('base images: none (FROM scratch or build stages only)');
    const record = {
        format: FORMAT,
        dockerfile: (0,external_node_crypto_.createHash)('sha256').update(dockerfile).digest('hex'),
        context: files.digest,
        buildContexts: namedContexts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        buildArgs: [...inputs.buildArgs].sort(),
        target: inputs.target,
        platforms: inputs.platforms.length > 0 ? inputs.platforms : [options.buildPlatform],
        secrets: [...inputs.secrets, ...inputs.secretFiles].map((s) => s.id).sort(),
        labels: sourceEntries(inputs.labels),
        annotations: sourceEntries(inputs.annotations),
        provenance: inputs.provenance,
        sbom: inputs.sbom,
        bases: bases.map((ref, i) => [ref, digests[i]]),
    };
    const hash = (0,external_node_crypto_.createHash)('sha256').update(JSON.stringify(record)).digest('hex');
    details.push(`Dockerfile ${file}: sha256:${record.dockerfile}`);
    return { hash, details };
}
async function baseDigest(ref, options) {
    const { name, tag, digest } = splitImageRef(ref);
    // A pinned digest is the image, whatever its tag points to now.
    if (digest)
        return digest;
    let found;
    try {
        found = await options.resolveDigest(name, tag);
    }
    catch (error) {
        throw new Error(`cannot read the digest of the base image ${ref}: ${error.message}`);
    }
    if (!found)
        throw new Error(`the base image ${ref} is not in its registry`);
    return found;
}

// EXTERNAL MODULE: ./src/artifact/name.ts
var artifact_name = __webpack_require__(8111);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/registry-auth.ts

const KEYS = ['registry', 'username', 'password'];
const EXPECTED = 'a YAML list of logins, each with registry, username and password keys';
const EXAMPLE = '"- registry: ghcr.io" then "  username: ..." and "  password: ..." lines';
const HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io', 'index.docker.io/v1'];
/**
 * Parses the `registry-auth` input. Every password found is handed to `mask` first, before the
 * text is validated, so that even an entry refused below never shows its password. Errors name
 * `registry-auth`, the entry (1-based) and what is expected; they never quote a value other than
 * a registry. Scalars are read as strings (YAML's failsafe schema): a password such as `0123` or
 * `true` stays what was written.
 */
function parseRegistryAuth(text, mask) {
    if (text.trim() === '')
        return [];
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, {
        schema: 'failsafe',
        prettyErrors: false,
        uniqueKeys: true,
        lineCounter,
    });
    maskPasswords(doc.contents, mask);
    const [syntax] = doc.errors;
    if (syntax) {
        // What the parser could not read may still hold passwords: mask what follows `password:`.
        for (const match of text.matchAll(/\bpassword\s*:[ \t]*(.*)$/gm)) {
            const rest = match[1].trim();
            const token = /^["']?([^"',}\]\s]+)/.exec(rest)?.[1] ?? '';
            for (const value of new Set([rest, token]))
                if (value.length >= 3)
                    mask(value);
        }
        // The parser's own message quotes the source, which may hold a password: only the position.
        const at = lineCounter.linePos(syntax.pos[0]);
        const where = at ? ` at line ${at.line}, column ${at.col}` : '';
        const what = syntax.code === 'DUPLICATE_KEY' ? 'a key given twice' : 'invalid YAML';
        throw new Error(`registry-auth: ${what}${where}; expected ${EXPECTED}: ${EXAMPLE}`);
    }
    const root = doc.contents;
    if (!(0,dist/* isSeq */.oP)(root)) {
        throw new Error(`registry-auth: not a list; expected ${EXPECTED}: ${EXAMPLE}`);
    }
    const logins = [];
    root.items.forEach((item, index) => {
        const entry = `registry-auth: entry ${index + 1}`;
        if (!(0,dist/* isMap */.jh)(item)) {
            throw new Error(`${entry} is not a mapping; expected registry, username and password keys`);
        }
        const values = {};
        for (const pair of item.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            if (!KEYS.includes(key)) {
                const shown = key && /^[\w-]{1,40}$/.test(key) ? `"${key}"` : '(not a plain name)';
                throw new Error(`${entry} has an unknown key ${shown}; expected registry, username and password`);
            }
            const name = key;
            if (pair.value !== null && !(0,dist/* isScalar */.jn)(pair.value)) {
                throw new Error(`${entry}: ${name} is not a single value; expected a string`);
            }
            values[name] = (0,dist/* isScalar */.jn)(pair.value) ? scalarText(pair.value.value).trim() : '';
        }
        const registry = normalizeAuthRegistry(values.registry ?? '');
        if (!registry) {
            throw new Error(`${entry} has no registry; expected a registry host such as ghcr.io, docker.io or host:port`);
        }
        if (!isRegistryHost(registry)) {
            throw new Error(`${entry}: registry "${registry}" is not a registry host; expected a host such as ghcr.io, docker.io or host:port, without a path`);
        }
        const username = values.username ?? '';
        const password = values.password ?? '';
        // ghcr.io defaults to the workflow actor and github-token, as the registry input does.
        if (registry !== 'ghcr.io') {
            for (const [name, value] of [
                ['username', username],
                ['password', password],
            ]) {
                if (!value) {
                    throw new Error(`${entry} (${registry}) has no ${name}; expected registry, username and password (only ghcr.io defaults them to the actor and github-token)`);
                }
            }
        }
        const earlier = logins.findIndex((l) => l.registry === registry);
        if (earlier >= 0) {
            throw new Error(`${entry} repeats registry ${registry} (entry ${earlier + 1}); give each registry once`);
        }
        logins.push({ registry, username, password });
    });
    if (logins.length === 0) {
        throw new Error(`registry-auth: the list is empty; expected ${EXPECTED}, or no registry-auth`);
    }
    return logins;
}
/**
 * `registry-auth` replaces `registry`, `username` and `password`: both at once is an error
 * that names the ones set.
 */
function checkNotMixed(registryAuth, single) {
    if (registryAuth.length === 0)
        return;
    const set = ['registry', 'username', 'password'].filter((name) => single[name]);
    if (set.length === 0)
        return;
    throw new Error(`registry-auth: cannot be combined with ${set.join(', ')}; move that login into registry-auth as one more entry, or use registry, username and password alone`);
}
/** A registry host as logins take it: `ghcr.io`, `host:port`, `[::1]:5000`, no path. Pure. */
function isRegistryHost(host) {
    return /^[A-Za-z0-9.-]+(:\d+)?$|^\[[0-9a-fA-F:]+\](:\d+)?$/.test(host);
}
/** `https://ghcr.io/` -> `ghcr.io`; Docker Hub's other names -> `docker.io`. Pure. */
function normalizeAuthRegistry(value) {
    const host = value
        .trim()
        .toLowerCase()
        .replace(/^https?:\/\//, '')
        .replace(/\/+$/, '');
    return HUB.includes(host) ? 'docker.io' : host;
}
/** Masks every scalar under a `password` key, wherever it is, before anything is validated. */
function maskPasswords(node, mask) {
    if ((0,dist/* isSeq */.oP)(node)) {
        for (const item of node.items)
            maskPasswords(item, mask);
    }
    else if ((0,dist/* isMap */.jh)(node)) {
        for (const pair of node.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            if (key === 'password' && (0,dist/* isScalar */.jn)(pair.value)) {
                const secret = scalarText(pair.value.value);
                if (secret.trim())
                    mask(secret.trim());
                // The runner masks line by line: a multi-line value is masked per line too.
                for (const line of secret.split('\n'))
                    if (line.trim())
                        mask(line.trim());
            }
            else {
                maskPasswords(pair.value, mask);
            }
        }
    }
}
/** A scalar's value as text; the failsafe schema gives strings, null for an empty value. */
function scalarText(value) {
    return typeof value === 'string' ? value : '';
}

;// CONCATENATED MODULE: ./src/inputs.ts




/** Reads and validates the inputs; secrets are masked before anything else reads them. */
function getInputs() {
    // registry-auth masks its passwords as it parses, before it validates anything.
    const registryAuth = parseRegistryAuth(core/* getInput */.V4('registry-auth'), (s) => core/* setSecret */.Pq(s));
    const password = core/* getInput */.V4('password');
    const githubToken = core/* getInput */.V4('github-token');
    const secrets = parsePairs('secrets', lines('secrets'), 'ID=VALUE');
    const testEnv = (0,test_gate/* parseTestEnv */.hT)(lines('test-env'));
    for (const value of [
        password,
        githubToken,
        ...secrets.map((s) => s.value),
        ...testEnv.map((v) => v.value),
    ]) {
        if (value)
            core/* setSecret */.Pq(value);
    }
    const registry = core/* getInput */.V4('registry');
    if (registry && !isRegistryHost(normalizeAuthRegistry(registry))) {
        throw new Error(`registry: "${registry}" is not a registry host; expected a host such as ghcr.io, docker.io or host:port, without a path`);
    }
    const username = core/* getInput */.V4('username');
    checkNotMixed(registryAuth, { registry, username, password });
    const images = imageList(core/* getInput */.V4('images'));
    if (images.length === 0) {
        throw new Error('images: no image name given; expected at least one name such as ghcr.io/acme/app');
    }
    return {
        images,
        tags: lines('tags'),
        flavor: lines('flavor'),
        tagPattern: core/* getInput */.V4('tag-pattern'),
        labels: lines('labels'),
        annotations: lines('annotations'),
        sepTags: separator('sep-tags'),
        sepLabels: separator('sep-labels'),
        sepAnnotations: separator('sep-annotations'),
        registry,
        username,
        password,
        registryAuth,
        context: core/* getInput */.V4('context') || '.',
        file: core/* getInput */.V4('file'),
        buildArgs: lines('build-args'),
        buildContexts: lines('build-contexts'),
        target: core/* getInput */.V4('target'),
        platforms: platformList(core/* getInput */.V4('platforms')),
        cacheFrom: lines('cache-from'),
        cacheTo: lines('cache-to'),
        noCache: bool('no-cache'),
        pull: bool('pull'),
        provenance: core/* getInput */.V4('provenance'),
        sbom: core/* getInput */.V4('sbom'),
        builder: core/* getInput */.V4('builder'),
        secrets,
        secretFiles: parsePairs('secret-files', lines('secret-files'), 'ID=PATH'),
        push: pushMode(core/* getInput */.V4('push')),
        load: bool('load'),
        test: core/* getInput */.V4('test'),
        testTarget: core/* getInput */.V4('test-target'),
        testEnv,
        testTimeout: core/* getInput */.V4('test-timeout'),
        testTimeoutMs: (0,test_gate/* parseDuration */.E9)('test-timeout', core/* getInput */.V4('test-timeout')),
        reuse: bool('reuse'),
        testOnReuse: bool('test-on-reuse'),
        dryRun: bool('dry-run'),
        summary: bool('summary'),
        artifactName: artifactName(core/* getInput */.V4('artifact-name')),
        buildxVersion: buildxVersion(core/* getInput */.V4('buildx-version')),
        buildxMirror: core/* getInput */.V4('buildx-mirror'),
        githubToken,
        retries: retryCount(core/* getInput */.V4('retries')),
        networkTimeout: core/* getInput */.V4('network-timeout'),
        networkTimeoutMs: (0,test_gate/* parseDuration */.E9)('network-timeout', core/* getInput */.V4('network-timeout')),
    };
}
/** One entry per non-empty line; lines starting with `#` are comments. */
function lines(name) {
    return splitLines(core/* getInput */.V4(name, { trimWhitespace: false }));
}
function splitLines(value) {
    return value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
}
/**
 * Image names come one per line or comma separated; a line in metadata-action's
 * `name=...,enable=...` form keeps its commas.
 */
function imageList(value) {
    return splitLines(value).flatMap((line) => /^name\s*=/.test(line)
        ? [line]
        : line
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean));
}
const PLATFORM = /^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_.]+)?$/;
function platformList(value) {
    const platforms = splitLines(value.replace(/,/g, '\n'));
    for (const platform of platforms) {
        if (!PLATFORM.test(platform)) {
            throw new Error(`platforms: "${platform}" is not a platform; expected OS/ARCH[/VARIANT] such as linux/amd64 or linux/arm64/v8, comma separated`);
        }
    }
    return platforms;
}
/** `NAME=value` lines; the value is never echoed in an error, it may be a secret. */
function parsePairs(input, entries, form) {
    return entries.map((entry) => {
        const eq = entry.indexOf('=');
        const id = eq > 0 ? entry.slice(0, eq).trim() : '';
        if (!id) {
            const shown = eq < 0 && input === 'secrets' ? '(value hidden)' : `"${entry}"`;
            throw new Error(`${input}: entry ${shown} has no "="; expected ${form}, one per line`);
        }
        return { id, value: entry.slice(eq + 1) };
    });
}
function pushMode(value) {
    const mode = value.trim().toLowerCase();
    if (mode === 'auto' || mode === 'true' || mode === 'false')
        return mode;
    throw new Error(`push: "${value}" is not a push mode; expected auto, true or false`);
}
function buildxVersion(value) {
    const version = value.trim().replace(/^v/, '');
    if (version === '' || version === 'latest' || /^\d+\.\d+\.\d+$/.test(version))
        return version;
    throw new Error(`buildx-version: "${value}" is not a buildx release; expected a version such as 0.19.3, or latest`);
}
/** An artifact name the results service takes ('' for no artifact); checked before anything runs. */
function artifactName(value) {
    const invalid = (0,artifact_name/* invalidNameCharacters */.t)(value);
    if (invalid.length === 0)
        return value;
    throw new Error(`artifact-name: "${value}" has ${invalid.map((c) => JSON.stringify(c)).join(', ')}, which an artifact name cannot hold; expected a name without " : < > | * ? \\ / or line breaks (image-digest-linux-amd64, for example), or empty for no artifact`);
}
function retryCount(value) {
    const text = value.trim();
    if (/^\d+$/.test(text) && Number(text) <= 10)
        return Number(text);
    throw new Error(`retries: "${value}" is not a retry count; expected a whole number from 0 (no retries) to 10`);
}
/** core.getBooleanInput rejects typos; its message is reworded to name the value. */
function bool(name) {
    try {
        return core/* getBooleanInput */.Vt(name);
    }
    catch {
        throw new Error(`${name}: "${core/* getInput */.V4(name)}" is not a boolean; expected true or false`);
    }
}
function separator(name) {
    // Separators are taken as written: trimming would turn "\n" or " " into nothing.
    const value = core/* getInput */.V4(name, { trimWhitespace: false });
    if (value === '') {
        throw new Error(`${name}: empty, which would run the values together; expected a separator such as a newline (the default), "," or " "`);
    }
    return value;
}

// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(6455);
;// CONCATENATED MODULE: ./src/tags/errors.ts
/**
 * Builds the one-line error every part of the engine throws:
 * `<input>: <problem> in "<line>"; expected <expected>`.
 */
function inputError(where, problem, expected) {
    const at = where.line === '' ? '' : ` in "${where.line}"`;
    return new Error(`${where.input}: ${problem}${at}${expected ? `; expected ${expected}` : ''}`);
}
/** Compiles a user-written regular expression, turning a syntax error into an input error. */
function compileRegExp(source, where, flags = '') {
    try {
        return new RegExp(source, flags);
    }
    catch (error) {
        // Node says "Invalid regular expression: /v(/: Unterminated group"; the last part is the useful one.
        const message = error instanceof Error ? error.message : String(error);
        const reason = message.slice(message.lastIndexOf(': ') + 2);
        throw inputError(where, `invalid regular expression "${source}" (${reason})`, 'a JavaScript regular expression');
    }
}

;// CONCATENATED MODULE: ./src/tags/refs.ts
/** The branch of a `refs/heads/...` ref, or '' for any other ref. */
function branchOf(ref) {
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
}
/** The git tag of a `refs/tags/...` ref, or '' for any other ref. */
function tagOf(ref) {
    return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '';
}
/** The pull request number of a `refs/pull/<n>/...` ref, or ''. */
function pullRequestOf(ref) {
    const m = /^refs\/pull\/([^/]+)\//.exec(ref);
    return m ? m[1] : '';
}
/** The target branch: the PR base, or for a pushed tag the payload's `base_ref`; else ''. */
function baseRefOf(context) {
    if (context.pullRequest)
        return context.pullRequest.baseRef;
    if (tagOf(context.ref) !== '' && typeof context.payload.base_ref === 'string') {
        return context.payload.base_ref.replace(/^refs\/heads\//, '');
    }
    return '';
}
/** True when the ref is the repository's default branch. */
function isDefaultBranch(context) {
    const branch = branchOf(context.ref);
    return branch !== '' && branch === context.repository.defaultBranch;
}
// Words that mark a version as not final, as separate tokens: 1.0.0-rc.1, 20200110-RC2, 1.1beta2.
const PRE_RELEASE_WORD = /(?:^|[^a-z])(?:alpha|beta|rc|pre|preview|dev|snapshot|canary|nightly|next|insiders|experimental)(?=[^a-z]|$)/i;
// A SemVer-style pre-release part after the version numbers: 1.2.3-0.3.7, v2.0.8-beta.67.
const SEMVER_PRE_RELEASE = /\d+\.\d+\.\d+-[0-9A-Za-z]/;
/**
 * True when a git tag looks like a pre-release. metadata-action gives such tags `latest`
 * through type=match and type=ref,event=tag; we do not.
 */
function looksLikePreRelease(tag) {
    return PRE_RELEASE_WORD.test(tag) || SEMVER_PRE_RELEASE.test(tag);
}

// EXTERNAL MODULE: ./node_modules/dayjs/dayjs.min.js
var dayjs_min = __webpack_require__(3706);
var dayjs_min_default = /*#__PURE__*/__webpack_require__.n(dayjs_min);
// EXTERNAL MODULE: ./node_modules/dayjs/plugin/advancedFormat.js
var advancedFormat = __webpack_require__(5440);
var advancedFormat_default = /*#__PURE__*/__webpack_require__.n(advancedFormat);
// EXTERNAL MODULE: ./node_modules/dayjs/plugin/timezone.js
var timezone = __webpack_require__(7818);
var timezone_default = /*#__PURE__*/__webpack_require__.n(timezone);
// EXTERNAL MODULE: ./node_modules/dayjs/plugin/utc.js
var utc = __webpack_require__(5279);
var utc_default = /*#__PURE__*/__webpack_require__.n(utc);
;// CONCATENATED MODULE: ./src/tags/dates.ts




dayjs_min_default().extend((utc_default()));
dayjs_min_default().extend((timezone_default()));
dayjs_min_default().extend((advancedFormat_default()));
/** True when `tz` is an IANA time zone name the runtime knows. */
function isTimeZone(tz) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Renders a date with a moment-style format (`YYYYMMDD-HHmmss`, `[literal]` escapes) in a time
 * zone (UTC by default). Without a format it renders ISO 8601 to the second, as moment does.
 */
function formatDate(date, format, tz = 'UTC') {
    const isUtc = tz.toUpperCase() === 'UTC';
    const d = isUtc ? dayjs_min_default()(date).utc() : dayjs_min_default()(date).tz(tz);
    return d.format(format ?? (isUtc ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ'));
}

;// CONCATENATED MODULE: ./src/tags/template.ts


const TOKEN = /\s*(?:([A-Za-z_][\w-]*)=(?:'([^']*)'|"([^"]*)"|([^\s'"]+))|'([^']*)'|"([^"]*)"|([^\s'"=]+))/y;
/** Splits a template into literal text and expressions; throws on a malformed `{{...}}`. */
function parseTemplate(template, where) {
    const parts = [];
    let rest = template;
    for (;;) {
        const open = rest.indexOf('{{');
        if (open < 0)
            break;
        if (open > 0)
            parts.push(rest.slice(0, open));
        const close = rest.indexOf('}}', open + 2);
        if (close < 0)
            throw inputError(where, `"{{" without a closing "}}"`, 'expressions written as {{name}}');
        parts.push(parseExpression(rest.slice(open, close + 2), where));
        rest = rest.slice(close + 2);
    }
    if (rest !== '')
        parts.push(rest);
    return parts;
}
function parseExpression(text, where) {
    const inner = text.slice(2, -2).trim();
    const tokens = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < inner.length) {
        const start = TOKEN.lastIndex;
        const m = TOKEN.exec(inner);
        if (!m) {
            throw inputError(where, `cannot read ${text} at "${inner.slice(start).trim()}"`, `{{name 'text' key='value'}}`);
        }
        if (m[1] !== undefined) {
            const value = m[2] ?? m[3];
            tokens.push({
                key: m[1],
                arg: value !== undefined ? { kind: 'string', value } : { kind: 'word', name: m[4] },
            });
        }
        else if (m[5] !== undefined || m[6] !== undefined) {
            tokens.push({ arg: { kind: 'string', value: m[5] ?? m[6] } });
        }
        else {
            tokens.push({ arg: { kind: 'word', name: m[7] } });
        }
    }
    const head = tokens.shift();
    if (!head || head.key !== undefined || head.arg.kind !== 'word') {
        throw inputError(where, `expression ${text} does not start with a name`, 'for example {{branch}}');
    }
    const expr = { text, name: head.arg.name, args: [], hash: {} };
    for (const token of tokens) {
        if (token.key === undefined)
            expr.args.push(token.arg);
        else
            expr.hash[token.key] = token.arg;
    }
    return expr;
}
/** Lists the expressions of a template (for deciding whether a value was written literally). */
function expressionsOf(template, where) {
    return parseTemplate(template, where).filter((p) => typeof p !== 'string');
}
/** True when the template has at least one `{{...}}` expression. */
function hasExpressions(template) {
    return template.includes('{{');
}
/** Renders a template against a scope. Unknown names are errors, not empty strings. */
function render(template, scope, where) {
    if (!hasExpressions(template))
        return template;
    const resolve = (arg) => arg.kind === 'string' ? arg.value : scope.vars[arg.name];
    return parseTemplate(template, where)
        .map((part) => {
        if (typeof part === 'string')
            return part;
        const helper = scope.helpers[part.name];
        if (helper)
            return helper(part, resolve, where);
        if (Object.hasOwn(scope.vars, part.name)) {
            if (part.args.length > 0 || Object.keys(part.hash).length > 0) {
                throw inputError(where, `${part.text} takes no arguments`, `{{${part.name}}}`);
            }
            return scope.vars[part.name];
        }
        const known = [...Object.keys(scope.vars), ...Object.keys(scope.helpers)];
        throw inputError(where, `unknown expression ${part.text}`, `one of ${known.join(', ')}`);
    })
        .join('');
}
/**
 * A date helper (`{{date 'YYYYMMDD' tz='Asia/Tokyo'}}`). The format is a quoted moment-style
 * format; a bare word is a variable reference, as in Handlebars, so `{{date YYYYMMDD}}` means
 * "no format" and renders ISO 8601, which is what metadata-action users get today.
 */
function dateHelper(date) {
    return (expr, resolve, where) => {
        if (expr.args.length > 1) {
            throw inputError(where, `${expr.text} has more than one format`, `{{${expr.name} 'FORMAT'}}`);
        }
        for (const key of Object.keys(expr.hash)) {
            if (key !== 'tz') {
                throw inputError(where, `${expr.text} has an unknown option "${key}"`, `tz='<time zone>'`);
            }
        }
        const format = expr.args.length === 1 ? resolve(expr.args[0]) : undefined;
        const tz = expr.hash.tz === undefined ? 'UTC' : (resolve(expr.hash.tz) ?? '');
        if (!isTimeZone(tz)) {
            throw inputError(where, `${expr.text} has an unknown time zone "${tz}"`, 'an IANA time zone name such as UTC or Asia/Tokyo');
        }
        return formatDate(date, format, tz);
    };
}

;// CONCATENATED MODULE: ./src/tags/expressions.ts


/** Length of a short commit SHA, as in `sha-860c190` and `{{sha}}`. */
const SHORT_SHA_LENGTH = 7;
/**
 * The global expressions available in rule values, prefixes, suffixes, `enable`, flavor,
 * labels and annotations: `{{branch}}`, `{{tag}}`, `{{sha}}`, `{{base_ref}}`,
 * `{{is_default_branch}}`, `{{is_not_default_branch}}`, `{{run_number}}`,
 * `{{date 'FORMAT' tz='ZONE'}}` (the clock) and `{{commit_date 'FORMAT'}}` (the commit).
 */
function globalScope(context, now) {
    const isDefault = isDefaultBranch(context);
    return {
        vars: {
            branch: branchOf(context.ref),
            tag: tagOf(context.ref),
            sha: context.sha.slice(0, SHORT_SHA_LENGTH),
            base_ref: baseRefOf(context),
            is_default_branch: String(isDefault),
            is_not_default_branch: String(!isDefault),
            run_number: context.runNumber,
        },
        helpers: { date: dateHelper(now), commit_date: dateHelper(context.commitDate) },
    };
}
/** The scope extended with extra variables (the version parts of semver/pep440 patterns). */
function withVars(scope, vars) {
    return { vars: { ...scope.vars, ...vars }, helpers: scope.helpers };
}

;// CONCATENATED MODULE: ./src/tags/csv.ts

/**
 * Splits one line of a list input (`type=match,"pattern=\d,\d"`) into trimmed fields.
 * A field may be double-quoted to hold commas (`""` is a literal quote); quotes inside an
 * unquoted field are kept as written, as metadata-action users expect. Empty fields are dropped.
 */
function splitFields(line, input) {
    const where = { input, line };
    const fields = [];
    let i = 0;
    while (i <= line.length) {
        while (i < line.length && /\s/.test(line[i]))
            i++;
        let field = '';
        if (line[i] === '"') {
            i++;
            for (;;) {
                if (i >= line.length)
                    throw inputError(where, 'a double quote is not closed', 'a closing "');
                if (line[i] === '"') {
                    if (line[i + 1] === '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                field += line[i++];
            }
            while (i < line.length && /\s/.test(line[i]))
                i++;
            if (i < line.length && line[i] !== ',') {
                throw inputError(where, `unexpected text after a closing quote`, 'a comma after a quoted field');
            }
        }
        else {
            while (i < line.length && line[i] !== ',')
                field += line[i++];
        }
        field = field.trim();
        if (field !== '')
            fields.push(field);
        i++; // the comma (or one past the end)
    }
    return fields;
}
/** Splits `key=value` at the first `=`; a field without `=` has no key. */
function splitKeyValue(field) {
    const at = field.indexOf('=');
    if (at < 0)
        return { value: field };
    return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() };
}

;// CONCATENATED MODULE: ./src/tags/flavor.ts


const flavor_KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];
/** Parses the `flavor` lines (`latest=auto`, `prefix=foo-,onlatest=true`, ...). */
function parseFlavor(lines) {
    const flavor = {
        latest: 'auto',
        prefix: '',
        suffix: '',
        prefixLatest: false,
        suffixLatest: false,
    };
    for (const line of lines) {
        const where = { input: 'flavor', line };
        let onlatest;
        let hasPrefix = false;
        let hasSuffix = false;
        for (const field of splitFields(line, 'flavor')) {
            const { key, value } = splitKeyValue(field);
            if (key === undefined) {
                throw inputError(where, `"${field}" is not a key=value pair`, 'key=value');
            }
            switch (key) {
                case 'latest':
                    if (value !== 'auto' && value !== 'true' && value !== 'false') {
                        throw inputError(where, `invalid latest "${value}"`, 'latest=auto, latest=true or latest=false');
                    }
                    flavor.latest = value;
                    break;
                case 'prefix':
                    flavor.prefix = value;
                    hasPrefix = true;
                    break;
                case 'suffix':
                    flavor.suffix = value;
                    hasSuffix = true;
                    break;
                case 'onlatest':
                    if (value !== 'true' && value !== 'false') {
                        throw inputError(where, `invalid onlatest "${value}"`, 'onlatest=true or onlatest=false');
                    }
                    onlatest = value === 'true';
                    break;
                default:
                    throw inputError(where, `unknown key "${key}"`, `one of ${flavor_KEYS.join(', ')}`);
            }
        }
        if (onlatest !== undefined) {
            // onlatest qualifies the prefix or suffix written on the same line.
            if (!hasPrefix && !hasSuffix) {
                throw inputError(where, 'onlatest without a prefix or suffix on the same line', 'prefix=...,onlatest=true or suffix=...,onlatest=true');
            }
            if (hasPrefix)
                flavor.prefixLatest = onlatest;
            if (hasSuffix)
                flavor.suffixLatest = onlatest;
        }
    }
    return flavor;
}

;// CONCATENATED MODULE: ./src/tags/images.ts


// Docker's reference grammar (distribution/reference), for a name without tag or digest.
const DOMAIN_COMPONENT = '(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-f:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const MAX_NAME_LENGTH = 255;
const images_EXPECTED = '[registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"';
/**
 * Validates and lower-cases one image name (`ghcr.io/Owner/App` -> `ghcr.io/owner/app`).
 * A tag or digest is refused: tags come from the rules.
 */
function normaliseImageName(name, where) {
    const lower = name.toLowerCase();
    const last = lower.slice(lower.lastIndexOf('/') + 1);
    if (lower.includes('@') || last.includes(':')) {
        throw inputError(where, `image name "${name}" has a tag or digest`, 'a name without :tag or @digest (tags come from the tags input)');
    }
    if (!NAME.test(lower) || lower.length > MAX_NAME_LENGTH) {
        throw inputError(where, `invalid image name "${name}"`, images_EXPECTED);
    }
    return lower;
}
/**
 * Parses the `images` entries (`ghcr.io/owner/app` or `name=ghcr.io/owner/app,enable=false`)
 * into the enabled, validated, lower-cased, de-duplicated names.
 */
function parseImages(entries) {
    const images = [];
    for (const entry of entries) {
        if (entry.trim() === '')
            continue;
        const where = { input: 'images', line: entry };
        let name;
        let enable = true;
        for (const field of splitFields(entry, 'images')) {
            const { key, value } = splitKeyValue(field);
            if (key === undefined || key === 'name') {
                if (name !== undefined)
                    throw inputError(where, 'more than one image name', 'one name per entry');
                name = value;
            }
            else if (key === 'enable') {
                if (!/^(true|false)$/i.test(value)) {
                    throw inputError(where, `invalid enable "${value}"`, 'enable=true or enable=false');
                }
                enable = /^true$/i.test(value);
            }
            else {
                throw inputError(where, `unknown attribute "${key}"`, 'name=<image> and enable=<true|false>');
            }
        }
        if (name === undefined || name === '') {
            throw inputError(where, 'no image name', 'name=<image> or the bare name');
        }
        // The entry is worth quoting only when it says more than the name.
        const image = normaliseImageName(name, name === entry ? { input: 'images', line: '' } : where);
        if (enable && !images.includes(image))
            images.push(image);
    }
    return images;
}

;// CONCATENATED MODULE: ./src/tags/labels.ts


const OCI = 'org.opencontainers.image';
/** The OCI labels/annotations generated from the repository, the commit and the version. */
function ociEntries(context, now, version) {
    const repo = context.repository;
    return [
        `${OCI}.created=${now.toISOString()}`,
        `${OCI}.description=${repo.description}`,
        `${OCI}.licenses=${repo.license}`,
        `${OCI}.revision=${context.sha}`,
        `${OCI}.source=${repo.htmlUrl}`,
        `${OCI}.title=${repo.name}`,
        `${OCI}.url=${repo.htmlUrl}`,
        `${OCI}.version=${version}`,
    ];
}
/**
 * Merges generated entries with the user's (`key=value`, global expressions allowed): a user
 * key replaces a generated one; an entry without `=` is ignored, as metadata-action does.
 * The result is sorted, which is the order metadata-action outputs.
 */
function mergeEntries(generated, user, scope, input) {
    const entries = new Map();
    for (const entry of generated)
        add(entries, entry);
    for (const line of user) {
        if (line.trim() === '')
            continue;
        const where = { input, line };
        const entry = render(line, scope, where);
        if (!entry.includes('='))
            continue;
        if (entry.startsWith('='))
            throw inputError(where, 'no key before "="', 'key=value');
        add(entries, entry);
    }
    return [...entries].map(([key, value]) => `${key}=${value}`).sort();
}
function add(entries, entry) {
    const at = entry.indexOf('=');
    entries.set(entry.slice(0, at).trim(), entry.slice(at + 1));
}
const LEVEL = /^(manifest|index|manifest-descriptor|index-descriptor)(\[[^\]]+\])?$/;
/**
 * Prefixes annotations with their levels (`manifest:key=value`), one copy per level, as
 * metadata-action does with DOCKER_METADATA_ANNOTATIONS_LEVELS. No levels: unprefixed.
 */
function withLevels(annotations, levels) {
    if (!levels || levels.length === 0)
        return annotations;
    for (const level of levels) {
        if (!LEVEL.test(level)) {
            throw new Error(`annotations: unknown level "${level}"; expected manifest, index, manifest-descriptor or index-descriptor`);
        }
    }
    return levels.flatMap((level) => annotations.map((a) => `${level}:${a}`));
}

;// CONCATENATED MODULE: ./src/tags/rules.ts


const RULE_TYPES = [
    'schedule',
    'semver',
    'pep440',
    'match',
    'edge',
    'ref',
    'raw',
    'sha',
];
const REF_EVENTS = ['branch', 'tag', 'pr'];
// metadata-action's default priorities: they order the tags and pick the version output.
const PRIORITY = {
    schedule: 1000,
    semver: 900,
    pep440: 900,
    match: 800,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
};
const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const ATTRIBUTES = {
    schedule: [...COMMON, 'pattern'],
    semver: [...COMMON, 'pattern', 'value', 'match'],
    pep440: [...COMMON, 'pattern', 'value', 'match'],
    match: [...COMMON, 'pattern', 'group', 'value'],
    edge: [...COMMON, 'branch'],
    ref: [...COMMON, 'event'],
    raw: [...COMMON, 'value'],
    sha: [...COMMON, 'format'],
};
/** Parses one rule line; a line without `type=` is a raw tag (`foo` = `type=raw,value=foo`). */
function parseRule(line) {
    const where = { input: 'tags', line };
    const attrs = {};
    let bareValue = false;
    for (const field of splitFields(line, 'tags')) {
        const { key, value } = splitKeyValue(field);
        // A bare field is the value: `type=raw,foo` is `type=raw,value=foo`.
        const name = key ?? 'value';
        if (name === '')
            throw inputError(where, `"${field}" has no attribute name`, 'key=value');
        if (Object.hasOwn(attrs, name)) {
            throw inputError(where, key === undefined ? `"${field}" is a second value` : `attribute "${name}" is given twice`, key === undefined ? 'one value (one tag) per line' : 'each attribute once');
        }
        attrs[name] = value;
        if (key === undefined)
            bareValue = true;
    }
    const type = (attrs.type ?? 'raw');
    if (!RULE_TYPES.includes(type)) {
        throw inputError(where, `unknown type "${attrs.type}"`, `one of ${RULE_TYPES.join(', ')}`);
    }
    for (const key of Object.keys(attrs)) {
        if (!ATTRIBUTES[type].includes(key)) {
            throw inputError(where, key === 'value' && bareValue
                ? `type=${type} takes no bare value`
                : `unknown attribute "${key}" for type=${type}`, `attributes among ${ATTRIBUTES[type].join(', ')}`);
        }
    }
    attrs.enable ??= 'true';
    let priority = PRIORITY[type];
    if (attrs.priority !== undefined) {
        if (!/^-?\d+$/.test(attrs.priority)) {
            throw inputError(where, `invalid priority "${attrs.priority}"`, 'a whole number such as 500');
        }
        priority = Number(attrs.priority);
    }
    applyTypeDefaults(type, attrs, where);
    return { type, attrs, priority, line };
}
function applyTypeDefaults(type, attrs, where) {
    switch (type) {
        case 'schedule':
            if (!attrs.pattern)
                attrs.pattern = 'nightly';
            break;
        case 'semver':
        case 'pep440':
            if (!attrs.pattern)
                attrs.pattern = '{{version}}';
            if (attrs.match !== undefined)
                compileRegExp(attrs.match, where);
            break;
        case 'match':
            if (!attrs.pattern) {
                throw inputError(where, 'type=match needs a pattern', 'pattern=<regular expression>, e.g. pattern=v(\\d+\\.\\d+\\.\\d+),group=1');
            }
            compileRegExp(attrs.pattern, where);
            attrs.group ??= '0';
            if (!/^\d+$/.test(attrs.group)) {
                throw inputError(where, `invalid group "${attrs.group}"`, 'a capture group number such as 0 or 1');
            }
            break;
        case 'ref':
            if (attrs.event === undefined) {
                throw inputError(where, 'type=ref needs an event', 'event=branch, event=tag or event=pr');
            }
            if (!REF_EVENTS.includes(attrs.event)) {
                throw inputError(where, `unknown event "${attrs.event}"`, `one of ${REF_EVENTS.join(', ')}`);
            }
            if (attrs.event === 'pr')
                attrs.prefix ??= 'pr-';
            break;
        case 'raw':
            if (attrs.value === undefined) {
                throw inputError(where, 'type=raw needs a value', 'type=raw,value=<tag> or type=raw,<tag>');
            }
            break;
        case 'sha':
            attrs.format ??= 'short';
            if (attrs.format !== 'short' && attrs.format !== 'long') {
                throw inputError(where, `unknown format "${attrs.format}"`, 'format=short or format=long');
            }
            attrs.prefix ??= 'sha-';
            break;
        case 'edge':
            break;
    }
}
/** Parses the rule lines, highest priority first (stable for equal priorities). */
function parseRules(lines) {
    return lines
        .filter((line) => line.trim() !== '')
        .map(parseRule)
        .sort((a, b) => b.priority - a.priority);
}

// EXTERNAL MODULE: ./node_modules/@renovatebot/pep440/index.js + 4 modules
var pep440 = __webpack_require__(9687);
;// CONCATENATED MODULE: ./src/tags/pep440.ts

/** Reads a PEP 440 version (`1.2`, `1.1beta2`, `v1.2.3rc2`); undefined when it is not one. */
function parsePep440(raw) {
    const info = (0,pep440/* explain */.WE)(raw);
    const version = (0,pep440/* clean */.uH)(raw);
    if (info === null || version === null)
        return undefined;
    const [major = 0, minor = 0, patch = 0] = info.release;
    return {
        raw,
        version,
        major: String(major),
        minor: String(minor),
        patch: String(patch),
        // Post releases count as not final too: metadata-action gives them only the full version.
        final: !info.is_prerelease && !info.is_postrelease && !info.is_devrelease,
    };
}

;// CONCATENATED MODULE: ./src/tags/sanitize.ts

/** Docker's limit on the length of a tag. */
const MAX_TAG_LENGTH = 128;
// Shortened pieces end in "-" and 7 hex digits of the whole piece's hash, so two long branch
// names that share a beginning still get different tags.
const HASH_LENGTH = 7;
const MIN_SHORTENED = HASH_LENGTH + 2;
/** Replaces each run of characters a Docker tag cannot hold with `-`. */
function sanitizeTagText(text) {
    return text.replace(/[^A-Za-z0-9_.-]+/g, '-');
}
/** Shortens `text` to `length` characters: its beginning, `-`, and a hash of the whole. */
function shorten(text, length) {
    if (text.length <= length)
        return text;
    const hash = (0,external_node_crypto_.createHash)('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
    return `${text.slice(0, length - HASH_LENGTH - 1)}-${hash}`;
}
/**
 * Joins the segments of a tag into a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`):
 * invalid characters become `-`, a leading `.` or `-` is dropped, and derived segments are
 * shortened until the tag fits in 128 characters. Returns '' when nothing is left, and
 * `{ overflow }` when the written (non-derived) parts alone are too long.
 */
function fitTag(segments) {
    const parts = segments.map((s) => ({ ...s, text: sanitizeTagText(s.text) }));
    for (const part of parts) {
        part.text = part.text.replace(/^[.-]+/, '');
        if (part.text !== '')
            break;
    }
    let excess = parts.reduce((n, p) => n + p.text.length, 0) - MAX_TAG_LENGTH;
    const byLength = parts.filter((p) => p.derived).sort((a, b) => b.text.length - a.text.length);
    for (const part of byLength) {
        if (excess <= 0)
            break;
        const cut = Math.min(excess, part.text.length - MIN_SHORTENED);
        if (cut <= 0)
            continue;
        part.text = shorten(part.text, part.text.length - cut);
        excess -= cut;
    }
    const tag = parts.map((p) => p.text).join('');
    return excess > 0 ? { overflow: tag } : { tag };
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./src/tags/semver.ts

/** Reads a SemVer version (`v1.2.3`, `1.2.3-rc.1`); undefined when it is not one. */
function parseSemver(raw) {
    const cleaned = semver_default().clean(raw);
    const parsed = cleaned === null ? null : semver_default().parse(cleaned);
    if (parsed === null)
        return undefined;
    return {
        raw,
        version: parsed.version,
        major: String(parsed.major),
        minor: String(parsed.minor),
        patch: String(parsed.patch),
        final: parsed.prerelease.length === 0,
    };
}

;// CONCATENATED MODULE: ./src/tags/engine.ts







/**
 * The version a git tag stands for under `tag-pattern`: the group named `version`, else the
 * first capture group, else the whole match; undefined when the tag does not match.
 */
function releaseVersion(tag, tagPattern) {
    if (!tagPattern)
        return tag;
    const m = tagPattern.exec(tag);
    if (!m)
        return undefined;
    return m.groups?.version ?? m[1] ?? m[0];
}
/**
 * Runs the rules (already in priority order) against the context. The first tag produced is
 * the version; under latest=auto the first rule that produces a tag decides on `latest`, as in
 * metadata-action, except that a pre-release-looking git tag never gets `latest`.
 */
function planTags(rules, flavor, context, scope, tagPattern) {
    const env = { context, scope, tagPattern };
    const flavorWhere = (key, value) => ({
        input: 'flavor',
        line: `${key}=${value}`,
    });
    const flavorPrefix = segment(flavor.prefix, scope, flavorWhere('prefix', flavor.prefix));
    const flavorSuffix = segment(flavor.suffix, scope, flavorWhere('suffix', flavor.suffix));
    const tags = [];
    let latest;
    for (const rule of rules) {
        const where = { input: 'tags', line: rule.line };
        if (!isEnabled(rule.attrs.enable, scope, where))
            continue;
        const outcome = produce(rule, env, where);
        // An empty value (no branch, no sha, ...) means the rule does not apply here.
        if (!outcome || outcome.value === '')
            continue;
        const prefix = rule.attrs.prefix === undefined ? flavorPrefix : segment(rule.attrs.prefix, scope, where);
        const suffix = rule.attrs.suffix === undefined ? flavorSuffix : segment(rule.attrs.suffix, scope, where);
        // A tag made too long by the flavor's prefix or suffix is the flavor's error.
        const byFlavor = (rule.attrs.prefix === undefined && flavor.prefix !== '') ||
            (rule.attrs.suffix === undefined && flavor.suffix !== '');
        const name = fit([prefix, { text: outcome.value, derived: outcome.derived }, suffix], byFlavor ? { input: 'flavor', line: '' } : where, byFlavor ? ` (rule "${rule.line}" with the flavor's prefix and suffix)` : '');
        if (name === '')
            continue;
        tags.push({ name, moving: outcome.moving });
        if (latest === undefined) {
            latest = flavor.latest === 'auto' ? outcome.latestAuto : flavor.latest === 'true';
        }
    }
    if (tags.length === 0)
        return { version: '', planned: [] };
    if (latest) {
        const name = fit([
            flavor.prefixLatest ? flavorPrefix : { text: '', derived: false },
            { text: 'latest', derived: false },
            flavor.suffixLatest ? flavorSuffix : { text: '', derived: false },
        ], { input: 'flavor', line: '' });
        tags.push({ name, moving: true });
    }
    return { version: tags[0].name, planned: unique(tags) };
}
function segment(template, scope, where) {
    return { text: render(template, scope, where), derived: hasExpressions(template) };
}
function fit(segments, where, from = '') {
    const result = fitTag(segments);
    if ('overflow' in result) {
        throw inputError(where, `the tag "${result.overflow}"${from} is ${result.overflow.length} characters long, over Docker's limit of ${MAX_TAG_LENGTH} characters for a tag`, `a value, prefix and suffix of at most ${MAX_TAG_LENGTH} characters together`);
    }
    return result.tag;
}
function isEnabled(template, scope, where) {
    const value = render(template, scope, where).trim();
    if (!/^(true|false)$/i.test(value)) {
        throw inputError(where, `invalid enable "${value}"${value === template ? '' : ` (from "${template}")`}`, 'enable=true or enable=false, after expressions such as {{is_default_branch}}');
    }
    return /^true$/i.test(value);
}
/** Merges repeated names, keeping the first position; a name that is immutable anywhere is immutable. */
function unique(tags) {
    const byName = new Map();
    for (const tag of tags) {
        const seen = byName.get(tag.name);
        if (seen)
            seen.moving &&= tag.moving;
        else
            byName.set(tag.name, { ...tag });
    }
    return [...byName.values()];
}
function produce(rule, env, where) {
    const { context, scope } = env;
    const { attrs } = rule;
    switch (rule.type) {
        case 'schedule':
            if (context.eventName !== 'schedule')
                return undefined;
            return one(render(attrs.pattern, scope, where), hasExpressions(attrs.pattern), true, false);
        case 'semver':
        case 'pep440':
            return produceVersion(rule, env, where);
        case 'match':
            return produceMatch(rule, env, where);
        case 'edge': {
            const branch = branchOf(context.ref);
            const target = attrs.branch || context.repository.defaultBranch;
            if (branch === '' || branch !== target)
                return undefined;
            return one('edge', false, true, false);
        }
        case 'ref':
            if (attrs.event === 'branch')
                return one(branchOf(context.ref), true, true, false);
            if (attrs.event === 'pr')
                return one(pullRequestOf(context.ref), true, true, false);
            return one(tagOf(context.ref), true, false, isReleaseTag(tagOf(context.ref), env));
        case 'raw':
            return one(render(attrs.value, scope, where), hasExpressions(attrs.value), true, false);
        case 'sha': {
            const sha = attrs.format === 'long' ? context.sha : context.sha.slice(0, SHORT_SHA_LENGTH);
            return one(sha, true, false, false);
        }
    }
}
function one(value, derived, moving, latestAuto) {
    return { value, derived, moving, latestAuto };
}
/** A git tag that counts as a final release: it matches tag-pattern and is no pre-release. */
function isReleaseTag(tag, env) {
    return (tag !== '' && releaseVersion(tag, env.tagPattern) !== undefined && !looksLikePreRelease(tag));
}
/** The text a semver/pep440/match rule reads: its `value`, or else the pushed git tag. */
function sourceOf(rule, env, where) {
    if (rule.attrs.value)
        return { text: render(rule.attrs.value, env.scope, where), gitTag: false };
    const tag = tagOf(env.context.ref);
    return tag === '' ? undefined : { text: tag, gitTag: true };
}
function produceVersion(rule, env, where) {
    const source = sourceOf(rule, env, where);
    if (!source)
        return undefined;
    let text = source.text;
    if (source.gitTag)
        text = releaseVersion(text, env.tagPattern);
    if (text === undefined)
        return undefined;
    if (rule.attrs.match) {
        const m = compileRegExp(rule.attrs.match, where).exec(text);
        if (!m)
            return undefined;
        text = m[1] ?? m[0];
    }
    const parts = rule.type === 'semver' ? parseSemver(text) : parsePep440(text);
    if (!parts)
        return undefined;
    let pattern = rule.attrs.pattern;
    let names = new Set(expressionsOf(pattern, where).map((e) => e.name));
    const full = (n) => n.has('version') || n.has('raw') || (n.has('major') && n.has('minor') && n.has('patch'));
    // A pre-release only gets its full version: `{{major}}.{{minor}}` of 2.0.8-beta.67 would
    // otherwise move 2.0 onto a beta.
    if (!parts.final && !(names.has('version') || names.has('raw'))) {
        pattern = '{{version}}';
        names = new Set(['version']);
    }
    const { raw, version, major, minor, patch } = parts;
    const value = render(pattern, withVars(env.scope, { raw, version, major, minor, patch }), where);
    return one(value, true, !full(names), parts.final);
}
function produceMatch(rule, env, where) {
    const source = sourceOf(rule, env, where);
    if (!source)
        return undefined;
    const m = compileRegExp(rule.attrs.pattern, where).exec(source.text);
    const value = m?.[Number(rule.attrs.group)];
    if (value === undefined)
        return undefined;
    const release = source.gitTag
        ? isReleaseTag(source.text, env)
        : !looksLikePreRelease(source.text);
    return one(value, true, false, release);
}

;// CONCATENATED MODULE: ./src/tags/clock.ts
/**
 * "Now" for the plan: SOURCE_DATE_EPOCH (whole seconds since the Unix epoch) when set, for
 * reproducible `created` labels and `{{date}}` tags; otherwise `fallback`.
 */
function resolveNow(env, fallback) {
    const value = env.SOURCE_DATE_EPOCH;
    if (value === undefined || value.trim() === '')
        return fallback;
    const text = value.trim();
    const date = /^\d{1,15}$/.test(text) ? new Date(Number(text) * 1000) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
        throw new Error(`SOURCE_DATE_EPOCH: invalid value "${value}"; expected whole seconds since 1970-01-01T00:00:00Z, such as 1578616200`);
    }
    return date;
}

;// CONCATENATED MODULE: ./src/tags/index.ts








/** The `tags` default of build-tag-push (DESIGN.md), used by the caller when the input is empty. */
const DEFAULT_TAG_RULES = [
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=semver,pattern={{major}}',
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=sha',
];
/** metadata-action's defaults, which computeMeta applies when given no rules at all. */
const METADATA_ACTION_DEFAULT_TAG_RULES = [
    'type=schedule',
    'type=ref,event=branch',
    'type=ref,event=tag',
    'type=ref,event=pr',
];
/**
 * Computes version, tags, labels and annotations the way docker/metadata-action does, with
 * build-tag-push's corrections (no `latest` on pre-releases, unique tags, tags that Docker
 * accepts) and additions (tag-pattern, `{{run_number}}`). Pure: same inputs, same result.
 */
function computeMeta(inputs, context, now, options) {
    const images = parseImages(inputs.images);
    const lines = inputs.tags.filter((line) => line.trim() !== '');
    const rules = parseRules(lines.length > 0 ? lines : METADATA_ACTION_DEFAULT_TAG_RULES);
    const flavor = parseFlavor(inputs.flavor.filter((line) => line.trim() !== ''));
    const tagPattern = inputs.tagPattern
        ? compileRegExp(inputs.tagPattern, { input: 'tag-pattern', line: '' })
        : undefined;
    const scope = globalScope(context, now);
    const { version, planned } = planTags(rules, flavor, context, scope, tagPattern);
    const tagNames = planned.map((t) => t.name);
    const tags = images.length > 0
        ? images.flatMap((image) => tagNames.map((name) => `${image}:${name}`))
        : tagNames;
    const oci = ociEntries(context, now, version);
    return {
        version,
        images,
        tags,
        tagNames,
        planned,
        labels: mergeEntries(oci, inputs.labels, scope, 'labels'),
        annotations: withLevels(mergeEntries(oci, inputs.annotations, scope, 'annotations'), options?.annotationLevels),
    };
}

;// CONCATENATED MODULE: ./src/plan.ts

const PUSH_EVENTS = new Set(['push', 'schedule', 'release', 'workflow_dispatch']);
/** Decides whether to push, from the `push` input and the event. */
function pushDecision(mode, context) {
    const event = context.eventName || 'no event';
    if (mode === 'false')
        return { push: false, reason: 'push is false' };
    if (context.pullRequest?.fromFork && context.eventName.startsWith('pull_request')) {
        // A fork's code must never get the base repository's registry credentials.
        return {
            push: false,
            reason: `pull request #${context.pullRequest.number} comes from a fork; images from forks are never pushed`,
        };
    }
    if (mode === 'true')
        return { push: true, reason: 'push is true' };
    if (PUSH_EVENTS.has(context.eventName))
        return { push: true, reason: `push is auto and the event is ${event}` };
    return {
        push: false,
        reason: `push is auto and the event is ${event}; auto pushes on push, schedule, release and workflow_dispatch (set push: true to push)`,
    };
}
/** The whole plan: tags, labels, annotations and the push decision. Pure. */
function makePlan(inputs, context, now) {
    const meta = computeMeta({
        images: inputs.images,
        tags: inputs.tags.length > 0 ? inputs.tags : DEFAULT_TAG_RULES,
        flavor: inputs.flavor,
        labels: inputs.labels,
        annotations: inputs.annotations,
        tagPattern: inputs.tagPattern,
    }, context, now);
    const { push, reason } = pushDecision(inputs.push, context);
    if (push && meta.tagNames.length === 0) {
        throw new Error(`tags: no tag applies to ${context.ref || 'this ref'} (event ${context.eventName || 'none'}), so there is nothing to push; add a rule that applies (for example type=sha) or set push: false`);
    }
    return { meta, push, pushReason: reason };
}
/**
 * The warning for a pull request from a fork that is given secret values (`secrets`,
 * `secret-files`, `test-env`): no login is made and nothing is pushed, but the fork's Dockerfile
 * and test read what they are given. On `pull_request` GitHub gives a fork empty secrets, so
 * empty values do not count; on `pull_request_target` it gives the repository's. Pure.
 */
function forkSecretsWarning(inputs, context) {
    const pr = context.pullRequest;
    if (!pr?.fromFork || !context.eventName.startsWith('pull_request'))
        return undefined;
    const given = [
        inputs.secrets.some((s) => s.value !== '') ? 'secrets' : '',
        inputs.secretFiles.length > 0 ? 'secret-files' : '',
        inputs.testEnv.some((v) => v.value !== '') ? 'test-env' : '',
    ].filter(Boolean);
    if (given.length === 0)
        return undefined;
    return `${given.join(', ')}: pull request #${pr.number} comes from a fork, and its Dockerfile and test can read these values; on ${context.eventName} events from forks, pass none`;
}

;// CONCATENATED MODULE: ./src/tags/outputs.ts
/** The metadata outputs as strings, joined with the separators of the sep-* inputs. */
function metaOutputs(meta, sep) {
    return {
        version: meta.version,
        tags: meta.tags.join(sep.tags),
        'tag-names': meta.tagNames.join(sep.tags),
        labels: meta.labels.join(sep.labels),
        annotations: meta.annotations.join(sep.annotations),
        json: JSON.stringify(metaJson(meta)),
    };
}
/** The object of metadata-action's `json` output: tags, tag names, labels as a map, annotations. */
function metaJson(meta) {
    const labels = {};
    for (const label of meta.labels) {
        const at = label.indexOf('=');
        labels[label.slice(0, at)] = label.slice(at + 1);
    }
    return { tags: meta.tags, 'tag-names': meta.tagNames, labels, annotations: meta.annotations };
}

;// CONCATENATED MODULE: ./src/report.ts





/** Sets every output of the step, in one place. */
function setOutputs(plan, inputs, outcome) {
    const meta = metaOutputs(plan.meta, {
        tags: inputs.sepTags,
        labels: inputs.sepLabels,
        annotations: inputs.sepAnnotations,
    });
    core/* setOutput */.uH(names/* Output */.k.version, meta.version);
    core/* setOutput */.uH(names/* Output */.k.tags, meta.tags);
    core/* setOutput */.uH(names/* Output */.k.tagNames, meta['tag-names']);
    core/* setOutput */.uH(names/* Output */.k.labels, meta.labels);
    core/* setOutput */.uH(names/* Output */.k.annotations, meta.annotations);
    core/* setOutput */.uH(names/* Output */.k.json, meta.json);
    core/* setOutput */.uH(names/* Output */.k.digest, outcome?.digest ?? '');
    core/* setOutput */.uH(names/* Output */.k.imageId, outcome?.imageId ?? '');
    core/* setOutput */.uH(names/* Output */.k.metadata, outcome?.metadata ?? '');
    core/* setOutput */.uH(names/* Output */.k.refs, (outcome?.refs ?? []).join('\n'));
    core/* setOutput */.uH(names/* Output */.k.pushed, String(outcome?.pushed ?? false));
    core/* setOutput */.uH(names/* Output */.k.reused, String(Boolean(outcome?.reused)));
    core/* setOutput */.uH(names/* Output */.k.fingerprint, outcome?.fingerprint ?? '');
    setTestOutputs(outcome?.test ?? test_gate/* SKIPPED */.$O);
    // artifact-id is set by the upload, after these: a failed upload leaves every other output.
}
/** The test outputs; set alone when a failed test ends the step. */
function setTestOutputs(report) {
    const outputs = (0,test_gate/* testOutputs */.tc)(report);
    core/* setOutput */.uH(names/* Output */.k.testResult, outputs.result);
    core/* setOutput */.uH(names/* Output */.k.testExitCode, outputs.exitCode);
    core/* setOutput */.uH(names/* Output */.k.testDuration, outputs.duration);
}
function labelValue(labels, key) {
    const prefix = `${key}=`;
    return labels.find((label) => label.startsWith(prefix))?.slice(prefix.length) ?? '';
}
/** The record that consumers use to verify what they run. Pure. */
function digestRecord(plan, context, outcome) {
    return {
        images: plan.meta.images,
        tags: plan.meta.tags,
        digest: outcome.digest,
        refs: outcome.refs,
        version: plan.meta.version,
        revision: context.sha,
        source: context.repository.htmlUrl,
        created: labelValue(plan.meta.labels, 'org.opencontainers.image.created'),
        fingerprint: outcome.fingerprint ?? '',
    };
}
function code(text) {
    return `\`${text.replace(/`/g, "'")}\``;
}
/** The job summary as Markdown. Pure. */
function summaryMarkdown(plan, outcome) {
    const { meta } = plan;
    const out = [];
    const title = outcome?.reused ? '## Image promoted' : '## Image built';
    out.push(outcome ? title : '## Image plan (dry run)', '');
    out.push('| image | tags |', '| --- | --- |');
    for (const image of meta.images) {
        const tags = meta.tagNames.map(code).join(' ') || '(none)';
        out.push(`| ${code(image)} | ${tags} |`);
    }
    out.push('');
    out.push(`- version: ${meta.version ? code(meta.version) : '(none)'}`);
    if (outcome) {
        out.push(`- digest: ${code(outcome.digest)}`);
        out.push(`- platforms: ${outcome.platforms.length ? outcome.platforms.map(code).join(', ') : 'the runner\u2019s'}`);
        if (outcome.reused) {
            out.push(`- reused: promoted from ${code(`${outcome.reused.image}:${outcome.reused.tag}`)}, built earlier from the same source fingerprint; no build ran (promotion time: ${(0,test_gate/* formatDuration */.a3)(outcome.durationMs)})`);
        }
        else {
            out.push(`- build time: ${(0,test_gate/* formatDuration */.a3)(outcome.durationMs)}`);
        }
        if (outcome.fingerprint)
            out.push(`- fingerprint: ${code(outcome.fingerprint)}`);
        out.push(`- pushed: ${outcome.pushed ? 'yes' : 'no'} (${plan.pushReason})`);
        if (outcome.pushed && outcome.refs.length > 0) {
            out.push('', 'Pull exactly this image:', '', '```sh');
            for (const ref of outcome.refs)
                out.push(`docker pull ${ref}`);
            out.push('```');
        }
        if (outcome.test)
            out.push(...(0,test_gate/* testMarkdown */.qw)(outcome.test));
    }
    else {
        out.push(`- would push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
    }
    return out.join('\n') + '\n';
}
/** The job summary of a test that failed: nothing was pushed. Pure. */
function failedTestMarkdown(plan, report) {
    const out = ['## Image test failed', '', 'Nothing was pushed.'];
    out.push('', `- version: ${plan.meta.version ? code(plan.meta.version) : '(none)'}`);
    out.push(...(0,test_gate/* testMarkdown */.qw)(report));
    return out.join('\n') + '\n';
}
/**
 * The job summary of a push that stopped part way: per registry and image, the tags it got
 * and the ones it did not, then why the push stopped. Pure.
 */
function failedPushMarkdown(plan, report, cause) {
    const out = [
        '## Image push failed',
        '',
        cause.split('\n')[0],
        '',
        '| registry | image | pushed | not pushed |',
        '| --- | --- | --- | --- |',
    ];
    for (const image of report.images) {
        const pushed = [
            ...image.pushed.map(code),
            ...image.unverified.map((t) => `${code(t)} (not verified)`),
        ];
        const missing = [
            ...(image.unknown ?? []).map((t) => `${code(t)} (unknown: registry not readable)`),
            ...image.notPushed.map(code),
        ];
        out.push(`| ${code(report_registryOf(image.image))} | ${code(image.image)} | ${pushed.join(' ') || 'nothing'} | ${missing.join(' ') || 'nothing'} |`);
    }
    out.push('', 'Moving tags (`latest`, major, minor, branch) are pushed only after every immutable tag is verified in every registry. A tag marked "not verified" is in the registry, but the push stopped before its digest was checked against the build.');
    const details = cause.split('\n').slice(1);
    if (details.length > 0) {
        out.push('', '<details><summary>Error</summary>', '', '```text');
        out.push(...details.map((line) => line.replace(/```/g, "'''")), '```', '', '</details>');
    }
    out.push('', `- version: ${plan.meta.version ? code(plan.meta.version) : '(none)'}`);
    if (report.digest)
        out.push(`- digest: ${code(report.digest)}`);
    return out.join('\n') + '\n';
}
function report_registryOf(image) {
    try {
        return (0,docker_registry/* parseReference */.F2)(image).registry;
    }
    catch {
        return image.split('/')[0];
    }
}
/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is skipped. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        core/* debug */.Yz('GITHUB_STEP_SUMMARY is not set; no job summary written');
        return;
    }
    await core/* summary */.z.addRaw(markdown).write();
}
/**
 * Uploads `image-digest.json` and `digest.txt` as a workflow artifact and
 * returns its ID. Outside GitHub (no ACTIONS_RUNTIME_TOKEN) it warns once and
 * returns ''.
 */
async function uploadDigestArtifact(name, record, 
/** Bound of each request of the upload (`network-timeout`). */
timeoutMs) {
    if (!process.env.ACTIONS_RUNTIME_TOKEN) {
        core/* warning */.$e(`artifact-name: no artifact "${name}" uploaded: ACTIONS_RUNTIME_TOKEN is not set (not running on GitHub Actions); the digest is in the step outputs and the job summary`);
        return '';
    }
    // Loaded here only: dry runs and builds without an artifact never load the client.
    const { uploadArtifact } = await __webpack_require__.e(/* import() */ 22).then(__webpack_require__.bind(__webpack_require__, 3022));
    const artifact = await uploadArtifact(name, [
        { name: 'image-digest.json', data: Buffer.from(JSON.stringify(record, null, 2) + '\n') },
        { name: 'digest.txt', data: Buffer.from(record.digest + '\n') },
    ], { timeoutMs });
    core/* info */.pq(`uploaded artifact "${name}" (${artifact.size} bytes, ${artifact.digest}): ID ${artifact.id}`);
    return artifact.id;
}

;// CONCATENATED MODULE: ./src/main.ts

























/** The main step: inputs, context, plan, then (unless dry-run) login, build, push, verify, report. */
async function run() {
    const inputs = getInputs();
    const context = getContext();
    const plan = planPhase(inputs, context);
    if (inputs.dryRun) {
        core/* info */.pq('dry-run is true: no login, build or push');
        setOutputs(plan, inputs, undefined);
        if (inputs.summary)
            await writeSummary(summaryMarkdown(plan, undefined));
        return;
    }
    // Resolved before anything is created, so a missing credential fails with nothing to clean up.
    const fork = !plan.push && context.pullRequest?.fromFork;
    const logins = fork ? [] : (0,login/* resolveLogins */.XN)(inputs, context.actor);
    if (fork)
        core/* info */.pq(`no registry login: ${plan.pushReason}, and a fork's code gets no credentials`);
    const forkSecrets = forkSecretsWarning(inputs, context);
    if (forkSecrets)
        core/* warning */.$e(forkSecrets);
    checkBuildSources(inputs);
    for (const warning of buildArgWarnings(inputs.buildArgs))
        core/* warning */.$e(warning);
    const tempRoot = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    const tempDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(tempRoot, 'build-tag-push-'));
    core/* saveState */.LZ(names/* State */.U.tempDir, tempDir);
    const dockerConfig = (0,config/* createDockerConfig */.lp)({ tempRoot });
    core/* saveState */.LZ(names/* State */.U.dockerConfig, dockerConfig);
    if (inputs.buildxVersion) {
        await core/* group */.Os('Set up buildx', async () => {
            const { ensureBuildx } = await __webpack_require__.e(/* import() */ 723).then(__webpack_require__.bind(__webpack_require__, 723));
            await ensureBuildx({
                version: inputs.buildxVersion,
                mirror: inputs.buildxMirror,
                dockerConfig,
            });
        });
    }
    // Each probe is a process on every run: `docker buildx version` runs above only when a release
    // is asked for (a missing buildx shows in the build's own error), and the builder's driver is
    // read only when it matters (--load, the test gate) or a named builder is to be checked before
    // anything is pushed. That probe runs beside the logins.
    const gated = Boolean(inputs.test || inputs.testTarget);
    const [driver] = await Promise.all([
        inputs.load || gated || inputs.builder
            ? builderDriver(dockerConfig, inputs.builder)
            : Promise.resolve(''),
        logins.length > 0 || plan.push
            ? core/* group */.Os('Log in', () => loginPhase(logins, dockerConfig, inputs, plan))
            : undefined,
    ]);
    const outcome = await buildPhase(inputs, plan, tempDir, dockerConfig, driver);
    await reportPhase(inputs, context, plan, outcome);
}
function planPhase(inputs, context) {
    const now = resolveNow(process.env, new Date());
    const plan = makePlan(inputs, context, now);
    core/* startGroup */.Oh('Plan');
    core/* info */.pq(`event: ${context.eventName || '(none)'}, ref: ${context.ref || '(none)'}, sha: ${context.sha || '(none)'}`);
    core/* info */.pq(`version: ${plan.meta.version || '(none)'}`);
    core/* info */.pq(`tags:\n${plan.meta.tags.map((t) => `  ${t}`).join('\n') || '  (none)'}`);
    core/* info */.pq(`labels:\n${plan.meta.labels.map((l) => `  ${l}`).join('\n')}`);
    core/* info */.pq(`push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
    core/* endGroup */.N4();
    return plan;
}
async function loginPhase(logins, dockerConfig, inputs, plan) {
    if (logins.length > 0) {
        // Saved before logging in: a login that half-succeeded is still logged out by the post step.
        core/* saveState */.LZ(names/* State */.U.registries, JSON.stringify(logins.map((l) => l.registry)));
        await (0,login/* login */.iD)(logins, dockerConfig, {
            retry: (0,docker_retry/* retryPolicy */.Jb)(inputs.retries),
            timeoutMs: inputs.networkTimeoutMs,
        });
    }
    if (!plan.push)
        return;
    for (const registry of (0,login/* anonymousRegistries */.VE)(plan.meta.images, (0,config/* credentialsFromConfig */.Zn)(dockerConfig)))
        core/* info */.pq(`no credentials were given for ${registry}; pushing to it anonymously`);
}
async function buildPhase(inputs, plan, tempDir, dockerConfig, driver) {
    const secrets = writeSecretFiles(inputs.secrets, inputs.secretFiles, (0,external_node_path_.join)(tempDir, 'secrets'));
    let builds = 0;
    const buildWith = async (overrides, title) => {
        // Files of their own per build: one that buildx leaves unwritten is not read from the last.
        builds++;
        const metadataFile = (0,external_node_path_.join)(tempDir, `metadata-${builds}.json`);
        const iidFile = (0,external_node_path_.join)(tempDir, `iid-${builds}.txt`);
        const args = buildxArgs({
            ...inputs,
            labels: plan.meta.labels,
            annotations: plan.meta.annotations,
            tags: [],
            push: false,
            load: inputs.load,
            secrets,
            metadataFile,
            iidFile,
            driver,
            ...overrides,
        });
        return core/* group */.Os(title, () => build(args, { dockerConfig, metadataFile, iidFile }));
    };
    const buildOnce = (tags, push) => buildWith({ tags, push }, 'Build');
    const gated = Boolean(inputs.test || inputs.testTarget);
    const retry = (0,docker_retry/* retryPolicy */.Jb)(inputs.retries);
    const credentials = (0,config/* credentialsFromConfig */.Zn)(dockerConfig);
    const registry = new docker_registry/* RegistryClient */.bP({ credentials, retry, timeoutMs: inputs.networkTimeoutMs });
    // Needed before the build only to look for an image to reuse; otherwise it is computed beside
    // the build (base image lookups are network round trips) and logged after it.
    const reuse = inputs.reuse && plan.push;
    // Beside the build, the lookups are not retried and wait 10 s at most: a slow base registry
    // must not hold up a finished build, nor the end of a failed one.
    const lookups = reuse
        ? registry
        : new docker_registry/* RegistryClient */.bP({ credentials, timeoutMs: Math.min(inputs.networkTimeoutMs, 10_000) });
    const fingerprinting = sourceFingerprint(inputs, plan, dockerConfig, lookups);
    const fingerprint = reuse ? reportFingerprint(await fingerprinting, true) : '';
    const withFingerprint = async (outcome) => reuse ? outcome : { ...outcome, fingerprint: reportFingerprint(await fingerprinting, false) };
    // Beside the build: how each registry authenticates (a token for the push), so the checks
    // after the build start authenticated. Given up at the end of this phase: a registry that does
    // not answer must not keep a failed step waiting.
    const warmUp = new AbortController();
    try {
        if (plan.push)
            void registry.warmUp(plan.meta.images, warmUp.signal);
        if (!plan.push) {
            const tested = gated
                ? await testPhase(inputs, plan, plan.meta.tags, buildWith, driver, dockerConfig)
                : undefined;
            const result = tested?.result ?? (await buildOnce(plan.meta.tags, false));
            core/* info */.pq(`built ${result.imageId}; not pushed: ${plan.pushReason}`);
            return await withFingerprint(outcomeOf(result, inputs, false, [], fingerprint, tested));
        }
        // With reuse, every image also gets the fingerprint tag, an immutable one.
        const fpTag = inputs.reuse && fingerprint ? fingerprintTag(fingerprint) : '';
        const tags = fpTag ? [...plan.meta.planned, { name: fpTag, moving: false }] : plan.meta.planned;
        const steps = pushSteps(plan.meta.images.map((image) => ({ image, tags })));
        const found = fpTag ? await findReusable(registry, plan.meta.images[0], fpTag) : undefined;
        if (found) {
            return await promotePhase(inputs, plan, steps, {
                registry,
                dockerConfig,
                digest: found,
                fingerprint,
                fpTag,
                retry,
                credentials,
            });
        }
        // With a test gate the image is built and tested first; the push sends that image.
        const tested = gated
            ? await testPhase(inputs, plan, buildTags(steps), buildWith, driver, dockerConfig)
            : undefined;
        let result = tested?.result;
        let report;
        try {
            report = await runPushSteps(steps, {
                build: async (refs) => {
                    if (tested && driver === 'docker') {
                        return pushTestedImage(tested, refs, dockerConfig, registry);
                    }
                    if (tested) {
                        const pushed = await pushByDigest(tested, refs, buildWith, registry);
                        result = pushed.result;
                        return pushed.digest;
                    }
                    result = await buildOnce(refs, true);
                    return result.digest;
                },
                registry,
            }, { retry, credentials });
        }
        catch (error) {
            if (error instanceof PushError && inputs.summary) {
                await writeSummary(failedPushMarkdown(plan, error.report, error.reason));
            }
            throw error;
        }
        if (!result)
            throw new Error('the push finished without a build');
        const refs = plan.meta.images.map((image) => `${image}@${report.digest}`);
        core/* info */.pq(`pushed and verified ${report.digest}: ${plan.meta.tags.join(', ')}`);
        return await withFingerprint(outcomeOf({ ...result, digest: report.digest }, inputs, true, refs, fingerprint, tested));
    }
    finally {
        warmUp.abort();
        for (const warning of removeSecretFiles((0,external_node_path_.join)(tempDir, 'secrets')))
            core/* warning */.$e(warning);
    }
}
/**
 * The test gate: builds and tests the image (and the test-target stage) before anything is
 * pushed. A failed test sets the test outputs and the summary, then fails the step.
 */
async function testPhase(inputs, plan, tags, build, driver, dockerConfig) {
    try {
        return await buildAndTest(inputs, {
            driver,
            dockerConfig,
            build,
            tags,
            // The container running now: the post step removes it if the job is cancelled meanwhile.
            onContainer: (name) => core/* saveState */.LZ(names/* State */.U.testContainer, name),
        });
    }
    catch (error) {
        if (error instanceof TestError) {
            setTestOutputs(error.report);
            if (inputs.summary)
                await writeSummary(failedTestMarkdown(plan, error.report));
        }
        throw error;
    }
    finally {
        // Every test container is gone by now (--rm, or removed at the timeout).
        core/* saveState */.LZ(names/* State */.U.testContainer, '');
    }
}
/** Computes the source fingerprint. Never throws: a failure is returned, to be reported. */
async function sourceFingerprint(inputs, plan, dockerConfig, registry) {
    try {
        const buildPlatform = await (0,test_run/* enginePlatform */.qY)(dockerConfig).catch(() => `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`);
        const { hash, details } = await computeFingerprint({ ...inputs, labels: plan.meta.labels, annotations: plan.meta.annotations }, { buildPlatform, resolveDigest: (image, tag) => registry.manifestDigest(image, tag) });
        return { hash, details, failure: '' };
    }
    catch (error) {
        const failure = error instanceof Error ? error.message : String(error);
        return { hash: '', details: [], failure };
    }
}
/**
 * Logs the fingerprint and what went into it; returns it. Without one, reuse is off for this
 * run, with a warning when it was asked for.
 */
function reportFingerprint(result, reuse) {
    core/* startGroup */.Oh('Fingerprint');
    for (const line of result.details)
        core/* info */.pq(line);
    if (result.hash)
        core/* info */.pq(`fingerprint: ${result.hash} (tag ${fingerprintTag(result.hash)})`);
    else if (!reuse)
        core/* info */.pq(`no source fingerprint: ${result.failure}`);
    core/* endGroup */.N4();
    if (!result.hash && reuse) {
        core/* warning */.$e(`reuse: no source fingerprint (${result.failure}); building without reuse`);
    }
    return result.hash;
}
/**
 * The digest of `image:fpTag`; undefined when there is none, or when the lookup failed (a
 * warning says so and the image is built as usual).
 */
async function findReusable(registry, image, fpTag) {
    try {
        const digest = await registry.manifestDigest(image, fpTag);
        core/* info */.pq(digest
            ? `reuse: ${image}:${fpTag} is ${digest}, built from the same source fingerprint`
            : `reuse: no ${image}:${fpTag} yet; building`);
        return digest;
    }
    catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        core/* warning */.$e(`reuse: could not look up ${image}:${fpTag} (${reason}); building as usual`);
        return undefined;
    }
}
/**
 * Reuse: the image found under the fingerprint tag in the first image repository gets every
 * tag in every image repository, in the push order (immutable tags, verified, then moving
 * ones), by manifest copy; no build, no pull of its layers. The `test` command runs in it
 * first (pulled), unless test-on-reuse is false.
 */
async function promotePhase(inputs, plan, steps, promotion) {
    const { registry, dockerConfig, digest, fpTag } = promotion;
    const started = Date.now();
    const source = plan.meta.images[0];
    const sourceRef = `${source}@${digest}`;
    const gated = Boolean(inputs.test || inputs.testTarget);
    if (gated && !inputs.testOnReuse) {
        core/* info */.pq('test-on-reuse is false: the reused image is not tested again');
    }
    const testIt = gated && inputs.testOnReuse;
    // Pulled only to test or load it; a promotion by itself never moves a layer through here.
    const imageId = testIt || inputs.load ? await pullImage(sourceRef, dockerConfig) : '';
    let test;
    if (testIt) {
        try {
            test = await testReusedImage(inputs, sourceRef, imageId, {
                dockerConfig,
                onContainer: (name) => core/* saveState */.LZ(names/* State */.U.testContainer, name),
            });
        }
        catch (error) {
            if (error instanceof TestError) {
                setTestOutputs(error.report);
                if (inputs.summary)
                    await writeSummary(failedTestMarkdown(plan, error.report));
            }
            throw error;
        }
        finally {
            core/* saveState */.LZ(names/* State */.U.testContainer, '');
        }
    }
    let report;
    try {
        report = await core/* group */.Os(`Promote ${source}:${fpTag}`, () => runPushSteps(steps, { build: promoteStep(registry, source, digest), registry }, { retry: promotion.retry, credentials: promotion.credentials }));
    }
    catch (error) {
        if (error instanceof PushError && inputs.summary) {
            await writeSummary(failedPushMarkdown(plan, error.report, error.reason));
        }
        throw error;
    }
    const configDigest = imageId || (await configOf(registry, source, digest, dockerConfig));
    const refs = plan.meta.images.map((image) => `${image}@${report.digest}`);
    core/* info */.pq(`promoted ${sourceRef} (fingerprint tag ${fpTag}) without a build: ${plan.meta.tags.join(', ')}`);
    return {
        digest: report.digest,
        imageId: configDigest,
        // What buildx would have reported for this image.
        metadata: JSON.stringify({
            'containerimage.digest': report.digest,
            'containerimage.config.digest': configDigest,
        }),
        platforms: inputs.platforms,
        durationMs: Date.now() - started,
        pushed: true,
        refs,
        test,
        fingerprint: promotion.fingerprint,
        reused: { tag: fpTag, image: source },
    };
}
/** The config digest of `image@digest` (for an index: of the engine's platform); '' if unknown. */
async function configOf(registry, image, digest, dockerConfig) {
    try {
        const platform = await (0,test_run/* enginePlatform */.qY)(dockerConfig);
        let found = (0,test_gate/* manifestConfig */.Wz)((await registry.getManifest(image, digest)).body, platform);
        if ('manifest' in found) {
            found = (0,test_gate/* manifestConfig */.Wz)((await registry.getManifest(image, found.manifest)).body, platform);
        }
        return 'config' in found ? found.config : '';
    }
    catch (error) {
        core/* debug */.Yz(`no config digest for ${image}@${digest}: ${String(error)}`);
        return '';
    }
}
function outcomeOf(result, inputs, pushed, refs, fingerprint, tested) {
    return {
        digest: result.digest,
        // The tested image's config digest, which the push checked against the registry.
        imageId: tested?.configDigest ?? result.imageId,
        metadata: result.metadata,
        platforms: inputs.platforms,
        durationMs: result.durationMs,
        pushed,
        refs,
        test: tested?.report,
        fingerprint,
    };
}
async function reportPhase(inputs, context, plan, outcome) {
    core/* info */.pq(`digest: ${outcome.digest || '(none)'}`);
    // Outputs and summary first: when the upload fails, later steps still see what was pushed.
    setOutputs(plan, inputs, outcome);
    if (inputs.summary)
        await writeSummary(summaryMarkdown(plan, outcome));
    if (!inputs.artifactName || !outcome.digest)
        return;
    const record = digestRecord(plan, context, outcome);
    const id = await core/* group */.Os('Upload digest artifact', async () => {
        try {
            return await uploadDigestArtifact(inputs.artifactName, record, inputs.networkTimeoutMs);
        }
        catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new Error(`artifact-name: could not upload "${inputs.artifactName}" (${reason}); the image is pushed and its digest is in the outputs. A workflow run holds each artifact name once: give each job its own artifact-name, or set it empty for none`);
        }
    });
    if (id)
        core/* setOutput */.uH(names/* Output */.k.artifactId, id);
}


/***/ })

};
