import { defineConfig } from 'vitest/config';

// CPT_SELFCHECK=1 runs only the test that always fails, so CI can prove a failure makes the run exit non-zero.
const selfCheck = process.env.CPT_SELFCHECK === '1';
// CI reads the counts from a JSON report (never from console text) when CPT_JSON_REPORT names a file.
const jsonReport = process.env.CPT_JSON_REPORT;

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['tests/support/check-compiled.ts'],
    include: selfCheck ? ['tests/selfcheck/**/*.test.ts'] : ['tests/{unit,integration,e2e,browser}/**/*.test.ts'],
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests each get their own database cloned from a migrated template.
    sequence: { concurrent: false },
  },
});
