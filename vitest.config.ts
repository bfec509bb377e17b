import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'adapters/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // PGlite takes about a second per test file to open from the migrated template.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: more workers only make each PGlite slower.
    maxWorkers: 2,
  },
});
