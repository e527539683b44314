// Runs the TypeScript sources directly (npm start, benchmarks, the launcher): swc transpiles,
// tsconfig-paths resolves the @skills/* aliases.
process.env.SWC_NODE_PROJECT ??= require('node:path').join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
require('tsconfig-paths').register({
  baseUrl: require('node:path').join(__dirname, '..'),
  paths: require('../tsconfig.base.json').compilerOptions.paths,
});
require('reflect-metadata');
