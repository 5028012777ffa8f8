import type { ComplaintInput } from '../shared/complaints/index.js';

const districts = ['410702', '410703', '410711', '410802', '410102', '110105'];

/** Valid, mixed-category complaint bodies: scales, e-bikes, children's products and other goods. */
export function mixedBody(i: number): ComplaintInput {
  const district = districts[i % districts.length]!;
  const merchant = { name: `商户${i % 5000}`, districtCode: district, address: `测试路 ${i % 300} 号` };
  const reporter = i % 3 === 0 ? { email: `bench${i}@example.com` } : undefined;
  switch (i % 4) {
    case 0:
      return {
        kind: 'complaint',
        category: 'scale',
        title: '鬼秤',
        description: '手机变砝码复核发现短斤缺两',
        merchant,
        evidence: { referenceMassG: 200 + (i % 50), displayedMassG: 210 + (i % 70), scaleIntervalG: 5 },
        ...(reporter ? { reporter } : {}),
      };
    case 1:
      return {
        kind: 'report',
        category: 'ebike',
        title: '无 3C 电动自行车',
        description: '销售无 CCC 标志的电动自行车',
        merchant,
        product: { brand: '飞驰', model: `FC-${i % 20}` },
        evidence: { hasCccMark: i % 2 === 0, issues: ['no_ccc'] },
        ...(reporter ? { reporter } : {}),
      };
    case 2:
      return {
        kind: 'complaint',
        category: 'child_product',
        title: '玩具小零件',
        description: '小零件易脱落',
        merchant,
        product: { brand: '乐童', model: 'LT-100' },
        evidence: { productType: 'toy', hazards: ['small_parts'] },
        harm: { injury: 'none', childInvolved: true },
        ...(reporter ? { reporter } : {}),
      };
    default:
      return {
        kind: 'complaint',
        category: 'other',
        title: '商品质量',
        description: '商品与宣传不符',
        merchant,
        ...(reporter ? { reporter } : {}),
      };
  }
}
