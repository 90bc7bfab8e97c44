'use strict';
// glob is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = () => { throw new Error("glob is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used"); };
const quiet = new Set(['__esModule', 'default', 'then']);
module.exports = new Proxy({}, {
  get: (target, key) => (typeof key === 'symbol' || quiet.has(key) ? undefined : absent()),
});
