import { z } from 'zod';
import { errorCodes } from './vocabulary.js';

export const fieldIssueSchema = z.object({ field: z.string(), message: z.string(), code: z.string().optional() });

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;
