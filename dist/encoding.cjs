'use strict';
// encoding (with iconv-lite) is left out of the build-tag-push bundle: see scripts/bundle.mjs.
