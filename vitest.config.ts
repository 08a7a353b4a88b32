import { defineConfig } from 'vitest/config';
import { testRunFolder } from './test/global-temp.js';

// Before the workers start: they inherit TMPDIR, and test/global-temp.ts removes the folder after the run.
process.env.TMPDIR = testRunFolder();

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    globalSetup: ['test/global-temp.ts'],
  },
});
