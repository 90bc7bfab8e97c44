'use strict';
// undici is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = "undici is not in the build-tag-push bundle (scripts/bundle.mjs): a GitHub API request through an HTTP(S) proxy (HTTPS_PROXY) cannot be made; attest needs a direct connection to the GitHub API";
class ProxyAgent { dispatch() { throw new Error(absent); } close() { return Promise.resolve(); } destroy() { return Promise.resolve(); } }
exports.ProxyAgent = ProxyAgent;
exports.fetch = (url, options = {}) => options.dispatcher instanceof ProxyAgent ? Promise.reject(new Error(absent)) : globalThis.fetch(url, options);
