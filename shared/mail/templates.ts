import { outcomeLabel, reasonLabel, statusLabel, type Language } from '../i18n.js';

/** Email templates in zh-CN (default) and en. Params are plain data; every value is escaped in HTML. */

export interface ReceivedParams {
  trackingNo: string;
  accessCode?: string | undefined;
  kind: 'complaint' | 'report';
  bureauName: string;
  routed: boolean;
  deadline?: string | undefined;
  trackingUrl?: string | undefined;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function toEmail(subject: string, lines: string[]): RenderedEmail {
  return {
    subject,
    text: lines.join('\n'),
    html: `<!doctype html><html><body>${lines.map((l) => (l ? `<p>${escapeHtml(l)}</p>` : '')).join('')}</body></html>`,
  };
}

function received(lang: Language, p: ReceivedParams): RenderedEmail {
  if (lang === 'en') {
    const what = p.kind === 'complaint' ? 'complaint' : 'report';
    return toEmail(`We received your ${what} ${p.trackingNo}`, [
      `Thank you. Your ${what} has been received and assigned to ${p.bureauName}.`,
      `Tracking number: ${p.trackingNo}`,
      p.accessCode ? `Access code: ${p.accessCode} (keep it private: it is needed to follow your ${what})` : '',
      p.deadline
        ? p.kind === 'complaint'
          ? `The bureau decides whether to accept your complaint by ${p.deadline}.`
          : `The bureau verifies your report and decides whether to open a case by ${p.deadline}.`
        : '',
      p.routed ? '' : 'The bureau will route it to the responsible county office.',
      p.trackingUrl ? `Follow it at ${p.trackingUrl}` : '',
    ]);
  }
  const what = p.kind === 'complaint' ? '投诉' : '举报';
  return toEmail(`您的${what}已收到（${p.trackingNo}）`, [
    `您的${what}已收到，已分派至${p.bureauName}。`,
    `查询编号：${p.trackingNo}`,
    p.accessCode ? `查询码：${p.accessCode}（请妥善保管，查询办理进度时需要）` : '',
    p.deadline
      ? p.kind === 'complaint'
        ? `我局将于 ${p.deadline} 前作出是否受理的决定。`
        : `我局将于 ${p.deadline} 前完成核查并决定是否立案。`
      : '',
    p.routed ? '' : '我局将转交有管辖权的县级市场监督管理部门办理。',
    p.trackingUrl ? `查询地址：${p.trackingUrl}` : '',
  ]);
}

export interface StatusChangedParams {
  trackingNo: string;
  kind: 'complaint' | 'report';
  status: string;
  reasonCode?: string | undefined;
  outcome?: string | undefined;
  bureauName?: string | undefined;
  deadline?: string | undefined;
  note?: string | undefined;
}

/** Where a consumer can turn when the bureau will not mediate (Order No. 121 requires telling them). */
const alternatives: Record<Language, string> = {
  'zh-CN': '您可以与经营者协商和解，请求消费者协会或者依法成立的其他调解组织调解，向仲裁机构申请仲裁，或者向人民法院提起诉讼。',
  en: 'You may settle with the merchant, ask a consumer association or another lawful mediation body to mediate, apply for arbitration, or bring a lawsuit in a people’s court.',
};

function statusChanged(lang: Language, p: StatusChangedParams): RenderedEmail {
  const label = statusLabel(p.status, lang);
  const zh = lang === 'zh-CN';
  const what = zh ? (p.kind === 'complaint' ? '投诉' : '举报') : p.kind;
  const lines = [
    zh ? `您的${what}（${p.trackingNo}）当前状态：${label}。` : `Your ${what} ${p.trackingNo} is now: ${label}.`,
    p.reasonCode ? (zh ? `理由：${reasonLabel(p.reasonCode, lang)}` : `Reason: ${reasonLabel(p.reasonCode, lang)}`) : '',
    p.outcome ? (zh ? `办理结果：${outcomeLabel(p.outcome, lang)}` : `Outcome: ${outcomeLabel(p.outcome, lang)}`) : '',
    p.status === 'rejected' ? alternatives[lang] : '',
    p.bureauName ? (zh ? `承办单位：${p.bureauName}` : `Handled by: ${p.bureauName}`) : '',
    p.deadline ? (zh ? `期限：${p.deadline}` : `Deadline: ${p.deadline}`) : '',
    p.note ? (zh ? `说明：${p.note}` : `Note: ${p.note}`) : '',
  ];
  return toEmail(zh ? `您的${what}状态更新：${label}（${p.trackingNo}）` : `Your ${what} ${p.trackingNo}: ${label}`, lines);
}

export interface DeadlineAlertParams {
  trackingNo: string;
  deadline: 'accept_by' | 'verify_by' | 'mediation_ends_by';
  dueOn: string;
  caseId: number | null;
}

const deadlineNames: Record<DeadlineAlertParams['deadline'], Record<Language, string>> = {
  accept_by: { 'zh-CN': '受理期限', en: 'acceptance deadline' },
  verify_by: { 'zh-CN': '核查期限', en: 'verification deadline' },
  mediation_ends_by: { 'zh-CN': '调解期限', en: 'mediation deadline' },
};

function deadlineWarning(lang: Language, p: DeadlineAlertParams): RenderedEmail {
  const name = deadlineNames[p.deadline][lang];
  return lang === 'en'
    ? toEmail(`Due on ${p.dueOn}: ${p.trackingNo}`, [`The ${name} of ${p.trackingNo} (case ${p.caseId ?? '-'}) is ${p.dueOn}.`, 'Please decide before it passes.'])
    : toEmail(`期限提醒：${p.trackingNo} 将于 ${p.dueOn} 到期`, [`${p.trackingNo}（案件 ${p.caseId ?? '-'}）的${name}为 ${p.dueOn}，请及时办理。`]);
}

function deadlineOverdue(lang: Language, p: DeadlineAlertParams): RenderedEmail {
  const name = deadlineNames[p.deadline][lang];
  return lang === 'en'
    ? toEmail(`Overdue: ${p.trackingNo}`, [`The ${name} of ${p.trackingNo} (case ${p.caseId ?? '-'}) passed on ${p.dueOn}.`, 'The case is flagged as escalated.'])
    : toEmail(`超期督办：${p.trackingNo}`, [`${p.trackingNo}（案件 ${p.caseId ?? '-'}）的${name}已于 ${p.dueOn} 届满，案件已标记为督办。`]);
}

const templates = {
  complaint_received: received,
  status_changed: statusChanged,
  deadline_warning: deadlineWarning,
  deadline_overdue: deadlineOverdue,
} as const;

export function renderEmail(template: string, lang: Language, params: Record<string, unknown>): RenderedEmail {
  if (!Object.hasOwn(templates, template)) throw new Error(`unknown email template ${template}`);
  const render = templates[template as keyof typeof templates] as (l: Language, p: unknown) => RenderedEmail;
  return render(lang, params);
}
