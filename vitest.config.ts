import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'hardware/**/*.test.ts',
      'build/**/*.test.ts',
      'eslint-rules/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    // Tests provoke errors on purpose; their logs would only bury real failures.
    env: { PCCOVID_LOG_LEVEL: 'silent' },
  },
});
