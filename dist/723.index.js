export const id = 723;
export const ids = [723];
export const modules = {

/***/ 723:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ensureBuildx: () => (/* binding */ ensureBuildx),
  requireBuildx: () => (/* binding */ requireBuildx)
});

// UNUSED EXPORTS: BUILDX_RELEASES, DOWNLOAD_TIMEOUT_MS, buildxArch, buildxDownload, buildxLatestUrl, compareVersions, findBuildx, installBuildx, parseBuildxVersion, parseChecksums, parseLatestLocation, resolveLatestBuildx

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 8 modules
var lib_core = __webpack_require__(6058);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var lib_exec = __webpack_require__(5781);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 2 modules
var lib = __webpack_require__(2453);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var lib_io = __webpack_require__(8701);
// EXTERNAL MODULE: external "crypto"
var external_crypto_ = __webpack_require__(6982);
// EXTERNAL MODULE: external "fs"
var external_fs_ = __webpack_require__(9896);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var node_modules_semver = __webpack_require__(2088);
// EXTERNAL MODULE: external "os"
var external_os_ = __webpack_require__(857);
// EXTERNAL MODULE: external "child_process"
var external_child_process_ = __webpack_require__(5317);
;// CONCATENATED MODULE: ./node_modules/@actions/tool-cache/lib/manifest.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};





// Internal object for testability (allows mocking in ESM)
const _internal = {
    readLinuxVersionFile() {
        const lsbReleaseFile = '/etc/lsb-release';
        const osReleaseFile = '/etc/os-release';
        let contents = '';
        if (external_fs_.existsSync(lsbReleaseFile)) {
            contents = external_fs_.readFileSync(lsbReleaseFile).toString();
        }
        else if (external_fs_.existsSync(osReleaseFile)) {
            contents = external_fs_.readFileSync(osReleaseFile).toString();
        }
        return contents;
    }
};
function _findMatch(versionSpec, stable, candidates, archFilter) {
    return __awaiter(this, void 0, void 0, function* () {
        const platFilter = os.platform();
        let result;
        let match;
        let file;
        for (const candidate of candidates) {
            const version = candidate.version;
            debug(`check ${version} satisfies ${versionSpec}`);
            if (semver.satisfies(version, versionSpec) &&
                (!stable || candidate.stable === stable)) {
                file = candidate.files.find(item => {
                    debug(`${item.arch}===${archFilter} && ${item.platform}===${platFilter}`);
                    let chk = item.arch === archFilter && item.platform === platFilter;
                    if (chk && item.platform_version) {
                        const osVersion = _getOsVersion();
                        if (osVersion === item.platform_version) {
                            chk = true;
                        }
                        else {
                            chk = semver.satisfies(osVersion, item.platform_version);
                        }
                    }
                    return chk;
                });
                if (file) {
                    debug(`matched ${candidate.version}`);
                    match = candidate;
                    break;
                }
            }
        }
        if (match && file) {
            // clone since we're mutating the file list to be only the file that matches
            result = Object.assign({}, match);
            result.files = [file];
        }
        return result;
    });
}
function _getOsVersion() {
    // TODO: add windows and other linux, arm variants
    // right now filtering on version is only an ubuntu and macos scenario for tools we build for hosted (python)
    const plat = os.platform();
    let version = '';
    if (plat === 'darwin') {
        version = cp.execSync('sw_vers -productVersion').toString();
    }
    else if (plat === 'linux') {
        // lsb_release process not in some containers, readfile
        // Run cat /etc/lsb-release
        // DISTRIB_ID=Ubuntu
        // DISTRIB_RELEASE=18.04
        // DISTRIB_CODENAME=bionic
        // DISTRIB_DESCRIPTION="Ubuntu 18.04.4 LTS"
        const lsbContents = _internal.readLinuxVersionFile();
        if (lsbContents) {
            const lines = lsbContents.split('\n');
            for (const line of lines) {
                const parts = line.split('=');
                if (parts.length === 2 &&
                    (parts[0].trim() === 'VERSION_ID' ||
                        parts[0].trim() === 'DISTRIB_RELEASE')) {
                    version = parts[1].trim().replace(/^"/, '').replace(/"$/, '');
                    break;
                }
            }
        }
    }
    return version;
}
// Alias for backwards compatibility
function _readLinuxVersionFile() {
    return _internal.readLinuxVersionFile();
}
//# sourceMappingURL=manifest.js.map
// EXTERNAL MODULE: external "path"
var external_path_ = __webpack_require__(6928);
// EXTERNAL MODULE: external "stream"
var external_stream_ = __webpack_require__(2203);
// EXTERNAL MODULE: external "util"
var external_util_ = __webpack_require__(9023);
// EXTERNAL MODULE: external "assert"
var external_assert_ = __webpack_require__(2613);
;// CONCATENATED MODULE: ./node_modules/@actions/tool-cache/lib/retry-helper.js
var retry_helper_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

/**
 * Internal class for retries
 */
class retry_helper_RetryHelper {
    constructor(maxAttempts, minSeconds, maxSeconds) {
        if (maxAttempts < 1) {
            throw new Error('max attempts should be greater than or equal to 1');
        }
        this.maxAttempts = maxAttempts;
        this.minSeconds = Math.floor(minSeconds);
        this.maxSeconds = Math.floor(maxSeconds);
        if (this.minSeconds > this.maxSeconds) {
            throw new Error('min seconds should be less than or equal to max seconds');
        }
    }
    execute(action, isRetryable) {
        return retry_helper_awaiter(this, void 0, void 0, function* () {
            let attempt = 1;
            while (attempt < this.maxAttempts) {
                // Try
                try {
                    return yield action();
                }
                catch (err) {
                    if (isRetryable && !isRetryable(err)) {
                        throw err;
                    }
                    core.info(err.message);
                }
                // Sleep
                const seconds = this.getSleepAmount();
                core.info(`Waiting ${seconds} seconds before trying again`);
                yield this.sleep(seconds);
                attempt++;
            }
            // Last attempt
            return yield action();
        });
    }
    getSleepAmount() {
        return (Math.floor(Math.random() * (this.maxSeconds - this.minSeconds + 1)) +
            this.minSeconds);
    }
    sleep(seconds) {
        return retry_helper_awaiter(this, void 0, void 0, function* () {
            return new Promise(resolve => setTimeout(resolve, seconds * 1000));
        });
    }
}
//# sourceMappingURL=retry-helper.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js
var tool_cache_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};














class HTTPError extends Error {
    constructor(httpStatusCode) {
        super(`Unexpected HTTP response: ${httpStatusCode}`);
        this.httpStatusCode = httpStatusCode;
        Object.setPrototypeOf(this, new.target.prototype);
    }
}
const IS_WINDOWS = process.platform === 'win32';
const IS_MAC = process.platform === 'darwin';
const userAgent = 'actions/tool-cache';
/**
 * Download a tool from an url and stream it into a file
 *
 * @param url       url of tool to download
 * @param dest      path to download tool
 * @param auth      authorization header
 * @param headers   other headers
 * @returns         path to downloaded tool
 */
function downloadTool(url, dest, auth, headers) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        dest = dest || path.join(_getTempDirectory(), crypto.randomUUID());
        yield io.mkdirP(path.dirname(dest));
        core.debug(`Downloading ${url}`);
        core.debug(`Destination ${dest}`);
        const maxAttempts = 3;
        const minSeconds = _getGlobal('TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS', 10);
        const maxSeconds = _getGlobal('TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS', 20);
        const retryHelper = new RetryHelper(maxAttempts, minSeconds, maxSeconds);
        return yield retryHelper.execute(() => tool_cache_awaiter(this, void 0, void 0, function* () {
            return yield downloadToolAttempt(url, dest || '', auth, headers);
        }), (err) => {
            if (err instanceof HTTPError && err.httpStatusCode) {
                // Don't retry anything less than 500, except 408 Request Timeout and 429 Too Many Requests
                if (err.httpStatusCode < 500 &&
                    err.httpStatusCode !== 408 &&
                    err.httpStatusCode !== 429) {
                    return false;
                }
            }
            // Otherwise retry
            return true;
        });
    });
}
function downloadToolAttempt(url, dest, auth, headers) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        if (fs.existsSync(dest)) {
            throw new Error(`Destination file path ${dest} already exists`);
        }
        // Get the response headers
        const http = new httpm.HttpClient(userAgent, [], {
            allowRetries: false
        });
        if (auth) {
            core.debug('set auth');
            if (headers === undefined) {
                headers = {};
            }
            headers.authorization = auth;
        }
        const response = yield http.get(url, headers);
        if (response.message.statusCode !== 200) {
            const err = new HTTPError(response.message.statusCode);
            core.debug(`Failed to download from "${url}". Code(${response.message.statusCode}) Message(${response.message.statusMessage})`);
            throw err;
        }
        // Download the response body
        const pipeline = util.promisify(stream.pipeline);
        const responseMessageFactory = _getGlobal('TEST_DOWNLOAD_TOOL_RESPONSE_MESSAGE_FACTORY', () => response.message);
        const readStream = responseMessageFactory();
        let succeeded = false;
        try {
            yield pipeline(readStream, fs.createWriteStream(dest));
            core.debug('download complete');
            succeeded = true;
            return dest;
        }
        finally {
            // Error, delete dest before retry
            if (!succeeded) {
                core.debug('download failed');
                try {
                    yield io.rmRF(dest);
                }
                catch (err) {
                    core.debug(`Failed to delete '${dest}'. ${err.message}`);
                }
            }
        }
    });
}
/**
 * Extract a .7z file
 *
 * @param file     path to the .7z file
 * @param dest     destination directory. Optional.
 * @param _7zPath  path to 7zr.exe. Optional, for long path support. Most .7z archives do not have this
 * problem. If your .7z archive contains very long paths, you can pass the path to 7zr.exe which will
 * gracefully handle long paths. By default 7zdec.exe is used because it is a very small program and is
 * bundled with the tool lib. However it does not support long paths. 7zr.exe is the reduced command line
 * interface, it is smaller than the full command line interface, and it does support long paths. At the
 * time of this writing, it is freely available from the LZMA SDK that is available on the 7zip website.
 * Be sure to check the current license agreement. If 7zr.exe is bundled with your action, then the path
 * to 7zr.exe can be pass to this function.
 * @returns        path to the destination directory
 */
function extract7z(file, dest, _7zPath) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        ok(IS_WINDOWS, 'extract7z() not supported on current OS');
        ok(file, 'parameter "file" is required');
        dest = yield _createExtractFolder(dest);
        const originalCwd = process.cwd();
        process.chdir(dest);
        if (_7zPath) {
            try {
                const logLevel = core.isDebug() ? '-bb1' : '-bb0';
                const args = [
                    'x', // eXtract files with full paths
                    logLevel, // -bb[0-3] : set output log level
                    '-bd', // disable progress indicator
                    '-sccUTF-8', // set charset for for console input/output
                    file
                ];
                const options = {
                    silent: true
                };
                yield exec(`"${_7zPath}"`, args, options);
            }
            finally {
                process.chdir(originalCwd);
            }
        }
        else {
            const escapedScript = path
                .join(__dirname, '..', 'scripts', 'Invoke-7zdec.ps1')
                .replace(/'/g, "''")
                .replace(/"|\n|\r/g, ''); // double-up single quotes, remove double quotes and newlines
            const escapedFile = file.replace(/'/g, "''").replace(/"|\n|\r/g, '');
            const escapedTarget = dest.replace(/'/g, "''").replace(/"|\n|\r/g, '');
            const command = `& '${escapedScript}' -Source '${escapedFile}' -Target '${escapedTarget}'`;
            const args = [
                '-NoLogo',
                '-Sta',
                '-NoProfile',
                '-NonInteractive',
                '-ExecutionPolicy',
                'Unrestricted',
                '-Command',
                command
            ];
            const options = {
                silent: true
            };
            try {
                const powershellPath = yield io.which('powershell', true);
                yield exec(`"${powershellPath}"`, args, options);
            }
            finally {
                process.chdir(originalCwd);
            }
        }
        return dest;
    });
}
/**
 * Extract a compressed tar archive
 *
 * @param file     path to the tar
 * @param dest     destination directory. Optional.
 * @param flags    flags for the tar command to use for extraction. Defaults to 'xz' (extracting gzipped tars). Optional.
 * @returns        path to the destination directory
 */
function extractTar(file_1, dest_1) {
    return tool_cache_awaiter(this, arguments, void 0, function* (file, dest, flags = 'xz') {
        if (!file) {
            throw new Error("parameter 'file' is required");
        }
        // Create dest
        dest = yield _createExtractFolder(dest);
        // Determine whether GNU tar
        core.debug('Checking tar --version');
        let versionOutput = '';
        yield exec('tar --version', [], {
            ignoreReturnCode: true,
            silent: true,
            listeners: {
                stdout: (data) => (versionOutput += data.toString()),
                stderr: (data) => (versionOutput += data.toString())
            }
        });
        core.debug(versionOutput.trim());
        const isGnuTar = versionOutput.toUpperCase().includes('GNU TAR');
        // Initialize args
        let args;
        if (flags instanceof Array) {
            args = flags;
        }
        else {
            args = [flags];
        }
        if (core.isDebug() && !flags.includes('v')) {
            args.push('-v');
        }
        let destArg = dest;
        let fileArg = file;
        if (IS_WINDOWS && isGnuTar) {
            args.push('--force-local');
            destArg = dest.replace(/\\/g, '/');
            // Technically only the dest needs to have `/` but for aesthetic consistency
            // convert slashes in the file arg too.
            fileArg = file.replace(/\\/g, '/');
        }
        if (isGnuTar) {
            // Suppress warnings when using GNU tar to extract archives created by BSD tar
            args.push('--warning=no-unknown-keyword');
            args.push('--overwrite');
        }
        args.push('-C', destArg, '-f', fileArg);
        yield exec(`tar`, args);
        return dest;
    });
}
/**
 * Extract a xar compatible archive
 *
 * @param file     path to the archive
 * @param dest     destination directory. Optional.
 * @param flags    flags for the xar. Optional.
 * @returns        path to the destination directory
 */
function extractXar(file_1, dest_1) {
    return tool_cache_awaiter(this, arguments, void 0, function* (file, dest, flags = []) {
        ok(IS_MAC, 'extractXar() not supported on current OS');
        ok(file, 'parameter "file" is required');
        dest = yield _createExtractFolder(dest);
        let args;
        if (flags instanceof Array) {
            args = flags;
        }
        else {
            args = [flags];
        }
        args.push('-x', '-C', dest, '-f', file);
        if (core.isDebug()) {
            args.push('-v');
        }
        const xarPath = yield io.which('xar', true);
        yield exec(`"${xarPath}"`, _unique(args));
        return dest;
    });
}
/**
 * Extract a zip
 *
 * @param file     path to the zip
 * @param dest     destination directory. Optional.
 * @returns        path to the destination directory
 */
function extractZip(file, dest) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        if (!file) {
            throw new Error("parameter 'file' is required");
        }
        dest = yield _createExtractFolder(dest);
        if (IS_WINDOWS) {
            yield extractZipWin(file, dest);
        }
        else {
            yield extractZipNix(file, dest);
        }
        return dest;
    });
}
function extractZipWin(file, dest) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        // build the powershell command
        const escapedFile = file.replace(/'/g, "''").replace(/"|\n|\r/g, ''); // double-up single quotes, remove double quotes and newlines
        const escapedDest = dest.replace(/'/g, "''").replace(/"|\n|\r/g, '');
        const pwshPath = yield io.which('pwsh', false);
        //To match the file overwrite behavior on nix systems, we use the overwrite = true flag for ExtractToDirectory
        //and the -Force flag for Expand-Archive as a fallback
        if (pwshPath) {
            //attempt to use pwsh with ExtractToDirectory, if this fails attempt Expand-Archive
            const pwshCommand = [
                `$ErrorActionPreference = 'Stop' ;`,
                `try { Add-Type -AssemblyName System.IO.Compression.ZipFile } catch { } ;`,
                `try { [System.IO.Compression.ZipFile]::ExtractToDirectory('${escapedFile}', '${escapedDest}', $true) }`,
                `catch { if (($_.Exception.GetType().FullName -eq 'System.Management.Automation.MethodException') -or ($_.Exception.GetType().FullName -eq 'System.Management.Automation.RuntimeException') ){ Expand-Archive -LiteralPath '${escapedFile}' -DestinationPath '${escapedDest}' -Force } else { throw $_ } } ;`
            ].join(' ');
            const args = [
                '-NoLogo',
                '-NoProfile',
                '-NonInteractive',
                '-ExecutionPolicy',
                'Unrestricted',
                '-Command',
                pwshCommand
            ];
            core.debug(`Using pwsh at path: ${pwshPath}`);
            yield exec(`"${pwshPath}"`, args);
        }
        else {
            const powershellCommand = [
                `$ErrorActionPreference = 'Stop' ;`,
                `try { Add-Type -AssemblyName System.IO.Compression.FileSystem } catch { } ;`,
                `if ((Get-Command -Name Expand-Archive -Module Microsoft.PowerShell.Archive -ErrorAction Ignore)) { Expand-Archive -LiteralPath '${escapedFile}' -DestinationPath '${escapedDest}' -Force }`,
                `else {[System.IO.Compression.ZipFile]::ExtractToDirectory('${escapedFile}', '${escapedDest}', $true) }`
            ].join(' ');
            const args = [
                '-NoLogo',
                '-Sta',
                '-NoProfile',
                '-NonInteractive',
                '-ExecutionPolicy',
                'Unrestricted',
                '-Command',
                powershellCommand
            ];
            const powershellPath = yield io.which('powershell', true);
            core.debug(`Using powershell at path: ${powershellPath}`);
            yield exec(`"${powershellPath}"`, args);
        }
    });
}
function extractZipNix(file, dest) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        const unzipPath = yield io.which('unzip', true);
        const args = [file];
        if (!core.isDebug()) {
            args.unshift('-q');
        }
        args.unshift('-o'); //overwrite with -o, otherwise a prompt is shown which freezes the run
        yield exec(`"${unzipPath}"`, args, { cwd: dest });
    });
}
/**
 * Caches a directory and installs it into the tool cacheDir
 *
 * @param sourceDir    the directory to cache into tools
 * @param tool          tool name
 * @param version       version of the tool.  semver format
 * @param arch          architecture of the tool.  Optional.  Defaults to machine architecture
 */
function cacheDir(sourceDir, tool, version, arch) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        version = semver.clean(version) || version;
        arch = arch || os.arch();
        core.debug(`Caching tool ${tool} ${version} ${arch}`);
        core.debug(`source dir: ${sourceDir}`);
        if (!fs.statSync(sourceDir).isDirectory()) {
            throw new Error('sourceDir is not a directory');
        }
        // Create the tool dir
        const destPath = yield _createToolPath(tool, version, arch);
        // copy each child item. do not move. move can fail on Windows
        // due to anti-virus software having an open handle on a file.
        for (const itemName of fs.readdirSync(sourceDir)) {
            const s = path.join(sourceDir, itemName);
            yield io.cp(s, destPath, { recursive: true });
        }
        // write .complete
        _completeToolPath(tool, version, arch);
        return destPath;
    });
}
/**
 * Caches a downloaded file (GUID) and installs it
 * into the tool cache with a given targetName
 *
 * @param sourceFile    the file to cache into tools.  Typically a result of downloadTool which is a guid.
 * @param targetFile    the name of the file name in the tools directory
 * @param tool          tool name
 * @param version       version of the tool.  semver format
 * @param arch          architecture of the tool.  Optional.  Defaults to machine architecture
 */
function cacheFile(sourceFile, targetFile, tool, version, arch) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        version = node_modules_semver.clean(version) || version;
        arch = arch || external_os_.arch();
        lib_core/* debug */.Yz(`Caching tool ${tool} ${version} ${arch}`);
        lib_core/* debug */.Yz(`source file: ${sourceFile}`);
        if (!external_fs_.statSync(sourceFile).isFile()) {
            throw new Error('sourceFile is not a file');
        }
        // create the tool dir
        const destFolder = yield _createToolPath(tool, version, arch);
        // copy instead of move. move can fail on Windows due to
        // anti-virus software having an open handle on a file.
        const destPath = external_path_.join(destFolder, targetFile);
        lib_core/* debug */.Yz(`destination file ${destPath}`);
        yield lib_io.cp(sourceFile, destPath);
        // write .complete
        _completeToolPath(tool, version, arch);
        return destFolder;
    });
}
/**
 * Finds the path to a tool version in the local installed tool cache
 *
 * @param toolName      name of the tool
 * @param versionSpec   version of the tool
 * @param arch          optional arch.  defaults to arch of computer
 */
function find(toolName, versionSpec, arch) {
    if (!toolName) {
        throw new Error('toolName parameter is required');
    }
    if (!versionSpec) {
        throw new Error('versionSpec parameter is required');
    }
    arch = arch || external_os_.arch();
    // attempt to resolve an explicit version
    if (!isExplicitVersion(versionSpec)) {
        const localVersions = findAllVersions(toolName, arch);
        const match = evaluateVersions(localVersions, versionSpec);
        versionSpec = match;
    }
    // check for the explicit version in the cache
    let toolPath = '';
    if (versionSpec) {
        versionSpec = node_modules_semver.clean(versionSpec) || '';
        const cachePath = external_path_.join(_getCacheDirectory(), toolName, versionSpec, arch);
        lib_core/* debug */.Yz(`checking cache: ${cachePath}`);
        if (external_fs_.existsSync(cachePath) && external_fs_.existsSync(`${cachePath}.complete`)) {
            lib_core/* debug */.Yz(`Found tool in cache ${toolName} ${versionSpec} ${arch}`);
            toolPath = cachePath;
        }
        else {
            lib_core/* debug */.Yz('not found');
        }
    }
    return toolPath;
}
/**
 * Finds the paths to all versions of a tool that are installed in the local tool cache
 *
 * @param toolName  name of the tool
 * @param arch      optional arch.  defaults to arch of computer
 */
function findAllVersions(toolName, arch) {
    const versions = [];
    arch = arch || external_os_.arch();
    const toolPath = external_path_.join(_getCacheDirectory(), toolName);
    if (external_fs_.existsSync(toolPath)) {
        const children = external_fs_.readdirSync(toolPath);
        for (const child of children) {
            if (isExplicitVersion(child)) {
                const fullPath = external_path_.join(toolPath, child, arch || '');
                if (external_fs_.existsSync(fullPath) && external_fs_.existsSync(`${fullPath}.complete`)) {
                    versions.push(child);
                }
            }
        }
    }
    return versions;
}
function getManifestFromRepo(owner_1, repo_1, auth_1) {
    return tool_cache_awaiter(this, arguments, void 0, function* (owner, repo, auth, branch = 'master') {
        let releases = [];
        const treeUrl = `https://api.github.com/repos/${owner}/${repo}/git/trees/${branch}`;
        const http = new httpm.HttpClient('tool-cache');
        const headers = {};
        if (auth) {
            core.debug('set auth');
            headers.authorization = auth;
        }
        const response = yield http.getJson(treeUrl, headers);
        if (!response.result) {
            return releases;
        }
        let manifestUrl = '';
        for (const item of response.result.tree) {
            if (item.path === 'versions-manifest.json') {
                manifestUrl = item.url;
                break;
            }
        }
        headers['accept'] = 'application/vnd.github.VERSION.raw';
        let versionsRaw = yield (yield http.get(manifestUrl, headers)).readBody();
        if (versionsRaw) {
            // shouldn't be needed but protects against invalid json saved with BOM
            versionsRaw = versionsRaw.replace(/^\uFEFF/, '');
            try {
                releases = JSON.parse(versionsRaw);
            }
            catch (_a) {
                core.debug('Invalid json');
            }
        }
        return releases;
    });
}
function findFromManifest(versionSpec_1, stable_1, manifest_1) {
    return tool_cache_awaiter(this, arguments, void 0, function* (versionSpec, stable, manifest, archFilter = os.arch()) {
        // wrap the internal impl
        const match = yield mm._findMatch(versionSpec, stable, manifest, archFilter);
        return match;
    });
}
function _createExtractFolder(dest) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        if (!dest) {
            // create a temp dir
            dest = path.join(_getTempDirectory(), crypto.randomUUID());
        }
        yield io.mkdirP(dest);
        return dest;
    });
}
function _createToolPath(tool, version, arch) {
    return tool_cache_awaiter(this, void 0, void 0, function* () {
        const folderPath = external_path_.join(_getCacheDirectory(), tool, node_modules_semver.clean(version) || version, arch || '');
        lib_core/* debug */.Yz(`destination ${folderPath}`);
        const markerPath = `${folderPath}.complete`;
        yield lib_io/* rmRF */.Yz(folderPath);
        yield lib_io/* rmRF */.Yz(markerPath);
        yield lib_io/* mkdirP */.U$(folderPath);
        return folderPath;
    });
}
function _completeToolPath(tool, version, arch) {
    const folderPath = external_path_.join(_getCacheDirectory(), tool, node_modules_semver.clean(version) || version, arch || '');
    const markerPath = `${folderPath}.complete`;
    external_fs_.writeFileSync(markerPath, '');
    lib_core/* debug */.Yz('finished caching tool');
}
/**
 * Check if version string is explicit
 *
 * @param versionSpec      version string to check
 */
function isExplicitVersion(versionSpec) {
    const c = node_modules_semver.clean(versionSpec) || '';
    lib_core/* debug */.Yz(`isExplicit: ${c}`);
    const valid = node_modules_semver.valid(c) != null;
    lib_core/* debug */.Yz(`explicit? ${valid}`);
    return valid;
}
/**
 * Get the highest satisfiying semantic version in `versions` which satisfies `versionSpec`
 *
 * @param versions        array of versions to evaluate
 * @param versionSpec     semantic version spec to satisfy
 */
function evaluateVersions(versions, versionSpec) {
    let version = '';
    lib_core/* debug */.Yz(`evaluating ${versions.length} versions`);
    versions = versions.sort((a, b) => {
        if (node_modules_semver.gt(a, b)) {
            return 1;
        }
        return -1;
    });
    for (let i = versions.length - 1; i >= 0; i--) {
        const potential = versions[i];
        const satisfied = node_modules_semver.satisfies(potential, versionSpec);
        if (satisfied) {
            version = potential;
            break;
        }
    }
    if (version) {
        lib_core/* debug */.Yz(`matched: ${version}`);
    }
    else {
        lib_core/* debug */.Yz('match not found');
    }
    return version;
}
/**
 * Gets RUNNER_TOOL_CACHE
 */
function _getCacheDirectory() {
    const cacheDirectory = process.env['RUNNER_TOOL_CACHE'] || '';
    (0,external_assert_.ok)(cacheDirectory, 'Expected RUNNER_TOOL_CACHE to be defined');
    return cacheDirectory;
}
/**
 * Gets RUNNER_TEMP
 */
function _getTempDirectory() {
    const tempDirectory = process.env['RUNNER_TEMP'] || '';
    ok(tempDirectory, 'Expected RUNNER_TEMP to be defined');
    return tempDirectory;
}
/**
 * Gets a global variable
 */
function _getGlobal(key, defaultValue) {
    /* eslint-disable @typescript-eslint/no-explicit-any */
    const value = global[key];
    /* eslint-enable @typescript-eslint/no-explicit-any */
    return value !== undefined ? value : defaultValue;
}
/**
 * Returns an array of unique values.
 * @param values Values to make unique.
 */
function _unique(values) {
    return Array.from(new Set(values));
}
//# sourceMappingURL=tool-cache.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
// EXTERNAL MODULE: ./src/docker/config.ts
var config = __webpack_require__(656);
;// CONCATENATED MODULE: ./src/docker/buildx-install.ts












/**
 * Where docker/buildx publishes its releases. A release `v<version>` holds one
 * binary per platform, `buildx-v<version>.<os>-<arch>[.exe]`, and `checksums.txt`
 * with one `<sha256 hex> *<asset>` line per binary (darwin binaries are signed
 * after the file is made and have no line).
 */
const BUILDX_RELEASES = 'https://github.com/docker/buildx/releases/download';
/** Tool name in the runner's tool cache. */
const TOOL = 'docker-buildx';
const CHECKSUMS = 'checksums.txt';
const USER_AGENT = 'build-tag-push';
/** A 70 MB binary over a slow self-hosted link still fits; a stalled mirror does not hang the job. */
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
/** Node's `process.arch` names that differ from buildx's asset names; buildx names pass through. */
const ARCH = {
    x64: 'amd64',
    amd64: 'amd64',
    arm64: 'arm64',
    arm: 'arm-v7',
    'arm-v6': 'arm-v6',
    'arm-v7': 'arm-v7',
    ppc64: 'ppc64le',
    ppc64le: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
};
/**
 * The release URLs of one buildx binary (pure).
 *
 * @param version a release such as `0.19.3` (resolve `latest` first with {@link resolveLatestBuildx})
 * @param arch Node's `process.arch` (`x64`, `arm64`, `arm`, `ppc64`, ...) or buildx's own name
 *   (`amd64`, `arm-v6`, `arm-v7`, `ppc64le`, `s390x`, `riscv64`)
 * @param mirror base URL laid out like {@link BUILDX_RELEASES}:
 *   `<mirror>/v<version>/buildx-v<version>.<os>-<arch>` and `<mirror>/v<version>/checksums.txt`;
 *   empty or undefined means GitHub
 * @param platform Node's `process.platform`
 */
function buildxDownload(version, arch, mirror, platform = 'linux') {
    const v = version.trim().replace(/^v/, '');
    if (!node_modules_semver.valid(v)) {
        throw new Error(`buildx-version: "${version}" is not a buildx release; expected a version such as 0.19.3`);
    }
    const base = releaseBase(mirror);
    const osName = platform === 'win32' ? 'windows' : platform;
    const exe = osName === 'windows' ? '.exe' : '';
    const assetName = `buildx-v${v}.${osName}-${buildxArch(arch)}${exe}`;
    return {
        assetName,
        assetUrl: new URL(`v${v}/${assetName}`, base).href,
        checksumsUrl: new URL(`v${v}/${CHECKSUMS}`, base).href,
    };
}
/** buildx's asset arch for a Node arch (pure); throws for one buildx does not publish. */
function buildxArch(arch) {
    const name = ARCH[arch];
    if (!name) {
        throw new Error(`buildx-version: buildx publishes no binary for the architecture "${arch}"; ` +
            `it publishes amd64 (x64), arm64, arm-v6, arm-v7 (arm), ppc64le, s390x and riscv64`);
    }
    return name;
}
/**
 * The URL that redirects to the latest release (pure). On GitHub
 * `https://github.com/docker/buildx/releases/latest` redirects to `.../releases/tag/v<version>`,
 * so no API call is needed. A mirror URL ending in `/releases/download` gets the same sibling;
 * any other mirror is asked for `<mirror>/latest`, which must redirect to a URL ending in
 * `v<version>` (for example `<mirror>/v0.19.3/`).
 */
function buildxLatestUrl(mirror) {
    const base = releaseBase(mirror);
    return /\/releases\/download\/$/.test(base.pathname)
        ? new URL('../latest', base).href
        : new URL('latest', base).href;
}
/** The release version in a latest-release redirect target, e.g. `.../tag/v0.19.3` (pure). */
function parseLatestLocation(location) {
    const pathname = URL.canParse(location) ? new URL(location).pathname : location;
    const match = /\/v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\/?$/.exec(pathname);
    return match?.[1];
}
/**
 * The sha256 that a release's checksums file gives for one asset (pure). Lines are
 * `sha256sum` output: `<hex> *<name>` (binary mode, as buildx releases use) or `<hex>  <name>`.
 */
function parseChecksums(text, assetName) {
    for (const line of text.split(/\r?\n/)) {
        const match = /^([0-9a-fA-F]{64})\s+\*?(?:\.\/)?(\S+)\s*$/.exec(line.trim());
        if (match && match[2] === assetName)
            return match[1].toLowerCase();
    }
    return undefined;
}
/**
 * Compares two buildx versions as semver (pure): negative, zero or positive. Accepts a `v`
 * prefix, `0.13`, and distribution builds such as `0.13.1+ds1`.
 */
function compareVersions(a, b) {
    return node_modules_semver.compare(toSemver(a), toSemver(b));
}
function toSemver(version) {
    const v = node_modules_semver.coerce(version, { includePrerelease: true });
    if (!v)
        throw new Error(`"${version}" is not a version; expected one such as 0.19.3`);
    return v.version;
}
/** The version in `docker buildx version` output (`github.com/docker/buildx v0.19.3 48d6a39`). */
function parseBuildxVersion(output) {
    const match = /\bv?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?)/.exec(output.replace(/^\s*\S*buildx\S*\s+/, ''));
    return match?.[1];
}
/**
 * Fails with what to do when buildx is missing, or older than a feature needs (pure).
 *
 * @param found the version of the runner's buildx, undefined when there is none
 * @returns the found version
 */
function requireBuildx(found, needed) {
    if (found === undefined) {
        const why = needed ? ` (${needed.feature} needs buildx >= ${needed.version})` : '';
        throw new Error(`docker buildx is not installed on this runner${why}; ${howToGet(needed?.version)}`);
    }
    if (needed && compareVersions(found, needed.version) < 0) {
        throw new Error(`${needed.feature} needs buildx >= ${needed.version}, found ${found}; ${howToGet(needed.version)}`);
    }
    return found;
}
function howToGet(atLeast) {
    const example = atLeast
        ? `\`buildx-version: latest\` or a release >= ${atLeast}`
        : '`buildx-version: latest`';
    return (`set this action's buildx-version input (for example ${example}), ` +
        'run docker/setup-buildx-action before this step, ' +
        "or install your distribution's package (docker-buildx-plugin from Docker's repositories, " +
        'docker-buildx on Debian and Ubuntu)');
}
/**
 * Installs a buildx release for this job only: from the runner's tool cache when it is there,
 * otherwise downloaded from GitHub or the mirror, checked against the release's checksums file
 * and cached. The plugin is linked into `<dockerConfig>/cli-plugins/`, never into `~/.docker`
 * or a system directory. A checksum mismatch installs and caches nothing.
 */
async function installBuildx(options) {
    const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
    const version = options.version === 'latest'
        ? await resolveLatestBuildx(options.mirror, timeoutMs)
        : options.version.replace(/^v/, '');
    const download = buildxDownload(version, nodeArch(), options.mirror, process.platform);
    const binary = pluginName();
    let cacheDir = find(TOOL, version, process.arch);
    if (cacheDir) {
        lib_core/* info */.pq(`buildx ${version} found in the tool cache: ${cacheDir}`);
    }
    else {
        cacheDir = await downloadVerified(download, version, binary, timeoutMs);
    }
    const cached = external_node_path_.join(cacheDir, binary);
    await promises_.chmod(cached, 0o755);
    const plugin = await linkPlugin(cached, options.dockerConfig);
    lib_core/* info */.pq(`buildx ${version} installed for this job: ${plugin}`);
    return { version, path: plugin };
}
async function downloadVerified(download, version, binary, timeoutMs) {
    const { assetName, assetUrl, checksumsUrl } = download;
    const checksums = await httpGet(checksumsUrl, timeoutMs, true, async (response) => {
        const body = await response.readBody();
        expectOk(checksumsUrl, response);
        return body;
    });
    const expected = parseChecksums(checksums, assetName);
    if (!expected) {
        throw new Error(`buildx-version: ${checksumsUrl} has no sha256 line for ${assetName}; ` +
            `expected a line "<sha256> *${assetName}"`);
    }
    // Not tc.downloadTool: its requests cannot be aborted and it retries for minutes after a
    // stall, which would keep the step's process alive past any timeout.
    lib_core/* info */.pq(`Downloading ${assetUrl}`);
    const temp = process.env.RUNNER_TEMP || external_node_os_.tmpdir();
    await promises_.mkdir(temp, { recursive: true });
    const file = external_node_path_.join(temp, `${assetName}-${(0,external_node_crypto_.randomUUID)()}`);
    try {
        const actual = await httpGet(assetUrl, timeoutMs, true, async (response) => {
            expectOk(assetUrl, response);
            const hash = (0,external_node_crypto_.createHash)('sha256');
            await (0,external_node_stream_promises_.pipeline)(response.message, async function* (source) {
                for await (const chunk of source) {
                    hash.update(chunk);
                    yield chunk;
                }
            }, (0,external_node_fs_.createWriteStream)(file));
            return hash.digest('hex');
        });
        if (actual !== expected) {
            throw new Error(`buildx-version: refusing ${assetName} from ${assetUrl}: its sha256 is ${actual}, ` +
                `but ${checksumsUrl} says ${expected}`);
        }
        lib_core/* info */.pq(`sha256 of ${assetName} matches ${CHECKSUMS}: ${actual}`);
        return await cacheFile(file, binary, TOOL, version, process.arch);
    }
    finally {
        await promises_.rm(file, { force: true });
    }
}
/**
 * Resolves `latest` by reading the redirect of the latest-release URL
 * ({@link buildxLatestUrl}); no GitHub API call.
 */
async function resolveLatestBuildx(mirror, timeoutMs = DOWNLOAD_TIMEOUT_MS) {
    const url = buildxLatestUrl(mirror);
    const { status, location } = await httpGet(url, timeoutMs, false, async (response) => {
        await response.readBody();
        return {
            status: response.message.statusCode ?? 0,
            location: response.message.headers.location,
        };
    });
    const version = status >= 300 && status < 400 && location ? parseLatestLocation(location) : undefined;
    if (!version) {
        throw new Error(`buildx-version: latest: ${url} answered HTTP ${status}` +
            (location ? ` with a redirect to ${location}` : '') +
            `, not a redirect to a release v<version>; set buildx-version to a release such as 0.19.3`);
    }
    lib_core/* info */.pq(`Latest buildx release: ${version} (${url} -> ${location})`);
    return version;
}
/**
 * One GET, proxy-aware (@actions/http-client honours https_proxy and no_proxy), 5xx retried,
 * and bounded: at the deadline the request and its socket are destroyed, not left running.
 */
async function httpGet(url, timeoutMs, followRedirects, use) {
    const client = new lib/* HttpClient */.Qq(USER_AGENT, [], {
        allowRedirects: followRedirects,
        allowRetries: true,
        maxRetries: 2,
        socketTimeout: timeoutMs,
    });
    let response;
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`buildx-version: GET ${url} did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    let settled = false;
    const work = client.get(url).then((r) => {
        response = r;
        if (settled)
            throw new Error(`GET ${url}: answered after the deadline`);
        return use(r);
    });
    try {
        return await Promise.race([work, deadline]);
    }
    finally {
        settled = true;
        clearTimeout(timer);
        response?.message.destroy();
        client.dispose();
    }
}
function expectOk(url, response) {
    const status = response.message.statusCode ?? 0;
    if (status !== 200)
        throw new Error(`buildx-version: GET ${url} answered HTTP ${status}`);
}
/**
 * Makes `docker buildx` (with DOCKER_CONFIG=dockerConfig) the runner's buildx, or the requested
 * release when the runner's is missing or older; fails with what to do when there is none, or
 * when it is older than `needed`.
 */
async function ensureBuildx(options) {
    const { dockerConfig, needed } = options;
    const found = await findBuildx(dockerConfig);
    lib_core/* info */.pq(found ? `buildx on the runner: ${found}` : 'buildx on the runner: none');
    if (!options.version) {
        return { version: requireBuildx(found, needed), installed: false };
    }
    const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS;
    const wanted = options.version === 'latest'
        ? await resolveLatestBuildx(options.mirror, timeoutMs)
        : options.version.replace(/^v/, '');
    if (found !== undefined && compareVersions(found, wanted) >= 0) {
        lib_core/* info */.pq(`buildx ${found} is not older than ${wanted}; keeping it`);
        return { version: requireBuildx(found, needed), installed: false };
    }
    const installed = await installBuildx({ ...options, version: wanted, timeoutMs });
    if ((await findBuildx(dockerConfig)) === undefined) {
        throw new Error(`buildx-version: buildx ${installed.version} was installed as ${installed.path}, ` +
            `but \`docker buildx version\` with DOCKER_CONFIG=${dockerConfig} does not run it`);
    }
    return { version: requireBuildx(installed.version, needed), installed: true };
}
/** The version of `docker buildx` as docker sees it with this DOCKER_CONFIG; undefined if none. */
async function findBuildx(dockerConfig) {
    try {
        const result = await (0,lib_exec/* getExecOutput */.H)('docker', ['buildx', 'version'], {
            env: (0,config/* dockerEnv */.gT)(dockerConfig),
            silent: true,
            ignoreReturnCode: true,
        });
        if (result.exitCode !== 0) {
            lib_core/* debug */.Yz(`docker buildx version: exit ${result.exitCode}: ${result.stderr.trim()}`);
            return undefined;
        }
        return parseBuildxVersion(result.stdout);
    }
    catch (error) {
        lib_core/* debug */.Yz(`docker buildx version: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
    }
}
async function linkPlugin(binary, dockerConfig) {
    const dir = external_node_path_.join(dockerConfig, 'cli-plugins');
    const plugin = external_node_path_.join(dir, pluginName());
    await promises_.mkdir(dir, { recursive: true });
    // The entry may be createDockerConfig's link to the user's plugin: removing a link leaves
    // the user's file alone.
    await promises_.rm(plugin, { force: true });
    try {
        await promises_.symlink(binary, plugin);
    }
    catch (error) {
        // Windows without developer mode cannot symlink; a copy works everywhere.
        lib_core/* debug */.Yz(`symlink ${plugin}: ${error instanceof Error ? error.message : String(error)}`);
        await promises_.copyFile(binary, plugin);
        await promises_.chmod(plugin, 0o755);
    }
    return plugin;
}
function nodeArch() {
    if (process.arch !== 'arm')
        return process.arch;
    // 32-bit ARM builds of Node record the ARM version they target (6 or 7).
    const variables = process.config.variables;
    return variables.arm_version === '6' || variables.arm_version === 6 ? 'arm-v6' : 'arm-v7';
}
function pluginName() {
    return process.platform === 'win32' ? 'docker-buildx.exe' : 'docker-buildx';
}
function releaseBase(mirror) {
    const raw = mirror?.trim() || BUILDX_RELEASES;
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new Error(`buildx-mirror: "${raw}" is not an http(s) URL; expected the base URL of a mirror laid out ` +
            `like ${BUILDX_RELEASES} (v<version>/buildx-v<version>.<os>-<arch> and v<version>/${CHECKSUMS})`);
    }
    if (!url.pathname.endsWith('/'))
        url.pathname += '/';
    return url;
}


/***/ })

};
