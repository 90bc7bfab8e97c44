'use strict';
// undici is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = "undici is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used";
exports.ProxyAgent = class ProxyAgent { constructor() { throw new Error(absent); } };
exports.fetch = () => Promise.reject(new Error(absent));
