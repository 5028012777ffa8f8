import type { Context, MiddlewareHandler } from 'hono';
import type { ServiceContext } from '../../shared/context.js';
import type { StaffRole } from '../../shared/db/schema.js';
import { DomainError } from '../../shared/errors.js';
import { authenticate, type Principal } from '../staff/auth.js';
import { errorResponse } from './errors.js';
import type { AppEnv } from './types.js';

/** Bearer token → the signed-in staff member; 401 without a live session, 403 for a role not listed. */
export function requireStaff(ctx: ServiceContext, ...roles: StaffRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return errorResponse(c, 'unauthorized', 'sign in first', undefined, { 'WWW-Authenticate': 'Bearer' });
    const principal = await authenticate(ctx, token);
    if (roles.length > 0 && !roles.includes(principal.role)) return errorResponse(c, 'forbidden', 'your role may not do this');
    c.set('staff', principal);
    await next();
  };
}

export function currentStaff(c: Context<AppEnv>): Principal {
  const staff = c.get('staff');
  if (!staff) throw new DomainError('unauthorized', 'sign in first');
  return staff;
}

export const bearerSecurity = [{ bearerAuth: [] }];
