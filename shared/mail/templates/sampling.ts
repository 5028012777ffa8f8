import { z } from 'zod';
import { resultNotice, resultNoticeFactsSchema, testVerdicts, verdictLabel, voterLimits } from '../../sampling/index.js';
import { defineTemplate, toEmail } from '../render.js';

/** 你点我检 emails: the voter's code, the result notice to the sampled merchant, the published results to subscribers. */

export const samplingVoterCode = defineTemplate({
  params: z.object({
    campaignTitle: z.string(),
    /** The code sealed with the server key until sent, then erased. */
    accessCodeSealed: z.string().nullable().optional(),
  }),
  eraseRecipientWhenSent: true,
  render(lang, p, { accessCode }) {
    const minutes = voterLimits.codeTtlMinutes;
    return lang === 'en'
      ? toEmail(`Your voting code: ${accessCode ?? ''}`, [
          `Your code to vote in “${p.campaignTitle}” is ${accessCode ?? ''}.`,
          `It works for ${minutes} minutes. If you did not ask for it, ignore this email.`,
        ])
      : toEmail(`投票验证码：${accessCode ?? ''}`, [
          `您参与“${p.campaignTitle}”投票的验证码为 ${accessCode ?? ''}，${minutes} 分钟内有效。`,
          '如非本人操作，请忽略本邮件。',
        ]);
  },
});

export const samplingResultNotice = defineTemplate({
  params: resultNoticeFactsSchema,
  render(lang, p) {
    const { subject, lines } = resultNotice(lang, p);
    return toEmail(subject, lines);
  },
});

export const samplingResultsPublished = defineTemplate({
  params: z.object({
    campaignTitle: z.string(),
    results: z.array(
      z.object({
        productName: z.string(),
        brand: z.string().nullable(),
        model: z.string().nullable(),
        merchantName: z.string(),
        verdict: z.enum(testVerdicts),
      }),
    ),
    resultsUrl: z.string(),
    unsubscribeUrl: z.string(),
  }),
  render(lang, p) {
    const zh = lang === 'zh-CN';
    const failed = p.results.filter((r) => r.verdict === 'fail').length;
    const lines = p.results.map(
      (r) => `- ${[r.brand, r.productName, r.model].filter(Boolean).join(' ')}（${r.merchantName}）：${verdictLabel(r.verdict, lang)}`,
    );
    const email = zh
      ? toEmail(`“${p.campaignTitle}”抽检结果已公布`, [
          `您关注的“${p.campaignTitle}”抽检结果已公布：共 ${p.results.length} 批次，不合格 ${failed} 批次。`,
          ...lines,
          failed > 0 && '不合格产品的经营者已被责令停止销售并限期整改，我局将进行复查。',
          `详情：${p.resultsUrl}`,
          `不再接收此类邮件：${p.unsubscribeUrl}`,
        ])
      : toEmail(`Results published: ${p.campaignTitle}`, [
          `The results of “${p.campaignTitle}” are published: ${p.results.length} samples, ${failed} failed.`,
          ...lines.map((l) => l.replace('（', ' (').replace('）：', '): ')),
          failed > 0 && 'The merchants of failed products have been told to stop selling them and to rectify; the bureau will re-check.',
          `Details: ${p.resultsUrl}`,
          `Stop these emails: ${p.unsubscribeUrl}`,
        ]);
    // RFC 8058 one-click unsubscribe: a POST to the URL unsubscribes at once, without a login or a page.
    return { ...email, headers: { 'List-Unsubscribe': `<${p.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } };
  },
});
