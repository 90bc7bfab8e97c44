'use strict';
// apache-arrow is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = "apache-arrow is not in the build-tag-push bundle (scripts/bundle.mjs) and cannot be used";
exports.tableFromIPC = () => Promise.reject(new Error(absent));
