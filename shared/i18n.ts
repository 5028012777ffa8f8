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
