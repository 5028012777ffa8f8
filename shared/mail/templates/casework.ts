import { z } from 'zod';
import { deadlineKinds, type DeadlineKind } from '../../casework/index.js';
import type { LabelCatalogue } from '../../i18n/index.js';
import { defineTemplate, toEmail } from '../render.js';

/**
 * Staff emails: a deadline coming up for the assignee (for the regulators when nobody holds the case), an overdue
 * item for the regulators.
 */

const deadlineNames: LabelCatalogue<DeadlineKind> = {
  accept_by: { 'zh-CN': '受理期限', en: 'acceptance deadline' },
  verify_by: { 'zh-CN': '核查期限', en: 'verification deadline' },
  mediation_ends_by: { 'zh-CN': '调解期限', en: 'mediation deadline' },
  recheck_by: { 'zh-CN': '复查期限', en: 're-check deadline' },
  provincial_report_by: {
    'zh-CN': '向省局报告死亡或严重伤害的期限',
    en: 'deadline to report a death or serious injury to the provincial bureau',
  },
};

const deadlineAlertParams = z.object({
  trackingNo: z.string(),
  deadline: z.enum(deadlineKinds),
  dueOn: z.string(),
  caseId: z.number().nullable(),
  /** Nobody (active) holds the case: the warning goes to the regulators, who assign it. */
  unclaimed: z.boolean().optional(),
});

export const deadlineWarning = defineTemplate({
  params: deadlineAlertParams,
  render(lang, p) {
    const name = deadlineNames[p.deadline][lang];
    return lang === 'en'
      ? toEmail(`Due on ${p.dueOn}: ${p.trackingNo}`, [
          `The ${name} of ${p.trackingNo} (case ${p.caseId ?? '-'}) is ${p.dueOn}.`,
          p.unclaimed ? 'Nobody holds the case: please assign an inspector before it passes.' : 'Please decide before it passes.',
        ])
      : toEmail(`期限提醒：${p.trackingNo} 将于 ${p.dueOn} 到期`, [
          p.unclaimed
            ? `${p.trackingNo}（案件 ${p.caseId ?? '-'}）的${name}为 ${p.dueOn}，该案件尚无人承办，请及时指派检查员。`
            : `${p.trackingNo}（案件 ${p.caseId ?? '-'}）的${name}为 ${p.dueOn}，请及时办理。`,
        ]);
  },
});

export const deadlineOverdue = defineTemplate({
  params: deadlineAlertParams,
  render(lang, p) {
    const name = deadlineNames[p.deadline][lang];
    return lang === 'en'
      ? toEmail(`Overdue: ${p.trackingNo}`, [
          `The ${name} of ${p.trackingNo} (case ${p.caseId ?? '-'}) passed on ${p.dueOn}.`,
          'The case is flagged as escalated.',
        ])
      : toEmail(`超期督办：${p.trackingNo}`, [
          `${p.trackingNo}（案件 ${p.caseId ?? '-'}）的${name}已于 ${p.dueOn} 届满，案件已标记为督办。`,
        ]);
  },
});
