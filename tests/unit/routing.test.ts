import { describe, expect, it } from 'vitest';
import { routeItem } from '../../shared/casework/index.js';
import { buildJurisdictions, createDivisionIndex } from '../../shared/jurisdictions/index.js';

const rows = buildJurisdictions();
const divisions = createDivisionIndex(rows);
const route = (input: Parameters<typeof routeItem>[0]) => routeItem(input, divisions, '410700');

describe('the GB/T 2260 division table', () => {
  it('has every province, city and county, each with its bureau', () => {
    expect(rows.filter((r) => r.level === 'province')).toHaveLength(34);
    expect(rows.filter((r) => r.level === 'county').length).toBeGreaterThan(2800);
    expect(rows.find((r) => r.code === '410702')).toMatchObject({
      name: '红旗区',
      level: 'county',
      parent_code: '410700',
      full_name: '河南省新乡市红旗区',
      bureau_name: '新乡市红旗区市场监督管理局',
    });
    expect(rows.find((r) => r.code === '410721')?.bureau_name).toBe('新乡县市场监督管理局');
    expect(rows.find((r) => r.code === '410700')).toMatchObject({ level: 'city', bureau_name: '新乡市市场监督管理局' });
    expect(rows.find((r) => r.code === '110105')).toMatchObject({
      level: 'county',
      parent_code: '110000',
      bureau_name: '北京市朝阳区市场监督管理局',
    });
  });
});

describe('routing', () => {
  it.each([
    ['scale', 'metrology'],
    ['ebike', 'product_quality'],
    ['other', 'product_quality'],
    ['child_product', 'child_safety'],
  ] as const)('a %s item with a county district goes to the %s queue of that county', (category, queue) => {
    expect(route({ category, districtCode: '410702' })).toEqual({
      routed: true,
      jurisdictionCode: '410702',
      queue,
      basis: 'district_code',
    });
  });

  it.each([
    ['河南省新乡市红旗区平原路 8 号', '410702'],
    ['焦作市解放区民主路', '410802'],
    ['北京市朝阳区建国路 1 号', '110105'],
  ])('finds the county in the address "%s"', (address, code) => {
    expect(route({ category: 'scale', address })).toMatchObject({ routed: true, jurisdictionCode: code, basis: 'address' });
  });

  it('prefers a usable district code to the address', () => {
    expect(route({ category: 'scale', districtCode: '410802', address: '新乡市红旗区' }).jurisdictionCode).toBe('410802');
  });

  it.each([
    [{ districtCode: '410700' }, '410700', 'city_of_district'], // a city code: the city's intake queue
    [{ districtCode: '999999', address: '新乡市某某路' }, '410700', 'city_in_address'], // unknown code, city in the address
    [{ address: '焦作市某市场' }, '410800', 'city_in_address'],
    [{ address: '某市场' }, '410700', 'default_intake'],
    [{}, '410700', 'default_intake'],
    [{ districtCode: '110000' }, '110000', 'city_of_district'], // a municipality is its own city level
  ])('%o goes to the intake queue of %s', (input, code, basis) => {
    expect(route({ category: 'ebike', ...input })).toEqual({ routed: false, jurisdictionCode: code, queue: 'intake', basis });
  });
});
