import type { ComplaintInput } from '../../shared/complaints/index.js';

/** Valid bodies per category, with the merchant in 新乡市红旗区 unless told otherwise. */
export function scaleComplaint(overrides: Partial<ComplaintInput> = {}): ComplaintInput {
  return {
    kind: 'complaint',
    category: 'scale',
    title: '水果摊鬼秤',
    description: '用手机变砝码：215 克的手机在摊主秤上显示 232.5 克。',
    merchant: { name: '张三水果摊', districtCode: '410702', address: '河南省新乡市红旗区平原路农贸市场 12 号' },
    evidence: { referenceMassG: 215, displayedMassG: 232.5, scaleMaxG: 15000, scaleIntervalG: 5 },
    reporter: { name: '李女士', phone: '13800138000', email: 'consumer@example.com' },
    ...overrides,
  } as ComplaintInput;
}

export function ebikeReport(overrides: Partial<ComplaintInput> = {}): ComplaintInput {
  return {
    kind: 'report',
    category: 'ebike',
    title: '销售无 3C 认证电动自行车',
    description: '车行销售的电动自行车没有 CCC 标志，限速可被解除。',
    merchant: { name: '飞驰车行', uscc: '91410702MA44XW3R1J', districtCode: '410702' },
    product: { brand: '飞驰', model: 'FC-1', cccCertificateNo: '2025011119000001' },
    evidence: { hasCccMark: false, hasConformityCertificate: false, issues: ['no_ccc', 'tampered_limiter'], observedTopSpeedKmh: 42 },
    ...overrides,
  } as ComplaintInput;
}

export function childProductComplaint(overrides: Partial<ComplaintInput> = {}): ComplaintInput {
  return {
    kind: 'complaint',
    category: 'child_product',
    title: '玩具小零件脱落',
    description: '购买的积木玩具小零件极易脱落，孩子差点误吞。',
    merchant: { name: '快乐玩具店', districtCode: '410802' },
    product: { name: '益智积木', brand: '乐童', model: 'LT-100', batch: '20260901' },
    evidence: { productType: 'toy', hazards: ['small_parts'], hasCccMark: true, ageRange: '3-6' },
    harm: { injury: 'none', childInvolved: true },
    reporter: { email: 'parent@example.com', language: 'en' },
    ...overrides,
  } as ComplaintInput;
}
