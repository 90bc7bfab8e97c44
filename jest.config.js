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
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
    },
  ],
  // A global option: jest ignores testTimeout inside a project. End-to-end tests build images.
  testTimeout: 120000,
};
