import type { LabelCatalogue } from '../i18n/index.js';
import type { CaseQueue, InspectionType } from './vocabulary.js';

export const caseQueueLabels: LabelCatalogue<CaseQueue> = {
  metrology: { 'zh-CN': '计量（秤）', en: 'Metrology (scales)' },
  product_quality: { 'zh-CN': '产品质量', en: 'Product quality' },
  child_safety: { 'zh-CN': '儿童用品安全', en: 'Child safety' },
  intake: { 'zh-CN': '待分派', en: 'Intake (to route)' },
};

export const inspectionTypeLabels: LabelCatalogue<InspectionType> = {
  scale_verification: { 'zh-CN': '计量器具检定', en: 'Scale verification' },
  ccc_check: { 'zh-CN': 'CCC 认证检查', en: 'CCC check' },
  product_hazard_check: { 'zh-CN': '产品危害检查', en: 'Product hazard check' },
};
