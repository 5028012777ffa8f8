import type { Context, MiddlewareHandler } from 'hono';
import type { StaffRole } from '../../shared/access/index.js';
import { DomainError } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { errorResponse, type AppEnv } from '../http/index.js';
import { authenticate } from './sessions.js';

/** The bearer token of a request, if any. */
export const bearerToken = (c: Context) => /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];

/** Bearer token → the signed-in staff member; 401 without a live session, 403 for a role not listed. */
export function requireStaff(ctx: ServiceContext, ...roles: StaffRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) return errorResponse(c, 'unauthorized', 'sign in first', undefined, { 'WWW-Authenticate': 'Bearer' });
    const principal = await authenticate(ctx, { token });
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
