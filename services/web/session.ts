import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { StaffRole } from '../../shared/access/index.js';
import { DomainError } from '../../shared/errors/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import type { Principal } from '../../shared/staff/index.js';
import { authenticate } from '../staff/index.js';
import { cookieOptions } from './security.js';
import type { WebEnv } from './types.js';

/**
 * Staff pages sign in with the same tokens as the API, kept in an HttpOnly, SameSite=Lax cookie; every request
 * checks the token and its staff_sessions row, so logout, deactivation and password resets end a page session too.
 */
const SESSION_COOKIE = 'cpt_session';

export function startStaffSession(c: Context, ctx: ServiceContext, token: string) {
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c, ctx.config, ctx.config.TOKEN_TTL_MINUTES * 60));
}

export function endStaffSession(c: Context, ctx: ServiceContext) {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c, ctx.config));
}

export const sessionToken = (c: Context) => getCookie(c, SESSION_COOKIE);

/** The signed-in staff member of a page request, when the cookie holds a live session. */
export async function currentWebStaff(c: Context, ctx: ServiceContext): Promise<Principal | undefined> {
  const token = sessionToken(c);
  if (!token) return undefined;
  try {
    return await authenticate(ctx, { token });
  } catch (err) {
    if (err instanceof DomainError && err.code === 'unauthorized') return undefined;
    throw err;
  }
}

/** Loads the session if there is one (for the header's staff links), without requiring it. */
export function loadStaff(ctx: ServiceContext): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const staff = await currentWebStaff(c, ctx);
    if (staff) c.set('staff', staff);
    await next();
  };
}

/** Staff pages: without a session, to the sign-in page and back; a role not listed gets a 403 page. */
export function requireStaffPage(...roles: StaffRole[]): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const staff = c.get('staff');
    if (!staff) {
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : c.req.path;
      return c.redirect(`/staff/login?next=${encodeURIComponent(back)}`, 303);
    }
    if (roles.length > 0 && !roles.includes(staff.role)) throw new DomainError('forbidden', 'your role may not do this');
    await next();
  };
}

export function pageStaff(c: Context<WebEnv>): Principal {
  const staff = c.get('staff');
  if (!staff) throw new DomainError('unauthorized', 'sign in first');
  return staff;
}
