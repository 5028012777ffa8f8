export type Language = 'zh-CN' | 'en';

export const itemStatuses = [
  'submitted',
  'pending_acceptance',
  'pending_verification',
  'accepted',
  'mediating',
  'paused_for_testing',
  'rejected',
  'transferred',
  'case_filed',
  'not_filed',
  'closed',
] as const;

export type ItemStatus = (typeof itemStatuses)[number];

const statusLabels: Record<ItemStatus, Record<Language, string>> = {
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
  closed: { 'zh-CN': '已办结', en: 'Closed' },
};

export function statusLabel(status: string, lang: Language): string {
  return statusLabels[status as ItemStatus]?.[lang] ?? status;
}

/** Picks zh-CN or en from an Accept-Language header; zh-CN is the default. */
export function negotiateLanguage(acceptLanguage: string | undefined | null): Language {
  if (!acceptLanguage) return 'zh-CN';
  const prefs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag.startsWith('zh')) return 'zh-CN';
    if (p.tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const reasonLabels: Record<string, Record<Language, string>> = {
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

const outcomeLabels: Record<string, Record<Language, string>> = {
  mediated_agreement: { 'zh-CN': '调解达成协议', en: 'agreement reached in mediation' },
  mediation_failed: { 'zh-CN': '调解不成', en: 'mediation failed' },
  mediation_expired: { 'zh-CN': '调解期满未达成协议', en: 'mediation period ended without agreement' },
  withdrawn: { 'zh-CN': '撤回', en: 'withdrawn' },
  referred_for_enforcement: { 'zh-CN': '移送立案查处', en: 'referred for enforcement' },
  unfounded: { 'zh-CN': '经查不实', en: 'found to be unfounded' },
};

export const reasonLabel = (code: string, lang: Language) => reasonLabels[code]?.[lang] ?? code;
export const outcomeLabel = (code: string, lang: Language) => outcomeLabels[code]?.[lang] ?? code;
