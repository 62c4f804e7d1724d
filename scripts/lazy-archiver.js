// Stands in for `archiver` in the dist/ bundles (see build-js.js): cdktf loads archiver at start-up but only calls it
// to zip Terraform assets, which the estate never creates. This requires the real one, next to cdktf, on first call.
"use strict";
const cdktfPackage = ["cdktf", "package.json"].join("/");

module.exports = function archiver(...args) {
  const fromCdktf = require("node:module").createRequire(require.resolve(cdktfPackage));
  return fromCdktf("archiver")(...args);
};
