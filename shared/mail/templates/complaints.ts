import { z } from 'zod';
import { itemKinds, itemStatuses, outcomeLabel, remediesAfter, reasonLabel, statusLabel, type ItemKind } from '../../complaints/index.js';
import type { Language } from '../../i18n/index.js';
import { remedies, remedyLabel } from '../../recalls/index.js';
import { defineTemplate, toEmail } from '../render.js';

/**
 * The consumer's emails about a complaint or report, in zh-CN (default) and en. Each links to the tracking page
 * (never with the access code in the link) and says what each date it names means and what happens then.
 */

const kindWord = (kind: ItemKind, lang: Language) => (lang === 'en' ? kind : kind === 'complaint' ? '投诉' : '举报');

const trackLine = (lang: Language, url: string | undefined, trackingNo: string) =>
  url &&
  (lang === 'en'
    ? `Follow it at ${url} with tracking number ${trackingNo} and your access code.`
    : `请在 ${url} 输入查询编号 ${trackingNo} 和查询码查看办理进度。`);

export const complaintReceived = defineTemplate({
  params: z.object({
    trackingNo: z.string(),
    /** Sealed with the server key until sent, then erased. */
    accessCodeSealed: z.string().nullable().optional(),
    kind: z.enum(itemKinds),
    bureauName: z.string(),
    routed: z.boolean(),
    deadline: z.string().optional(),
    trackingUrl: z.string().optional(),
    /** Active recalls the product falls under: the consumer learns at once what to do. */
    recalls: z
      .array(
        z.object({
          recallNo: z.string(),
          title: z.string(),
          remedy: z.enum(remedies),
          remedyInstructions: z.string(),
          consumerContact: z.string(),
        }),
      )
      .optional(),
  }),
  render(lang, p, { accessCode }) {
    const what = kindWord(p.kind, lang);
    const recallLines = (p.recalls ?? []).flatMap((r) =>
      lang === 'en'
        ? [
            `This product is under recall ${r.recallNo}: ${r.title}. Stop using it. Remedy: ${remedyLabel(r.remedy, lang)}.`,
            `What to do: ${r.remedyInstructions} (contact: ${r.consumerContact})`,
          ]
        : [
            `您投诉的产品正在召回（${r.recallNo}：${r.title}），请立即停止使用。召回措施：${remedyLabel(r.remedy, lang)}。`,
            `处理方式：${r.remedyInstructions}（联系方式：${r.consumerContact}）`,
          ],
    );
    if (lang === 'en') {
      return toEmail(`We received your ${what} ${p.trackingNo}`, [
        `Thank you. Your ${what} has been received and assigned to ${p.bureauName}.`,
        `Tracking number: ${p.trackingNo}`,
        accessCode &&
          `Access code: ${accessCode} (keep it private: it is needed to follow your ${what}, and this email is the only copy we send)`,
        p.deadline &&
          (p.kind === 'complaint'
            ? `The bureau must decide by ${p.deadline} whether to take up your complaint. If it does, it mediates between you and the merchant; if it does not, it tells you why and where else to turn.`
            : `The bureau must verify your report and decide by ${p.deadline} whether to open a case (extendable once by 15 working days with approval).`),
        !p.routed && 'The city bureau will pass it to the county office responsible for the merchant.',
        ...recallLines,
        trackLine(lang, p.trackingUrl, p.trackingNo),
      ]);
    }
    return toEmail(`您的${what}已收到（${p.trackingNo}）`, [
      `您的${what}已收到，已分派至${p.bureauName}。`,
      `查询编号：${p.trackingNo}`,
      accessCode && `查询码：${accessCode}（请妥善保管，查询办理进度时需要；我们只发送这一次）`,
      p.deadline &&
        (p.kind === 'complaint'
          ? `我局将于 ${p.deadline} 前决定是否受理您的投诉。受理的，将组织您与商家调解；不予受理的，会告知理由和其他解决途径。`
          : `我局将于 ${p.deadline} 前完成核查并决定是否立案（情况复杂的，经批准可延长 15 个工作日）。`),
      !p.routed && '市级市场监督管理部门将把它转交商家所在地的区县市场监督管理局办理。',
      ...recallLines,
      trackLine(lang, p.trackingUrl, p.trackingNo),
    ]);
  },
});

type StatusParams = { kind: ItemKind; deadline?: string | undefined; bureauName?: string | undefined; extended?: boolean | undefined };

/** What a new status means for the consumer, with the date that now applies. */
function explanation(status: string, p: StatusParams, lang: Language): string | undefined {
  const zh = lang === 'zh-CN';
  const d = p.deadline;
  switch (status) {
    case 'accepted':
      return zh
        ? `我局已受理您的投诉，将组织调解。调解应于 ${d} 前结束；届时未达成协议的，调解终止，您可以依法申请仲裁或提起诉讼。`
        : `The bureau has taken up your complaint and will mediate. Mediation ends by ${d}; if there is no agreement by then it stops, and you may go to arbitration or court.`;
    case 'mediating':
      return d
        ? zh
          ? `调解继续进行，应于 ${d} 前结束（检测、鉴定所用时间不计算在内）。`
          : `Mediation continues and ends by ${d} (time spent on testing or appraisal does not count).`
        : undefined;
    case 'paused_for_testing':
      return zh
        ? '调解期间需要检测或鉴定，所需时间不计入调解期限；检测结束后调解继续。'
        : 'Testing or appraisal is needed; the time it takes does not count towards the mediation period, which resumes afterwards.';
    case 'transferred':
      return d
        ? zh
          ? `已转至${p.bureauName ?? '有管辖权的市场监督管理局'}办理，该局将于 ${d} 前${p.kind === 'complaint' ? '决定是否受理' : '完成核查并决定是否立案'}。`
          : `It has been transferred to ${p.bureauName ?? 'the responsible bureau'}, which must ${p.kind === 'complaint' ? 'decide whether to take it up' : 'verify it and decide whether to open a case'} by ${d}.`
        : undefined;
    case 'pending_verification':
      return p.extended && d
        ? zh
          ? `经批准，核查期限延长至 ${d}。`
          : `With approval, the verification period has been extended to ${d}.`
        : undefined;
    case 'case_filed':
      return zh ? '我局已对您举报的违法行为立案调查。' : 'The bureau has opened a case to investigate the violation you reported.';
    default:
      return undefined;
  }
}

export const statusChanged = defineTemplate({
  params: z.object({
    trackingNo: z.string(),
    kind: z.enum(itemKinds),
    status: z.enum(itemStatuses),
    reasonCode: z.string().optional(),
    outcome: z.string().optional(),
    bureauName: z.string().optional(),
    deadline: z.string().optional(),
    note: z.string().optional(),
    extended: z.boolean().optional(),
    trackingUrl: z.string().optional(),
  }),
  render(lang, p) {
    const label = statusLabel(p.status, lang);
    const zh = lang === 'zh-CN';
    const what = kindWord(p.kind, lang);
    return toEmail(zh ? `您的${what}状态更新：${label}（${p.trackingNo}）` : `Your ${what} ${p.trackingNo}: ${label}`, [
      zh ? `您的${what}（${p.trackingNo}）当前状态：${label}。` : `Your ${what} ${p.trackingNo} is now: ${label}.`,
      p.reasonCode && (zh ? `理由：${reasonLabel(p.reasonCode, lang)}。` : `Reason: ${reasonLabel(p.reasonCode, lang)}.`),
      p.outcome && (zh ? `办理结果：${outcomeLabel(p.outcome, lang)}。` : `Outcome: ${outcomeLabel(p.outcome, lang)}.`),
      explanation(p.status, p, lang),
      remediesAfter(p.status, p.outcome, lang),
      p.bureauName && p.status !== 'transferred' && (zh ? `承办单位：${p.bureauName}` : `Handled by: ${p.bureauName}`),
      p.note && (zh ? `说明：${p.note}` : `Note: ${p.note}`),
      trackLine(lang, p.trackingUrl, p.trackingNo),
    ]);
  },
});
