import { labelOf, type LabelCatalogue, type Language } from '../i18n/index.js';
import type {
  ChildProductType,
  EbikeIssueCode,
  HazardCode,
  InjuryLevel,
  ItemCategory,
  ItemKind,
  ItemStatus,
  Outcome,
  ReasonCode,
} from './vocabulary.js';

/** What consumers and staff read for each code, in zh-CN and en. */

export const statusLabels: LabelCatalogue<ItemStatus> = {
  submitted: { 'zh-CN': '已提交', en: 'Submitted' },
  pending_acceptance: { 'zh-CN': '待受理', en: 'Pending acceptance' },
  pending_verification: { 'zh-CN': '待核查', en: 'Pending verification' },
  accepted: { 'zh-CN': '已受理', en: 'Accepted' },
  mediating: { 'zh-CN': '调解中', en: 'In mediation' },
  paused_for_testing: { 'zh-CN': '检测鉴定中', en: 'Paused for testing' },
  rejected: { 'zh-CN': '不予受理', en: 'Rejected' },
  transferred: { 'zh-CN': '已转办', en: 'Transferred' },
  case_filed: { 'zh-CN': '已立案', en: 'Case filed' },
  not_filed: { 'zh-CN': '不予立案', en: 'No case filed' },
  pending_rectification: { 'zh-CN': '责令整改中', en: 'Rectification ordered' },
  rechecking: { 'zh-CN': '复查中', en: 'Re-checking' },
  closed: { 'zh-CN': '已办结', en: 'Closed' },
};

export const reasonLabels: LabelCatalogue<ReasonCode> = {
  outside_scope: { 'zh-CN': '不属于本部门职责范围', en: 'outside the bureau’s remit' },
  already_handled: { 'zh-CN': '已经处理过的同一事项', en: 'already handled' },
  not_consumer_dispute: { 'zh-CN': '不属于消费者权益争议', en: 'not a consumer dispute' },
  time_barred: { 'zh-CN': '超过三年投诉时效', en: 'more than three years have passed' },
  materials_missing_or_false: { 'zh-CN': '材料不全或不实', en: 'materials missing or false' },
  identity_refused: { 'zh-CN': '拒绝提供身份信息', en: 'identity not provided' },
  other_legal_ground: { 'zh-CN': '其他依法不予受理的情形', en: 'another legal ground' },
  no_violation: { 'zh-CN': '未发现违法行为', en: 'no violation found' },
  insufficient_evidence: { 'zh-CN': '证据不足', en: 'insufficient evidence' },
  extension: { 'zh-CN': '经批准延长核查期限', en: 'verification period extended with approval' },
};

export const outcomeLabels: LabelCatalogue<Outcome> = {
  mediated_agreement: { 'zh-CN': '调解达成协议', en: 'agreement reached in mediation' },
  mediation_failed: { 'zh-CN': '调解不成', en: 'mediation failed' },
  mediation_expired: { 'zh-CN': '调解期满未达成协议', en: 'mediation period ended without agreement' },
  withdrawn: { 'zh-CN': '撤回', en: 'withdrawn' },
  referred_for_enforcement: { 'zh-CN': '移送立案查处', en: 'referred for enforcement' },
  unfounded: { 'zh-CN': '经查不实', en: 'found to be unfounded' },
  rectified: { 'zh-CN': '复查整改到位', en: 'rectified, confirmed at the re-check' },
  merchant_closed: { 'zh-CN': '经营者已停业', en: 'the merchant has closed down' },
};

/** A category as a kind of product (recalls, sampling), rather than as what a consumer reports. */
export const productCategoryLabels: LabelCatalogue<ItemCategory> = {
  scale: { 'zh-CN': '计量器具（秤）', en: 'scales' },
  ebike: { 'zh-CN': '电动自行车', en: 'e-bikes' },
  child_product: { 'zh-CN': '儿童用品', en: 'children’s products' },
  other: { 'zh-CN': '其他商品', en: 'other goods' },
};

/** Where a consumer can turn when the bureau will not mediate or mediation ends without agreement (Order No. 121). */
export const otherRemedies: Record<Language, string> = {
  'zh-CN': '您可以与经营者协商和解，请求消费者协会或者依法成立的其他调解组织调解，向仲裁机构申请仲裁，或者向人民法院提起诉讼。',
  en: 'You may settle with the merchant, ask a consumer association or another lawful mediation body to mediate, apply for arbitration, or bring a lawsuit in a people’s court.',
};

/** The statuses whose decision the consumer is told the legal reason for. */
export const reasonedStatuses = ['rejected', 'not_filed'] as const satisfies readonly ItemStatus[];

/** The other routes open to a consumer after this status and outcome, if the bureau's route has ended. */
export function remediesAfter(status: ItemStatus, outcome: string | undefined, lang: Language): string | undefined {
  if (status === 'rejected') return otherRemedies[lang];
  if (status === 'closed' && (outcome === 'mediation_failed' || outcome === 'mediation_expired')) return otherRemedies[lang];
  return undefined;
}

export const statusLabel = (status: string, lang: Language) => labelOf(statusLabels, status, lang);
export const reasonLabel = (code: string, lang: Language) => labelOf(reasonLabels, code, lang);
export const outcomeLabel = (code: string, lang: Language) => labelOf(outcomeLabels, code, lang);

export const kindLabels: LabelCatalogue<ItemKind> = {
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  report: { 'zh-CN': '举报', en: 'Report (tip-off)' },
  sampling_followup: { 'zh-CN': '抽检不合格后处理', en: 'Sampling follow-up' },
};

export const categoryLabels: LabelCatalogue<ItemCategory> = {
  scale: { 'zh-CN': '缺斤短两（鬼秤）', en: 'Short weight (rigged scale)' },
  ebike: { 'zh-CN': '电动自行车', en: 'E-bike' },
  child_product: { 'zh-CN': '儿童用品', en: 'Children’s product' },
  other: { 'zh-CN': '其他商品', en: 'Other goods' },
};

export const ebikeIssueLabels: LabelCatalogue<EbikeIssueCode> = {
  no_ccc: { 'zh-CN': '整车没有 CCC 认证标志', en: 'No CCC mark on the bike' },
  no_conformity_certificate: { 'zh-CN': '没有产品合格证', en: 'No product conformity certificate' },
  speed_over_25: { 'zh-CN': '最高车速超过 25 km/h', en: 'Top speed above 25 km/h' },
  tampered_limiter: { 'zh-CN': '限速装置被改装或可解除', en: 'Speed limiter tampered with or removable' },
  battery_no_ccc: { 'zh-CN': '锂电池没有 CCC 认证', en: 'Lithium battery without CCC' },
  charger_no_ccc: { 'zh-CN': '充电器没有 CCC 认证', en: 'Charger without CCC' },
  old_standard_sold_after_deadline: { 'zh-CN': '2025-12-01 后仍销售旧国标车', en: 'Old-standard bike sold after 2025-12-01' },
};

export const hazardLabels: LabelCatalogue<HazardCode> = {
  small_parts: { 'zh-CN': '小零件易脱落、易误吞', en: 'Small parts that come off' },
  sharp_edge: { 'zh-CN': '锐利边缘或尖端', en: 'Sharp edges or points' },
  pinch_point: { 'zh-CN': '夹手、挤压', en: 'Pinch points' },
  chemical: { 'zh-CN': '有害化学物质、异味', en: 'Harmful chemicals or smell' },
  battery_ingestion: { 'zh-CN': '纽扣电池易取出', en: 'Button battery within reach' },
  magnet_ingestion: { 'zh-CN': '小磁铁易脱落', en: 'Small magnets that come off' },
  strangulation_cord: { 'zh-CN': '绳带过长，有勒颈风险', en: 'Long cords (strangulation)' },
  tip_over: { 'zh-CN': '易倾翻', en: 'Tips over' },
  brake_failure: { 'zh-CN': '刹车失灵', en: 'Brake failure' },
  flammability: { 'zh-CN': '易燃', en: 'Catches fire easily' },
  fire: { 'zh-CN': '起火、冒烟', en: 'Fire or smoke' },
  electric_shock: { 'zh-CN': '漏电、触电', en: 'Electric shock' },
  other: { 'zh-CN': '其他危险', en: 'Other hazard' },
};

export const childProductTypeLabels: LabelCatalogue<ChildProductType> = {
  toy: { 'zh-CN': '玩具', en: 'Toy' },
  stroller: { 'zh-CN': '婴儿推车', en: 'Stroller' },
  children_vehicle: { 'zh-CN': '儿童自行车、滑板车等', en: 'Children’s bike, scooter…' },
  stationery: { 'zh-CN': '学生文具', en: 'School stationery' },
  textile: { 'zh-CN': '婴幼儿及儿童纺织品', en: 'Children’s textiles' },
  car_seat: { 'zh-CN': '儿童安全座椅', en: 'Child car seat' },
  other: { 'zh-CN': '其他儿童用品', en: 'Other children’s product' },
};

export const injuryLabels: LabelCatalogue<InjuryLevel> = {
  none: { 'zh-CN': '没有受伤', en: 'No injury' },
  minor: { 'zh-CN': '轻微受伤', en: 'Minor injury' },
  serious: { 'zh-CN': '严重受伤', en: 'Serious injury' },
  fatal: { 'zh-CN': '死亡', en: 'Death' },
};

export const productCategoryLabel = (code: string, lang: Language) => labelOf(productCategoryLabels, code, lang);
