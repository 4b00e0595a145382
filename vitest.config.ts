import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/setup.ts'],
    // The end-to-end matrix runs whole toolchains in child processes.
    testTimeout: 20_000,
  },
});
