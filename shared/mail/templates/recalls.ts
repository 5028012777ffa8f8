import { z } from 'zod';
import { productCategoryLabel, injuryLevels, itemCategories } from '../../complaints/index.js';
import type { Language } from '../../i18n/index.js';
import {
  listUnsubscribeHeaders,
  recallReports,
  recallTypes,
  recallTypeLabel,
  recipientKinds,
  remedies,
  remedyLabel,
  signalSubjects,
} from '../../recalls/index.js';
import { defineTemplate, toEmail } from '../render.js';

/** Recall notices (consumers, subscribers, merchants), the alert confirmation, and the regulators' signal and overdue emails. */

const list = (values: readonly string[], lang: Language) => values.join(lang === 'en' ? ', ' : '、');

/** What a recall notice shows; every notice's subject carries the recall number. */
export const recallNoticeParams = z.object({
  kind: z.enum(recipientKinds),
  recallNo: z.string(),
  type: z.enum(recallTypes),
  title: z.string(),
  manufacturer: z.string(),
  brand: z.string(),
  productName: z.string(),
  models: z.array(z.string()),
  batches: z.array(z.string()),
  hazard: z.string(),
  remedy: z.enum(remedies),
  remedyInstructions: z.string(),
  consumerContact: z.string(),
  recallUrl: z.string(),
  unsubscribe: z.object({ url: z.string(), mailto: z.string() }).optional(),
});

export type RecallNoticeParams = z.infer<typeof recallNoticeParams>;

export const recallNotice = defineTemplate({
  params: recallNoticeParams,
  render(lang, p) {
    const en = lang === 'en';
    const subject = {
      consumer: en
        ? `[Recall ${p.recallNo}] A product you reported is being recalled: ${p.title}`
        : `【召回通知 ${p.recallNo}】您投诉的产品正在召回：${p.title}`,
      subscriber: en ? `[Recall alert ${p.recallNo}] ${p.title}` : `【召回提醒 ${p.recallNo}】${p.title}`,
      merchant: en ? `[Stop selling ${p.recallNo}] ${p.title}` : `【停止销售通知 ${p.recallNo}】${p.title}`,
    }[p.kind];
    const opening = {
      consumer: en
        ? 'The product you reported to us is being recalled. Please stop using it and follow the steps below.'
        : '您向我局投诉举报的产品正在实施召回，请立即停止使用，并按以下方式处理。',
      subscriber: en ? 'A recall matching your alert has been published.' : '有一项符合您订阅条件的缺陷产品召回已发布。',
      merchant: en
        ? 'A product sold by your business is being recalled. Stop selling it at once, take it off sale and help the producer carry out the recall.'
        : '贵单位销售的以下产品正在实施召回。请立即停止销售、下架封存，并配合生产者实施召回。',
    }[p.kind];
    const e = toEmail(subject, [
      opening,
      en ? `Recall ${p.recallNo} (${recallTypeLabel(p.type, lang)})` : `召回编号：${p.recallNo}（${recallTypeLabel(p.type, lang)}）`,
      en ? `Product: ${p.brand} ${p.productName}` : `产品：${p.brand} ${p.productName}`,
      en ? `Models: ${list(p.models, lang)}` : `型号：${list(p.models, lang)}`,
      p.batches.length > 0 && (en ? `Batches: ${list(p.batches, lang)}` : `批次：${list(p.batches, lang)}`),
      en ? `Producer: ${p.manufacturer}` : `生产者：${p.manufacturer}`,
      en ? `Hazard: ${p.hazard}` : `缺陷及危害：${p.hazard}`,
      en ? `Remedy: ${remedyLabel(p.remedy, lang)}` : `召回措施：${remedyLabel(p.remedy, lang)}`,
      en ? `What to do: ${p.remedyInstructions}` : `消费者处理方式：${p.remedyInstructions}`,
      en ? `Contact: ${p.consumerContact}` : `联系方式：${p.consumerContact}`,
      en ? `Details: ${p.recallUrl}` : `详情：${p.recallUrl}`,
      p.unsubscribe && (en ? `Stop these alerts: ${p.unsubscribe.url}` : `退订召回提醒：${p.unsubscribe.url}`),
    ]);
    return p.unsubscribe ? { ...e, headers: listUnsubscribeHeaders(p.unsubscribe) } : e;
  },
});

export const alertConfirmation = defineTemplate({
  params: z.object({
    confirmUrl: z.string(),
    expiresInHours: z.number(),
    categories: z.array(z.enum(itemCategories)),
    brands: z.array(z.string()),
    models: z.array(z.string()),
  }),
  render(lang, p) {
    const en = lang === 'en';
    const any = en ? 'any' : '不限';
    const filters = [
      p.brands.length > 0 ? list(p.brands, lang) : any,
      p.models.length > 0 ? list(p.models, lang) : any,
      p.categories.length > 0
        ? list(
            p.categories.map((c) => productCategoryLabel(c, lang)),
            lang,
          )
        : any,
    ];
    return toEmail(en ? 'Confirm your recall alerts' : '请确认订阅缺陷产品召回提醒', [
      en
        ? 'Someone (we hope you) asked to receive recall alerts at this address. Open the link to confirm:'
        : '有人（希望是您本人）请求向此邮箱发送缺陷产品召回提醒。请打开以下链接确认：',
      p.confirmUrl,
      en
        ? `Brands: ${filters[0]}; models: ${filters[1]}; categories: ${filters[2]}`
        : `品牌：${filters[0]}；型号：${filters[1]}；类别：${filters[2]}`,
      en
        ? `The link expires in ${p.expiresInHours} hours. If you did not ask for this, ignore this email and nothing will be sent.`
        : `链接 ${p.expiresInHours} 小时内有效。如非本人操作，请忽略本邮件，我们不会再向您发送提醒。`,
    ]);
  },
});

const injuryWords: Record<Language, Record<(typeof injuryLevels)[number], string>> = {
  'zh-CN': { none: '无', minor: '轻微伤害', serious: '严重伤害', fatal: '死亡' },
  en: { none: 'none', minor: 'minor', serious: 'serious', fatal: 'fatal' },
};

export const defectSignal = defineTemplate({
  params: z.object({
    signalId: z.number(),
    subjectKind: z.enum(signalSubjects),
    subjectLabel: z.string(),
    itemCount: z.number(),
    previouslyNotified: z.number(),
    hazards: z.array(z.string()),
    worstInjury: z.enum(injuryLevels).nullable(),
    jurisdictions: z.array(z.string()),
    firstOn: z.string(),
    lastOn: z.string(),
  }),
  render(lang, p) {
    const en = lang === 'en';
    const what = en ? (p.subjectKind === 'product' ? 'product' : 'manufacturer') : p.subjectKind === 'product' ? '产品' : '生产者';
    const grown = p.previouslyNotified > 0;
    return toEmail(
      en
        ? `${grown ? 'Defect signal grew' : 'New defect signal'} #${p.signalId}: ${p.subjectLabel} (${p.itemCount} complaints)`
        : `缺陷线索${grown ? '增长' : '提示'} #${p.signalId}：${p.subjectLabel}（${p.itemCount} 件投诉举报）`,
      [
        en
          ? `${p.itemCount} complaints with a hazard or an injury name the ${what} ${p.subjectLabel} between ${p.firstOn} and ${p.lastOn}${grown ? ` (${p.previouslyNotified} when you last heard)` : ''}.`
          : `${p.firstOn} 至 ${p.lastOn}，共有 ${p.itemCount} 件涉及危害或伤害的投诉举报指向${what}“${p.subjectLabel}”${grown ? `（上次通知时为 ${p.previouslyNotified} 件）` : ''}。`,
        p.hazards.length > 0 && (en ? `Hazards: ${list(p.hazards, lang)}` : `危害：${list(p.hazards, lang)}`),
        p.worstInjury && (en ? `Worst injury: ${injuryWords.en[p.worstInjury]}` : `最严重伤害：${injuryWords['zh-CN'][p.worstInjury]}`),
        en ? `Jurisdictions: ${list(p.jurisdictions, lang)}` : `涉及辖区：${list(p.jurisdictions, lang)}`,
        en ? 'Please review it: investigate, dismiss, or start a recall.' : '请及时研判：立案调查、排除，或启动召回。',
      ],
    );
  },
});

const reportNames: Record<Language, Record<(typeof recallReports)[number], string>> = {
  'zh-CN': { progress_report: '召回阶段性进展报告', summary: '召回总结报告' },
  en: { progress_report: 'progress report', summary: 'summary report' },
};

export const recallReportOverdue = defineTemplate({
  params: z.object({ recallNo: z.string(), title: z.string(), report: z.enum(recallReports), dueOn: z.string() }),
  render(lang, p) {
    const name = reportNames[lang][p.report];
    return lang === 'en'
      ? toEmail(`Overdue: ${name} of recall ${p.recallNo}`, [
          `The producer's ${name} of recall ${p.recallNo} (${p.title}) was due on ${p.dueOn} and has not been recorded.`,
        ])
      : toEmail(`超期督办：召回 ${p.recallNo} 的${name}`, [`召回 ${p.recallNo}（${p.title}）的${name}应于 ${p.dueOn} 前提交，至今未报。`]);
  },
});
