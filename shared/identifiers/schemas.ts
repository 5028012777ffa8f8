import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { storableString } from '../validation/index.js';
import { checkCccCertificateNo, checkUscc } from './identifiers.js';

export const usccSchema = z
  .string()
  .max(30)
  .superRefine((v, ctx) => {
    const r = checkUscc(v);
    if (!r.valid) {
      ctx.addIssue({
        code: 'custom',
        message:
          r.reason === 'format'
            ? 'not a unified social credit code (18 characters, GB 32100)'
            : 'unified social credit code check character does not match (GB 32100)',
      });
    }
  });

export const cccCertificateNoSchema = z
  .string()
  .max(30)
  .superRefine((v, ctx) => {
    if (!checkCccCertificateNo(v, new Date().getUTCFullYear()).valid) {
      ctx.addIssue({ code: 'custom', message: 'CCC certificate number must have 16 digits (older certificates: 12)' });
    }
  });

// The number parser skips characters it does not know (NUL among them), so the text is checked as storable first.
export const mobilePhoneSchema = storableString()
  .max(20)
  .refine((v) => parsePhoneNumberFromString(v, 'CN')?.getType() === 'MOBILE', {
    message: 'not a mainland China mobile number',
  });

/** A 6-digit GB/T 2260 division code. */
export const districtCodeSchema = z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code');
