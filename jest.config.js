import { availableParallelism } from 'node:os';

// jest runs in ESM mode (node --experimental-vm-modules): the @actions/* packages are ESM-only.
const tsJest = [
  'ts-jest',
  { useESM: true, tsconfig: 'tsconfig.all.json', diagnostics: { ignoreCodes: [151002] } },
];
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    // Every end-to-end file runs on both engines GitHub's runners have (scripts/engine.sh):
    // the classic image store, and the containerd image store (Docker 29's default).
    ...['classic', 'containerd'].map((engine) => ({
      ...shared,
      displayName: engine === 'classic' ? 'e2e' : `e2e-${engine}`,
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      setupFiles: [`<rootDir>/__tests__/e2e/engines/${engine}.ts`],
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
    })),
  ],
  // A global option: jest ignores testTimeout inside a project. End-to-end tests build images.
  testTimeout: 120000,
  // The end-to-end files mostly wait on the engine and registries: two at a time even on a
  // 2-core machine, where jest's default (cores - 1) would run them one after the other.
  maxWorkers: Math.max(2, availableParallelism() - 1),
};
