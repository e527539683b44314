// One Jest run for the whole workspace: the global setup starts Postgres and Kafka once
// (or takes DATABASE_URL / KAFKA_BROKERS) and every test file gets its own database.
const { pathsToModuleNameMapper } = require('./tools/jest/paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/e2e', '<rootDir>/tools'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__fixtures__/'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: pathsToModuleNameMapper(),
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  maxWorkers: 2,
  // A worker whose memory grew past this after a suite is replaced by a fresh one: ~200 suites left two
  // workers at 3.6 GB each by the end of a CI run, and the heavy suites run last (the demo, backup and
  // restore) took 3 to 8 times as long as alone, one past its 10 minutes.
  workerIdleMemoryLimit: '1.5GB',
};
