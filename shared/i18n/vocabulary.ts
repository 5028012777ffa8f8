/** The languages of the product: zh-CN is the default everywhere, en the alternative. */
export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'zh-CN';
