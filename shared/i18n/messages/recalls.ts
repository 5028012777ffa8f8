import type { MessageCatalogue } from '../translate.js';

/** Defect signals, recalls and alert subscriptions: the zh-CN line of every error message. */
export const recallErrorMessagesZh: MessageCatalogue = {
  // recall drafts
  'must contain a letter or a digit': '须包含字母或数字',
  'repeats an earlier entry once normalised': '与前面的某项重复（忽略大小写、全半角、空格和连字符）',
  'must not be before productionFrom': '不能早于生产起始日期',
  'no such defect signal in your jurisdiction': '您的辖区内没有这条缺陷线索',
  'the signal is {status}': '该缺陷线索状态为 {status}，不能据此发起召回',
  'only a draft can be edited': '只有草稿可以修改',
  'recall not found': '未找到该召回',
  // recall lifecycle
  'the recall is {status}; it must be a draft': '该召回状态为 {status}，须为草稿',
  'the recall is {status}; it must be published (a completed recall ends with its summary)':
    '该召回状态为 {status}，须为召回中（已完成的召回以总结报告结束）',
  'the recall is {status}; it must be published': '该召回状态为 {status}，须为召回中',
  'the recall is {status}; it must be completed': '该召回状态为 {status}，须为召回完成',
  'more than the {n} units affected': '超过了涉及的 {n} 件产品数量',
  // defect signals
  'signal not found': '未找到该缺陷线索',
  'cannot move a {from} signal to {to}': '不能将状态为 {from} 的缺陷线索改为 {to}',
  // alert subscriptions
  'subscription not found': '未找到该订阅，链接可能无效',
  'this confirmation link has expired; please subscribe again': '确认链接已过期，请重新订阅',
};
