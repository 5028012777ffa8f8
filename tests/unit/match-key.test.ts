import { describe, expect, it } from 'vitest';
import { merchantKey, normalizeMerchantName } from '../../shared/complaints/index.js';
import { keyOf } from '../../shared/recalls/index.js';
import { matchKey, searchTokens } from '../../shared/text/index.js';

describe('matchKey: one key for every spelling of a name', () => {
  it.each([
    ['LT-100', 'lt100'],
    ['lt 100', 'lt100'],
    ['ＬＴ－１００', 'lt100'], // full-width letters, dash and digits
    ['Lt_100', 'lt100'],
    ['LT–100', 'lt100'], // en dash
    ['LT—100', 'lt100'], // em dash
    ['LT\u3000100', 'lt100'], // ideographic space
    ['  LT-100\t', 'lt100'],
    ['BabyGo®', 'babygo'],
    ['乐童', '乐童'],
    ['乐 童', '乐童'],
    ['乐童（中国）', '乐童中国'], // full-width brackets
    ['张三 水果店', '张三水果店'],
    ['X-1.5', 'x15'],
    ['ÉCLAIR', 'éclair'],
  ])('%j → %j', (input, expected) => {
    expect(matchKey(input)).toBe(expected);
  });

  it('keeps different models apart', () => {
    expect(matchKey('LT-100')).not.toBe(matchKey('LT-1000'));
    expect(matchKey('LT-100')).not.toBe(matchKey('LT-10O'));
  });

  it('is what the merchant key is made of', () => {
    expect(normalizeMerchantName('张三 水果店')).toBe(matchKey('张三水果店'));
    expect(merchantKey({ name: 'Ｚhang San-Fruit', districtCode: '410702' })).toBe('name:zhangsanfruit|410702');
  });

  it('gives no key for a name with nothing left after normalisation', () => {
    expect(keyOf('--')).toBeNull();
    expect(keyOf('')).toBeNull();
    expect(keyOf(undefined)).toBeNull();
    expect(keyOf('A-1')).toBe('a1');
  });
});

describe('searchTokens: the same tokens for documents and queries', () => {
  it.each<[string, string[], boolean]>([
    ['儿童推车', ['儿', '童', '推', '车', '儿童', '童推', '推车'], true],
    ['儿童推车', ['儿童', '童推', '推车'], false],
    ['车', ['车'], false], // a one-character query keeps its character
    ['Baby Stroller X-100', ['baby', 'stroller', 'x', '100'], true],
    ['ＳＴＲＯＬＬＥＲ', ['stroller'], false],
    ['乐童LT-100积木', ['乐童', 'lt', '100', '积木'], false],
    ['刹车失灵, brake failure!', ['刹车', '车失', '失灵', 'brake', 'failure'], false],
    ['  ', [], false],
  ])('%j (unigrams %s)', (text, expected, unigrams) => {
    expect(searchTokens(text, { unigrams }).sort()).toEqual([...expected].sort());
  });
});
