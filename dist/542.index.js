export const id = 542;
export const ids = [542];
export const modules = {

/***/ 5542:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 13 modules
var lib_core = __webpack_require__(7094);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
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

;// CONCATENATED MODULE: ./src/inputs.ts

/** Reads and validates the inputs; secrets are masked before anything else reads them. */
function getInputs() {
    const password = lib_core/* getInput */.V4('password');
    const githubToken = lib_core/* getInput */.V4('github-token');
    const secrets = parsePairs('secrets', lines('secrets'), 'ID=VALUE');
    for (const value of [password, githubToken, ...secrets.map((s) => s.value)]) {
        if (value)
            lib_core/* setSecret */.Pq(value);
    }
    const images = imageList(lib_core/* getInput */.V4('images'));
    if (images.length === 0) {
        throw new Error('images: no image name given; expected at least one name such as ghcr.io/acme/app');
    }
    return {
        images,
        tags: lines('tags'),
        flavor: lines('flavor'),
        tagPattern: lib_core/* getInput */.V4('tag-pattern'),
        labels: lines('labels'),
        annotations: lines('annotations'),
        sepTags: separator('sep-tags'),
        sepLabels: separator('sep-labels'),
        sepAnnotations: separator('sep-annotations'),
        registry: lib_core/* getInput */.V4('registry'),
        username: lib_core/* getInput */.V4('username'),
        password,
        context: lib_core/* getInput */.V4('context') || '.',
        file: lib_core/* getInput */.V4('file'),
        buildArgs: lines('build-args'),
        buildContexts: lines('build-contexts'),
        target: lib_core/* getInput */.V4('target'),
        platforms: platformList(lib_core/* getInput */.V4('platforms')),
        cacheFrom: lines('cache-from'),
        cacheTo: lines('cache-to'),
        noCache: bool('no-cache'),
        pull: bool('pull'),
        provenance: lib_core/* getInput */.V4('provenance'),
        sbom: lib_core/* getInput */.V4('sbom'),
        builder: lib_core/* getInput */.V4('builder'),
        secrets,
        secretFiles: parsePairs('secret-files', lines('secret-files'), 'ID=PATH'),
        push: pushMode(lib_core/* getInput */.V4('push')),
        load: bool('load'),
        dryRun: bool('dry-run'),
        summary: bool('summary'),
        artifactName: lib_core/* getInput */.V4('artifact-name'),
        buildxVersion: buildxVersion(lib_core/* getInput */.V4('buildx-version')),
        buildxMirror: lib_core/* getInput */.V4('buildx-mirror'),
        githubToken,
    };
}
/** One entry per non-empty line; lines starting with `#` are comments. */
function lines(name) {
    return splitLines(lib_core/* getInput */.V4(name, { trimWhitespace: false }));
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
/** core.getBooleanInput rejects typos; its message is reworded to name the value. */
function bool(name) {
    try {
        return lib_core/* getBooleanInput */.Vt(name);
    }
    catch {
        throw new Error(`${name}: "${lib_core/* getInput */.V4(name)}" is not a boolean; expected true or false`);
    }
}
function separator(name) {
    // Separators are taken as written: trimming would turn "\n" or " " into nothing.
    return lib_core/* getInput */.V4(name, { trimWhitespace: false });
}

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


const KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];
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
                    throw inputError(where, `unknown key "${key}"`, `one of ${KEYS.join(', ')}`);
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
const EXPECTED = '[registry[:port]/]path such as ghcr.io/owner/app, with path parts of letters and digits joined by ".", "_", "__" or "-"';
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
        throw inputError(where, `invalid image name "${name}"`, EXPECTED);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
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
        if (!outcome)
            continue;
        const prefix = rule.attrs.prefix === undefined ? flavorPrefix : segment(rule.attrs.prefix, scope, where);
        const suffix = rule.attrs.suffix === undefined ? flavorSuffix : segment(rule.attrs.suffix, scope, where);
        let produced = false;
        for (const candidate of outcome.candidates) {
            // An empty value (no branch, no sha, ...) means the rule does not apply here.
            if (candidate.value === '')
                continue;
            const name = fit([prefix, { text: candidate.value, derived: candidate.derived }, suffix], where);
            if (name === '')
                continue;
            tags.push({ name, moving: candidate.moving });
            produced = true;
        }
        if (produced && latest === undefined) {
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
        ], { input: 'flavor', line: `prefix=${flavor.prefix},suffix=${flavor.suffix},onlatest=true` });
        tags.push({ name, moving: true });
    }
    return { version: tags[0].name, planned: unique(tags) };
}
function segment(template, scope, where) {
    return { text: render(template, scope, where), derived: hasExpressions(template) };
}
function fit(segments, where) {
    const result = fitTag(segments);
    if ('overflow' in result) {
        throw inputError(where, `the tag "${result.overflow}" is ${result.overflow.length} characters long, over Docker's limit of ${MAX_TAG_LENGTH} characters for a tag`, `a value, prefix and suffix of at most ${MAX_TAG_LENGTH} characters together`);
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
    return { candidates: [{ value, derived, moving }], latestAuto };
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
    return { candidates: [{ value, derived: true, moving: !full(names) }], latestAuto: parts.final };
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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/names.ts
var names = __webpack_require__(6455);
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
function setOutputs(plan, inputs, outcome, artifactId = '') {
    const meta = metaOutputs(plan.meta, {
        tags: inputs.sepTags,
        labels: inputs.sepLabels,
        annotations: inputs.sepAnnotations,
    });
    lib_core/* setOutput */.uH(names/* Output */.k.version, meta.version);
    lib_core/* setOutput */.uH(names/* Output */.k.tags, meta.tags);
    lib_core/* setOutput */.uH(names/* Output */.k.tagNames, meta['tag-names']);
    lib_core/* setOutput */.uH(names/* Output */.k.labels, meta.labels);
    lib_core/* setOutput */.uH(names/* Output */.k.annotations, meta.annotations);
    lib_core/* setOutput */.uH(names/* Output */.k.json, meta.json);
    lib_core/* setOutput */.uH(names/* Output */.k.digest, outcome?.digest ?? '');
    lib_core/* setOutput */.uH(names/* Output */.k.imageId, outcome?.imageId ?? '');
    lib_core/* setOutput */.uH(names/* Output */.k.metadata, outcome?.metadata ?? '');
    lib_core/* setOutput */.uH(names/* Output */.k.refs, (outcome?.refs ?? []).join('\n'));
    lib_core/* setOutput */.uH(names/* Output */.k.pushed, String(outcome?.pushed ?? false));
    lib_core/* setOutput */.uH(names/* Output */.k.artifactId, artifactId);
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
    };
}
function formatDuration(ms) {
    return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
function code(text) {
    return `\`${text.replace(/`/g, "'")}\``;
}
/** The job summary as Markdown. Pure. */
function summaryMarkdown(plan, outcome) {
    const { meta } = plan;
    const out = [];
    out.push(outcome ? '## Image built' : '## Image plan (dry run)', '');
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
        out.push(`- build time: ${formatDuration(outcome.durationMs)}`);
        out.push(`- pushed: ${outcome.pushed ? 'yes' : 'no'} (${plan.pushReason})`);
        if (outcome.pushed && outcome.refs.length > 0) {
            out.push('', 'Pull exactly this image:', '', '```sh');
            for (const ref of outcome.refs)
                out.push(`docker pull ${ref}`);
            out.push('```');
        }
    }
    else {
        out.push(`- would push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
    }
    return out.join('\n') + '\n';
}
/** Writes the job summary; outside a runner (no GITHUB_STEP_SUMMARY) it is skipped. */
async function writeSummary(markdown) {
    if (!process.env.GITHUB_STEP_SUMMARY) {
        lib_core/* debug */.Yz('GITHUB_STEP_SUMMARY is not set; no job summary written');
        return;
    }
    await lib_core/* summary */.z.addRaw(markdown).write();
}
/**
 * Uploads `image-digest.json` and `digest.txt` as a workflow artifact and
 * returns its ID. Outside GitHub (no ACTIONS_RUNTIME_TOKEN) it warns once and
 * returns ''.
 */
async function uploadDigestArtifact(name, record, tempRoot) {
    if (!process.env.ACTIONS_RUNTIME_TOKEN) {
        core.warning(`artifact-name: no artifact "${name}" uploaded: ACTIONS_RUNTIME_TOKEN is not set (not running on GitHub Actions); the digest is in the step outputs and the job summary`);
        return '';
    }
    const dir = mkdtempSync(join(tempRoot, 'digest-'));
    try {
        const files = [join(dir, 'image-digest.json'), join(dir, 'digest.txt')];
        writeFileSync(files[0], JSON.stringify(record, null, 2) + '\n');
        writeFileSync(files[1], record.digest + '\n');
        // Loaded here only: dry runs and builds without an artifact never pay for the client.
        const { DefaultArtifactClient } = await __webpack_require__.e(/* import() */ 833).then(__webpack_require__.bind(__webpack_require__, 8833));
        const { id } = await new DefaultArtifactClient().uploadArtifact(name, files, dir);
        return id === undefined ? '' : String(id);
    }
    finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/main.ts






/** The main step: inputs, context, plan, then (unless dry-run) login, build, push, verify, report. */
async function run() {
    const inputs = getInputs();
    const context = getContext();
    const plan = planPhase(inputs, context);
    if (inputs.dryRun) {
        lib_core/* info */.pq('dry-run is true: no login, build or push');
        setOutputs(plan, inputs, undefined);
        if (inputs.summary)
            await writeSummary(summaryMarkdown(plan, undefined));
        return;
    }
    throw new Error('dry-run: building and pushing are not available in this version; set dry-run: true');
}
function planPhase(inputs, context) {
    const now = resolveNow(process.env, new Date());
    const plan = makePlan(inputs, context, now);
    lib_core/* startGroup */.Oh('Plan');
    lib_core/* info */.pq(`event: ${context.eventName || '(none)'}, ref: ${context.ref || '(none)'}, sha: ${context.sha || '(none)'}`);
    lib_core/* info */.pq(`version: ${plan.meta.version || '(none)'}`);
    lib_core/* info */.pq(`tags:\n${plan.meta.tags.map((t) => `  ${t}`).join('\n') || '  (none)'}`);
    lib_core/* info */.pq(`labels:\n${plan.meta.labels.map((l) => `  ${l}`).join('\n')}`);
    lib_core/* info */.pq(`push: ${plan.push ? 'yes' : 'no'} (${plan.pushReason})`);
    lib_core/* endGroup */.N4();
    return plan;
}


/***/ })

};
