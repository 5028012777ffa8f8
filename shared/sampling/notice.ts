import type { Language } from '../i18n/index.js';
import { verdictLabel } from './labels.js';
import { samplingTimeLimits } from './time-limits.js';
import type { ResultNoticeFacts } from './schemas.js';

/**
 * The result notice (检验结果告知书) to the sampled merchant: one text, sent as an email when the address is known and
 * printed as a letter otherwise, so both say the same thing.
 */

export function resultNotice(lang: Language, f: ResultNoticeFacts): { subject: string; lines: string[] } {
  const product = [f.brand, f.productName, f.model].filter(Boolean).join(' ');
  const verdict = verdictLabel(f.verdict, lang);
  const days = samplingTimeLimits.objectionDays;
  const failed = f.failedItems.map((i) =>
    lang === 'en'
      ? `- ${i.name} (${i.standardClause}): limit ${i.limit}${i.unit ? ` ${i.unit}` : ''}, measured ${i.measured}${i.unit ? ` ${i.unit}` : ''}`
      : `- ${i.name}（${i.standardClause}）：标准要求 ${i.limit}${i.unit}，实测 ${i.measured}${i.unit}`,
  );
  if (lang === 'en') {
    return {
      subject: `Sampling inspection result: ${product} — ${verdict}`,
      lines: [
        `To ${f.merchantName}:`,
        `In the public-nominated sampling campaign “${f.campaignTitle}”, ${f.bureauName} sampled ${product} (sample no. ${f.sampleNo}) at your business on ${f.collectedOn}, buying it as a consumer would. No test fee is charged to you.`,
        `${f.labName} tested it (report ${f.reportNo}). Result: ${verdict}.`,
        ...(failed.length ? ['Items that did not meet the standard:', ...failed] : []),
        `If you disagree with the result you may object in writing and ask for a re-test within ${days} days of receiving this notice${f.objectionWindowEndsOn ? ` (by ${f.objectionWindowEndsOn})` : ''}. The re-test is made on the sealed reserve sample at another laboratory and its result is final. You pay the re-test laboratory; the bureau refunds the fee if the re-test result differs from this one.`,
        f.verdict === 'fail'
          ? 'Once the result is final you must stop selling this product at once; the bureau will order rectification within 60 days and re-check within 75 days.'
          : 'Without an objection the result becomes final when the window has passed and is then published.',
        `${f.bureauName}, ${f.issuedOn}`,
      ],
    };
  }
  return {
    subject: `产品质量监督抽查检验结果告知：${product}（${verdict}）`,
    lines: [
      `${f.merchantName}：`,
      `在“你点我检”抽检活动“${f.campaignTitle}”中，${f.bureauName}于 ${f.collectedOn} 以消费者身份在你处购买抽取了 ${product}（样品编号 ${f.sampleNo}），不向你收取检验费用。`,
      `经 ${f.labName} 检验（报告编号 ${f.reportNo}），检验结论为：${verdict}。`,
      ...(failed.length ? ['不合格项目：', ...failed] : []),
      `你如对检验结果有异议，可以自收到本告知之日起 ${days} 日内${f.objectionWindowEndsOn ? `（即 ${f.objectionWindowEndsOn} 前）` : ''}书面提出异议并申请复检。复检使用封存的备用样品，由另一检验机构进行，复检结论为最终结论。复检费用由申请人先行支付，复检结论与原结论不一致的，由我局承担。`,
      f.verdict === 'fail'
        ? '检验结果确定后，你应当立即停止销售该产品；我局将责令你在 60 日内整改，并在 75 日内进行复查。'
        : '异议期满未提出异议的，检验结果即为最终结论并向社会公布。',
      `${f.bureauName}  ${f.issuedOn}`,
    ],
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The notice as a printable page (A4, the bureau's seal goes under the date). */
export function resultNoticeLetter(lang: Language, f: ResultNoticeFacts): string {
  const { subject, lines } = resultNotice(lang, f);
  return [
    '<!doctype html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title>`,
    '<style>@page{size:A4;margin:25mm}body{font:12pt/1.8 serif;max-width:40em;margin:auto}h1{font-size:16pt;text-align:center}</style>',
    `</head><body><h1>${escapeHtml(subject)}</h1>`,
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    '</body></html>',
  ].join('\n');
}
