import type { MessageCatalogue } from '../translate.js';

/** 你点我检 sampling: the zh-CN line of every sampling error message (campaigns, nominations, voting, tasks). */
export const samplingErrorMessagesZh: MessageCatalogue = {};
