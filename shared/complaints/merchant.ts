import { checkUscc } from '../identifiers/index.js';
import { matchKey } from '../text/index.js';

/** Collapses width, case, spaces and punctuation so "张三 水果店" and "张三水果店" are one merchant. */
export const normalizeMerchantName = (name: string): string => matchKey(name);

/** The identity used for repeat counts and cases: uscc:<USCC>, else name:<normalised name>|<district code>. */
export function merchantKey(m: { name: string; uscc?: string | undefined; districtCode?: string | undefined }): string {
  const uscc = m.uscc ? checkUscc(m.uscc) : undefined;
  if (uscc?.valid) return `uscc:${uscc.code}`;
  return `name:${normalizeMerchantName(m.name)}|${m.districtCode ?? ''}`;
}
