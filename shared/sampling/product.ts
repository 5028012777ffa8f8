import { normalizeMerchantName } from '../complaints/index.js';

/**
 * The identity of a product for the 6-month repeat rule: brand, name and model, each normalised like merchant names
 * (width, case, spaces and punctuation collapsed), so "乐童 益智积木 LT-100" and "乐童益智积木lt100" are one product.
 */
export function productKey(p: { productName: string; brand?: string | null | undefined; model?: string | null | undefined }): string {
  return [p.brand ?? '', p.productName, p.model ?? ''].map(normalizeMerchantName).join('|');
}
