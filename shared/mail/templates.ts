import type { Language } from '../i18n.js';

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

const templates = {
  complaint_received: received,
} as const;

export function renderEmail(template: string, lang: Language, params: Record<string, unknown>): RenderedEmail {
  if (template !== 'complaint_received') throw new Error(`unknown email template ${template}`);
  return templates[template](lang, params as unknown as ReceivedParams);
}
