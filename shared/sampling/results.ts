import type { TestVerdict } from './vocabulary.js';

/** The overall verdict of a lab report: any failed test item fails the sample. */
export function overallVerdict(items: ReadonlyArray<{ verdict: TestVerdict }>): TestVerdict {
  if (items.length === 0) throw new RangeError('a lab report has at least one test item');
  return items.some((i) => i.verdict === 'fail') ? 'fail' : 'pass';
}

interface NamedResult {
  name: string;
  verdict: TestVerdict;
}

/**
 * The final result's test items after a re-test: the first report's, each disputed item replaced by its re-test
 * (matched by name). The re-test is final for what it re-tested; the items nobody disputed stand as first tested.
 */
export function finalItems<T extends NamedResult>(first: readonly T[], retest: readonly T[] | undefined): T[] {
  if (!retest) return [...first];
  const retested = new Map(retest.map((i) => [i.name, i]));
  return first.map((i) => retested.get(i.name) ?? i);
}

/** The bureau refunds the re-test fee the applicant paid when the re-test differs from the first result on an item it re-tested. */
export function retestRefundDue(first: readonly NamedResult[], retest: readonly NamedResult[]): boolean {
  const firstVerdict = new Map(first.map((i) => [i.name, i.verdict]));
  return retest.some((i) => firstVerdict.get(i.name) !== i.verdict);
}

/** The items an objection disputes when it names none: every failed item (all of them if none failed). */
export function defaultDisputedItems(first: readonly NamedResult[]): string[] {
  const failed = first.filter((i) => i.verdict === 'fail');
  return (failed.length ? failed : first).map((i) => i.name);
}
