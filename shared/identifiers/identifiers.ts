/**
 * Identifier checks. USCC (统一社会信用代码) per GB 32100-2015. Written here rather than taken from a package:
 * the maintained `stdnum` port rejects every valid code whose check character is '0' (1 in 31 codes).
 */

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17.charAt(i)) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export type UsccCheck = { valid: true; code: string } | { valid: false; reason: 'format' | 'check_character' };

/** Accepts lower case and surrounding spaces; returns the canonical upper-case code. */
export function checkUscc(input: string): UsccCheck {
  const code = input.trim().toUpperCase();
  if (!USCC_PATTERN.test(code)) return { valid: false, reason: 'format' };
  if (usccCheckCharacter(code.slice(0, 17)) !== code.charAt(17)) return { valid: false, reason: 'check_character' };
  return { valid: true, code };
}

export type CccCheck =
  | { valid: true; number: string; legacy: false; firstIssueYear: number; bodyCode: string; productCategory: string }
  | { valid: true; number: string; legacy: true }
  | { valid: false };

/**
 * CCC certificate number: 16 digits (year of first issue 4, certification body 2, product category 4, serial 6).
 * Some older certificates carry 12 digits: accepted, flagged as legacy so intake can warn, never rejected.
 */
export function checkCccCertificateNo(input: string, currentYear: number): CccCheck {
  const number = input.replace(/[\s-]/g, '');
  if (/^\d{12}$/.test(number)) return { valid: true, number, legacy: true };
  if (!/^\d{16}$/.test(number)) return { valid: false };
  const firstIssueYear = Number(number.slice(0, 4));
  // Compulsory certification began in 2002; a certificate cannot be first issued in the future.
  if (firstIssueYear < 2001 || firstIssueYear > currentYear) return { valid: false };
  return {
    valid: true,
    number,
    legacy: false,
    firstIssueYear,
    bodyCode: number.slice(4, 6),
    productCategory: number.slice(6, 10),
  };
}
