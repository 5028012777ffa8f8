import { describe, expect, it } from 'vitest';
import { usccCheckCharacter } from '../../shared/identifiers/index.js';
import { batchMatch, matchesRecall, productKeysOf, recallSpecOf, type ProductFacts } from '../../shared/recalls/index.js';

const uscc = (body17: string) => body17 + usccCheckCharacter(body17);
const MAKER = uscc('91410702MA44XW3R1');
const OTHER_MAKER = uscc('91410702MA44XW3R2');

const recall = recallSpecOf({
  brand: '乐童',
  models: ['LT-100', 'LT-200'],
  batches: ['20260901', '20260915'],
  manufacturer: { name: '乐童玩具有限公司', uscc: MAKER },
});
const allBatches = recallSpecOf({ brand: '乐童', models: ['LT-100'], manufacturer: { name: '乐童玩具有限公司' } });

describe('does an item fall under a recall', () => {
  it.each<[string, ProductFacts, boolean]>([
    ['same brand, model and listed batch', { brand: '乐童', model: 'LT-100', batch: '20260901' }, true],
    ['model spelt differently (case, width, spaces, dashes)', { brand: '乐 童', model: 'ｌｔ １００', batch: '2026-09-01' }, true],
    ['second model of the recall', { brand: '乐童', model: 'LT 200', batch: '20260915' }, true],
    ['another model', { brand: '乐童', model: 'LT-300', batch: '20260901' }, false],
    ['a model that only starts the same', { brand: '乐童', model: 'LT-1000', batch: '20260901' }, false],
    ['no model', { brand: '乐童', batch: '20260901' }, false],
    ['batch not listed', { brand: '乐童', model: 'LT-100', batch: '20261001' }, false],
    ['no batch given: told, and asked to check theirs', { brand: '乐童', model: 'LT-100' }, true],
    ['another brand, same model, no manufacturer', { brand: '快乐', model: 'LT-100', batch: '20260901' }, false],
    ['another brand, manufacturer by USCC', { brand: '快乐', model: 'LT-100', batch: '20260901', manufacturerUscc: MAKER }, true],
    [
      'USCC decides over the name: same name, other USCC',
      { brand: '快乐', model: 'LT-100', batch: '20260901', manufacturer: '乐童玩具有限公司', manufacturerUscc: OTHER_MAKER },
      false,
    ],
    [
      'USCC decides over the name: other name, same USCC',
      { brand: '快乐', model: 'LT-100', batch: '20260901', manufacturer: '北京某某公司', manufacturerUscc: MAKER.toLowerCase() },
      true,
    ],
    [
      'manufacturer by normalised name when the item has no USCC',
      { brand: '快乐', model: 'LT-100', batch: '20260901', manufacturer: '乐童 玩具 有限公司' },
      true,
    ],
    ['another manufacturer name', { brand: '快乐', model: 'LT-100', batch: '20260901', manufacturer: '快乐玩具厂' }, false],
    [
      'an invalid USCC counts as none (the name decides)',
      { brand: '快乐', model: 'LT-100', batch: '20260901', manufacturer: '乐童玩具有限公司', manufacturerUscc: '123' },
      true,
    ],
  ])('%s → %s', (_name, product, expected) => {
    expect(matchesRecall(productKeysOf(product), recall)).toBe(expected);
  });

  it('matches every batch when the recall lists none', () => {
    expect(matchesRecall(productKeysOf({ brand: '乐童', model: 'LT100', batch: 'anything' }), allBatches)).toBe(true);
    expect(matchesRecall(productKeysOf({ brand: '乐童', model: 'LT100' }), allBatches)).toBe(true);
  });

  it('compares names by name when the recall has no USCC, even if the item has one', () => {
    expect(
      matchesRecall(productKeysOf({ brand: 'x', model: 'LT-100', manufacturer: '乐童玩具有限公司', manufacturerUscc: MAKER }), allBatches),
    ).toBe(true);
  });

  it.each([
    [null, [], 'all_batches'],
    ['a', [], 'all_batches'],
    [null, ['a'], 'not_given'],
    ['a', ['a', 'b'], 'listed'],
    ['c', ['a', 'b'], 'other_batch'],
  ] as const)('batch %s against %j → %s', (batch, batches, expected) => {
    expect(batchMatch(batch, batches)).toBe(expected);
  });

  it('keys a product for signals: brand and model together, manufacturer by USCC else name', () => {
    expect(productKeysOf({ brand: '乐童', model: 'LT-100', manufacturer: '乐童 玩具', manufacturerUscc: MAKER })).toMatchObject({
      productKey: '乐童|lt100',
      manufacturerKey: `uscc:${MAKER}`,
    });
    expect(productKeysOf({ model: 'LT-100', manufacturer: '乐童 玩具' })).toMatchObject({
      productKey: null,
      manufacturerKey: 'name:乐童玩具',
    });
    expect(productKeysOf(undefined)).toMatchObject({ modelKey: null, productKey: null, manufacturerKey: null });
  });
});
