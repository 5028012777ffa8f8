import { z } from 'zod';
import { compileCatalogue } from './translate.js';
import { errorMessagesZh } from './error-messages.js';
import { defaultLanguage, languages, type Language } from './vocabulary.js';

export { defaultLanguage, languages, type Language };
export { compileCatalogue, type MessageCatalogue } from './translate.js';
export const languageSchema = z.enum(languages);

/** A label in every language; catalogues are typed with it so a missing translation fails the type check. */
export type Localized = Record<Language, string>;

/** Labels for every code of an `as const` list, in every language. */
export type LabelCatalogue<Code extends string> = Record<Code, Localized>;

/** Looks a code up in a catalogue; an unknown code is shown as itself rather than failing a page or an email. */
export function labelOf<Code extends string>(catalogue: LabelCatalogue<Code>, code: string, lang: Language): string {
  return Object.hasOwn(catalogue, code) ? catalogue[code as Code][lang] : code;
}

/** An error message (domain error or field issue) in the reader's language. */
export const translateError = compileCatalogue(errorMessagesZh);
export { errorMessagesZh };

/** Picks zh-CN or en from an Accept-Language header; zh-CN is the default. */
export function negotiateLanguage(acceptLanguage: string | undefined | null): Language {
  if (!acceptLanguage) return defaultLanguage;
  const prefs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of prefs) {
    if (p.tag.startsWith('zh')) return 'zh-CN';
    if (p.tag.startsWith('en')) return 'en';
  }
  return defaultLanguage;
}
