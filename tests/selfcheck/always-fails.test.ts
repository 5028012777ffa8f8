import { expect, it } from 'vitest';

// Run only by .ci/run's self-check (CPT_SELFCHECK=1): a run with a failing test must exit non-zero, or CI stops.
it('fails on purpose', () => {
  expect('a failing test').toBe('a run that exits non-zero');
});
