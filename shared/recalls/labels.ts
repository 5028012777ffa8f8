import { labelOf, type LabelCatalogue, type Language } from '../i18n/index.js';
import type { RecallStatus, RecallType, Remedy, SignalStatus } from './vocabulary.js';

/** What consumers, merchants and regulators read for each code, in zh-CN and en. */

export const remedyLabels: LabelCatalogue<Remedy> = {
  repair: { 'zh-CN': '修理', en: 'repair' },
  replace: { 'zh-CN': '更换', en: 'replacement' },
  refund: { 'zh-CN': '退货退款', en: 'refund' },
  warning: { 'zh-CN': '警示说明', en: 'warning and instructions' },
};

export const recallTypeLabels: LabelCatalogue<RecallType> = {
  voluntary: { 'zh-CN': '主动召回', en: 'voluntary recall' },
  ordered: { 'zh-CN': '责令召回', en: 'recall ordered by the regulator' },
};

export const recallStatusLabels: LabelCatalogue<RecallStatus> = {
  draft: { 'zh-CN': '草稿', en: 'Draft' },
  published: { 'zh-CN': '召回中', en: 'Under recall' },
  completed: { 'zh-CN': '召回完成', en: 'Recall completed' },
  closed: { 'zh-CN': '已结束', en: 'Closed' },
};

export const signalStatusLabels: LabelCatalogue<SignalStatus> = {
  open: { 'zh-CN': '待研判', en: 'Open' },
  investigating: { 'zh-CN': '调查中', en: 'Investigating' },
  dismissed: { 'zh-CN': '已排除', en: 'Dismissed' },
  recalled: { 'zh-CN': '已召回', en: 'Recalled' },
};

export const remedyLabel = (code: string, lang: Language) => labelOf(remedyLabels, code, lang);
export const recallTypeLabel = (code: string, lang: Language) => labelOf(recallTypeLabels, code, lang);
export const recallStatusLabel = (code: string, lang: Language) => labelOf(recallStatusLabels, code, lang);
export const signalStatusLabel = (code: string, lang: Language) => labelOf(signalStatusLabels, code, lang);
