import type { Context } from 'hono';
import type { z } from 'zod';
import { errorResponse, fieldIssues } from './errors.js';
import type { AppEnv } from './types.js';

type HookResult = { success: true } | { success: false; error: z.ZodError; target: string };

/** zod-openapi's hook: a failed validation becomes the 400 envelope naming every bad field. */
export function validationHook(result: HookResult, c: Context<AppEnv>) {
  if (result.success) return undefined;
  const prefix = result.target === 'json' || result.target === 'form' ? [] : [result.target];
  return errorResponse(c, 'validation_failed', 'the request is invalid', fieldIssues(result.error, prefix, c.get('language')));
}
