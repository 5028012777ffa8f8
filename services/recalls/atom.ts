import { productCategoryLabel } from '../../shared/complaints/index.js';
import { remedyLabel } from '../../shared/recalls/index.js';
import type { RecallRow } from './recall-store.js';

/** The recalls feed as Atom 1.0 (RFC 4287): what a feed reader or another regulator's system subscribes to. */

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** XML 1.0 cannot carry most C0 control characters even escaped; stored text may hold them (tabs and newlines are fine). */
// eslint-disable-next-line no-control-regex
const xmlText = (s: string) => escapeXml(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ''));

const el = (name: string, value: string, attrs = '') => `<${name}${attrs}>${xmlText(value)}</${name}>`;

export function recallFeedXml(opts: { baseUrl: string; feedUrl: string; recalls: readonly RecallRow[]; now: Date }): string {
  const { baseUrl, recalls } = opts;
  // A feed's updated is its newest entry's, so an unchanged feed stays byte-identical (and cacheable).
  const updated = recalls.reduce<Date | undefined>((a, r) => (!a || r.updated_at > a ? r.updated_at : a), undefined) ?? opts.now;
  const entries = recalls.map((r) => {
    const page = `${baseUrl}/recalls/${r.recall_no}`;
    const summary = `${r.brand} ${r.product_name}（${r.models.join('、')}）：${r.hazard}`;
    const content = [
      `召回编号 Recall no.: ${r.recall_no}`,
      `生产者 Manufacturer: ${r.manufacturer_name}${r.manufacturer_uscc ? ` (${r.manufacturer_uscc})` : ''}`,
      `产品 Product: ${r.brand} ${r.product_name}`,
      `型号 Models: ${r.models.join(', ')}`,
      ...(r.batches.length ? [`批次 Batches: ${r.batches.join(', ')}`] : []),
      `数量 Units: ${r.units_affected}`,
      `缺陷 Hazard: ${r.hazard}`,
      `措施 Remedy: ${remedyLabel(r.remedy, 'zh-CN')} / ${remedyLabel(r.remedy, 'en')}`,
      `消费者处理 What to do: ${r.remedy_instructions}`,
      `联系方式 Contact: ${r.consumer_contact}`,
    ].join('\n');
    return [
      '<entry>',
      el('id', page),
      el('title', `${r.recall_no} ${r.title}`),
      `<link rel="alternate" type="text/html" href="${escapeXml(page)}"/>`,
      `<link rel="related" type="application/json" href="${escapeXml(`${baseUrl}/api/v1/recalls/${r.recall_no}`)}"/>`,
      el('published', r.published_at!.toISOString()),
      el('updated', r.updated_at.toISOString()),
      `<category term="${escapeXml(r.category)}" label="${escapeXml(productCategoryLabel(r.category, 'zh-CN'))}"/>`,
      `<author>${el('name', r.manufacturer_name)}</author>`,
      el('summary', summary),
      el('content', content, ' type="text"'),
      '</entry>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
    el('id', opts.feedUrl),
    el('title', '缺陷产品召回 Product recalls'),
    el('subtitle', '市场监督管理局发布的缺陷消费品召回信息 Consumer product recalls published by the market supervision bureau'),
    `<link rel="self" type="application/atom+xml" href="${escapeXml(opts.feedUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(`${baseUrl}/recalls`)}"/>`,
    el('updated', updated.toISOString()),
    `<author>${el('name', '市场监督管理局 Market Supervision Bureau')}</author>`,
    el('generator', 'consumer-protection-tracker'),
    ...entries,
    '</feed>',
  ].join('\n');
}
