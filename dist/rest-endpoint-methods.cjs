'use strict';
// @octokit/plugin-rest-endpoint-methods is left out of the build-tag-push bundle: see scripts/bundle.mjs.
const absent = () => { throw new Error("octokit.rest is not in the build-tag-push bundle (scripts/bundle.mjs): use octokit.request"); };
const rest = new Proxy({}, { get: (target, key) => (typeof key === 'symbol' || key === 'then' ? undefined : absent()) });
exports.restEndpointMethods = () => ({ rest });
exports.legacyRestEndpointMethods = () => ({ rest });
