/**
 * The key two spellings of one name share: NFKC folds full-width forms to half-width (Ｘ－１００ → X-100), case is
 * folded, and whitespace, punctuation (dashes, dots, slashes, brackets) and symbols (®, ™, +) are dropped, so
 * "张三 水果店" and "张三水果店", or "LT-100", "lt 100" and "ＬＴ１００", are one. Used for merchants, brands, models,
 * batches and manufacturers alike.
 */
export function matchKey(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

const CJK_CLASS = String.raw`[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]`;
const CJK = new RegExp(CJK_CLASS, 'u');
/** A run of CJK characters, or of other letters and digits (乐童LT-100积木 → 乐童, LT, 100, 积木). */
const RUN = new RegExp(String.raw`${CJK_CLASS}+|(?:(?!${CJK_CLASS})[\p{L}\p{N}])+`, 'gu');

/** Whether a search token is CJK (matched exactly) rather than a word (matched as a prefix or by its stem). */
export const isCjkToken = (token: string) => CJK.test(token);

/**
 * Search tokens of a text, the same for documents and queries: Chinese (and other CJK) runs become their characters
 * and overlapping character pairs (the bigram approach of Lucene's CJKAnalyzer: no dictionary, no PostgreSQL
 * extension, and a two-character word such as 推车 is one token), other letters and digits become lower-cased words.
 * `unigrams: false` (queries) keeps a run of two or more characters as its pairs only.
 */
export function searchTokens(text: string, opts: { unigrams?: boolean } = {}): string[] {
  const withUnigrams = opts.unigrams ?? true;
  const out = new Set<string>();
  for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(RUN)) {
    if (!CJK.test(run)) {
      out.add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1 || withUnigrams) for (const c of chars) out.add(c);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out];
}
