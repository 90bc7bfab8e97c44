'use strict';
// undici is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = "undici is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used";
exports.fetch = () => Promise.reject(new Error(absent));
exports.ProxyAgent = class ProxyAgent { dispatch() { throw new Error(absent); } close() { return Promise.resolve(); } destroy() { return Promise.resolve(); } };
