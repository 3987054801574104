// What a workflow or setup module loaded as CommonJS (a .ts file in a folder without
// "type": "module") gets from `require('rightsizer')`: rightsizer itself is an ES module, which
// Node 20's require() cannot load, and a workflow file needs only defineWorkflow (an identity that
// types its argument). See src/store/import-module.ts.
/* global exports */
'use strict';
exports.defineWorkflow = (workflow) => workflow;
