import type { Language } from './vocabulary.js';

/**
 * Messages are written in English where they arise (domain errors, schema refinements) and translated on the way
 * out, by the one catalogue of English templates → zh-CN. A template's {placeholders} match any text and carry it
 * over, so "cannot move from accepted to closed" finds "cannot move from {from} to {to}".
 */
export type MessageCatalogue = Readonly<Record<string, string>>;

interface Compiled {
  pattern: RegExp;
  names: string[];
  target: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileCatalogue(catalogue: MessageCatalogue) {
  const exact = new Map<string, string>();
  const templates: Compiled[] = [];
  for (const [source, target] of Object.entries(catalogue)) {
    if (!source.includes('{')) {
      exact.set(source, target);
      continue;
    }
    const names: string[] = [];
    const pattern = new RegExp(
      `^${source
        .split(/(\{[a-zA-Z]+\})/)
        .map((part) => {
          const name = /^\{([a-zA-Z]+)\}$/.exec(part)?.[1];
          if (!name) return escape(part);
          names.push(name);
          return '(.+?)';
        })
        .join('')}$`,
    );
    templates.push({ pattern, names, target });
  }
  return (message: string, lang: Language): string => {
    if (lang === 'en') return message;
    const direct = exact.get(message);
    if (direct !== undefined) return direct;
    for (const t of templates) {
      const m = t.pattern.exec(message);
      if (!m) continue;
      return t.target.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) => {
        const i = t.names.indexOf(name);
        return i >= 0 ? (m[i + 1] ?? whole) : whole;
      });
    }
    return message;
  };
}
