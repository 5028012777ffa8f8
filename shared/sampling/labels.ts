import { labelOf, type LabelCatalogue, type Language } from '../i18n/index.js';
import type { CampaignPhase, FinalBasis, NominationStatus, ObjectionParty, TaskStatus, TestVerdict } from './vocabulary.js';

/** What the public and staff read for each code, in zh-CN and en. */

export const phaseLabels: LabelCatalogue<CampaignPhase> = {
  draft: { 'zh-CN': '草稿', en: 'Draft' },
  nominating: { 'zh-CN': '征集中', en: 'Taking nominations' },
  voting: { 'zh-CN': '投票中', en: 'Voting' },
  selecting: { 'zh-CN': '确定抽检对象中', en: 'Selecting' },
  sampling: { 'zh-CN': '抽检中', en: 'Sampling' },
  published: { 'zh-CN': '结果已公布', en: 'Results published' },
  closed: { 'zh-CN': '已结束', en: 'Closed' },
};

export const nominationStatusLabels: LabelCatalogue<NominationStatus> = {
  pending: { 'zh-CN': '待审核', en: 'Awaiting moderation' },
  approved: { 'zh-CN': '已通过', en: 'Approved' },
  rejected: { 'zh-CN': '未通过', en: 'Rejected' },
  merged: { 'zh-CN': '已合并', en: 'Merged' },
};

export const taskStatusLabels: LabelCatalogue<TaskStatus> = {
  awaiting_collection: { 'zh-CN': '待抽样', en: 'Awaiting collection' },
  collected: { 'zh-CN': '检验中', en: 'At the lab' },
  notified: { 'zh-CN': '结果已告知，异议期内', en: 'Result notified, objection window' },
  retest_pending: { 'zh-CN': '复检中', en: 'Re-test pending' },
  final: { 'zh-CN': '结果已确定', en: 'Final' },
};

export const verdictLabels: LabelCatalogue<TestVerdict> = {
  pass: { 'zh-CN': '合格', en: 'Pass' },
  fail: { 'zh-CN': '不合格', en: 'Fail' },
};

export const finalBasisLabels: LabelCatalogue<FinalBasis> = {
  window_passed: { 'zh-CN': '异议期满未提出异议', en: 'no objection within the window' },
  waived: { 'zh-CN': '经营者书面放弃异议', en: 'objection waived in writing' },
  retested: { 'zh-CN': '复检结论', en: 'decided by the re-test' },
};

export const objectionPartyLabels: LabelCatalogue<ObjectionParty> = {
  merchant: { 'zh-CN': '被抽样经营者', en: 'the sampled merchant' },
  manufacturer: { 'zh-CN': '标称生产者', en: 'the manufacturer' },
};

export const phaseLabel = (code: string, lang: Language) => labelOf(phaseLabels, code, lang);
export const taskStatusLabel = (code: string, lang: Language) => labelOf(taskStatusLabels, code, lang);
export const verdictLabel = (code: string, lang: Language) => labelOf(verdictLabels, code, lang);
