import { z } from 'zod';
import { text } from '../validation/index.js';

export const districtSearchQuerySchema = z.object({
  q: text(40).meta({ description: 'a 6-digit code, or part of a name (红旗区, 新乡红旗)' }),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const districtSchema = z
  .object({ code: z.string(), name: z.string(), fullName: z.string(), bureauName: z.string() })
  .meta({ id: 'District' });
export type District = z.infer<typeof districtSchema>;
