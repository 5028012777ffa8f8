import type { TestVerdict } from './vocabulary.js';

/** The overall verdict of a lab report: any failed test item fails the sample. */
export function overallVerdict(items: ReadonlyArray<{ verdict: TestVerdict }>): TestVerdict {
  if (items.length === 0) throw new RangeError('a lab report has at least one test item');
  return items.some((i) => i.verdict === 'fail') ? 'fail' : 'pass';
}

/** The bureau refunds the re-test fee the merchant paid when the re-test result differs from the first. */
export const retestRefundDue = (first: TestVerdict, retest: TestVerdict) => first !== retest;
