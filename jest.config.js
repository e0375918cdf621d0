/**
 * Three projects, selected with `jest --selectProjects <name>` (see package.json):
 *  - unit: in-process tests of src/ modules (test/unit mirrors src/) and of test support code;
 *          the inner loop (`npm run test:unit`).
 *  - e2e:  the built CLI as a subprocess in real temporary repositories (test/e2e).
 *  - slow: whole-corpus and stress suites: every rule's examples (test/rules.test.ts), the
 *          quality benchmark, ReDoS, load, property and fault-injection suites
 *          (test/reliability), the detector-equivalence suite (test/perf), and the unit tests
 *          that take seconds (worker threads, compilers, large property runs), which keep their
 *          place in the mirror of src/ and are named `*.slow.test.ts`.
 * `npm test` runs all three.
 */
const shared = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  rootDir: '.',
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 60000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/support/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.slow\\.test\\.ts$'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'slow',
      // Everything else, so a test file in a new folder is never left out of `npm test`.
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [
        '<rootDir>/test/unit/(?!.*\\.slow\\.test\\.ts$)',
        '<rootDir>/test/support/(?!.*\\.slow\\.test\\.ts$)',
        '<rootDir>/test/e2e/',
      ],
    },
  ],
  // `npm run coverage` (the unit project): what in-process tests reach of src/. The e2e tests run
  // the BUILT CLI in subprocesses, so jest cannot count them (src/cli is covered there, little here).
  // The thresholds are the measured coverage less about two points; the slow project's in-process
  // suites only add to it, so they hold for `--selectProjects unit slow` too.
  collectCoverageFrom: ['src/**/*.ts'],
  coverageProvider: 'v8',
  coverageReporters: ['text-summary', 'html'],
  coverageThreshold: { global: { lines: 60, statements: 60, functions: 70, branches: 82 } },
};
