import type { MessageCatalogue } from '../translate.js';

/** Defect signals, recalls and alert subscriptions: the zh-CN line of every error message. */
export const recallErrorMessagesZh: MessageCatalogue = {};
