import { z } from 'zod';
import type { ServiceContext } from '../../shared/runtime/index.js';
import {
  createStaffSchema,
  loginInputSchema,
  loginResponseSchema,
  resetPasswordSchema,
  staffAccountSchema,
  staffEventSchema,
  staffUserSchema,
  updateStaffSchema,
} from '../../shared/staff/index.js';
import { idSchema } from '../../shared/validation/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse, perClientRateLimit } from '../http/index.js';
import { createStaff, deactivateStaff, listStaff, listStaffEvents, reactivateStaff, resetStaffPassword, updateStaff } from './accounts.js';
import { currentStaff, requireStaff } from './middleware.js';
import { login, logout } from './sessions.js';

const idParam = z.object({ id: idSchema });
const admin = { tags: ['admin'], access: 'staff' as const };

export const loginRoute = defineRoute({
  operationId: 'login',
  method: 'post',
  path: '/auth/login',
  tags: ['staff'],
  summary: 'Sign in with email and password',
  access: 'public',
  request: jsonBody(loginInputSchema),
  responses: { 200: jsonResponse(loginResponseSchema, 'Signed in') },
  errors: ['unauthorized', 'rate_limited'],
});

export const logoutRoute = defineRoute({
  operationId: 'logout',
  method: 'post',
  path: '/auth/logout',
  tags: ['staff'],
  summary: 'End this session',
  access: 'staff',
  responses: { 204: { description: 'Signed out' } },
});

export const meRoute = defineRoute({
  operationId: 'getMe',
  method: 'get',
  path: '/auth/me',
  tags: ['staff'],
  summary: 'The signed-in staff member',
  access: 'staff',
  responses: { 200: jsonResponse(staffUserSchema, 'You') },
});

export const listStaffRoute = defineRoute({
  ...admin,
  operationId: 'listStaff',
  method: 'get',
  path: '/staff',
  summary: 'Staff accounts in your jurisdiction',
  responses: { 200: jsonResponse(z.array(staffAccountSchema), 'Accounts') },
});

export const createStaffRoute = defineRoute({
  ...admin,
  operationId: 'createStaff',
  method: 'post',
  path: '/staff',
  summary: 'Create a staff account',
  request: jsonBody(createStaffSchema),
  responses: { 201: jsonResponse(staffAccountSchema, 'Created') },
  errors: ['conflict', 'not_found'],
});

export const updateStaffRoute = defineRoute({
  ...admin,
  operationId: 'updateStaff',
  method: 'post',
  path: '/staff/{id}',
  summary: 'Change name, role, jurisdiction or specialties (a new role or jurisdiction ends the sessions)',
  request: { params: idParam, ...jsonBody(updateStaffSchema) },
  responses: { 200: jsonResponse(staffAccountSchema, 'Updated') },
  errors: ['conflict', 'not_found'],
});

export const deactivateStaffRoute = defineRoute({
  ...admin,
  operationId: 'deactivateStaff',
  method: 'post',
  path: '/staff/{id}/deactivate',
  summary: 'Deactivate an account and end its sessions',
  request: { params: idParam },
  responses: { 200: jsonResponse(staffAccountSchema, 'Deactivated') },
  errors: ['conflict', 'not_found'],
});

export const reactivateStaffRoute = defineRoute({
  ...admin,
  operationId: 'reactivateStaff',
  method: 'post',
  path: '/staff/{id}/reactivate',
  summary: 'Reactivate an account',
  request: { params: idParam },
  responses: { 200: jsonResponse(staffAccountSchema, 'Reactivated') },
  errors: ['not_found'],
});

export const resetStaffPasswordRoute = defineRoute({
  ...admin,
  operationId: 'resetStaffPassword',
  method: 'post',
  path: '/staff/{id}/reset-password',
  summary: 'Set a new password, clear a lockout and end the sessions',
  request: { params: idParam, ...jsonBody(resetPasswordSchema) },
  responses: { 200: jsonResponse(staffAccountSchema, 'Password reset') },
  errors: ['not_found'],
});

export const listStaffEventsRoute = defineRoute({
  ...admin,
  operationId: 'listStaffEvents',
  method: 'get',
  path: '/staff/events',
  summary: 'The staff administration audit trail of your jurisdiction, newest first',
  request: { query: z.object({ staffId: idSchema.optional() }) },
  responses: { 200: jsonResponse(z.array(staffEventSchema), 'Events') },
});

export function staffRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  const adminOnly = requireStaff(ctx, 'admin');
  const anyStaff = requireStaff(ctx);
  const signInLimit = perClientRateLimit(ctx.rateLimits, {
    name: 'login',
    perMinute: ctx.config.RATE_LIMIT_LOGIN_PER_MINUTE,
    trustProxy: ctx.config.TRUST_PROXY,
  });

  app.use('/auth/login', signInLimit);
  app.use('/auth/logout', anyStaff);
  app.use('/auth/me', anyStaff);
  app.use('/staff', adminOnly);
  app.use('/staff/*', adminOnly);

  app.openapi(loginRoute, async (c) => c.json(await login(ctx, c.req.valid('json')), 200));
  app.openapi(logoutRoute, async (c) => {
    await logout(ctx, { staff: currentStaff(c) });
    return c.body(null, 204);
  });
  app.openapi(meRoute, (c) => {
    const { jti: _jti, ...user } = currentStaff(c);
    return c.json(user, 200);
  });
  app.openapi(listStaffRoute, async (c) => c.json(await listStaff(ctx, { admin: currentStaff(c) }), 200));
  app.openapi(listStaffEventsRoute, async (c) =>
    c.json(await listStaffEvents(ctx, { admin: currentStaff(c), staffId: c.req.valid('query').staffId }), 200),
  );
  app.openapi(createStaffRoute, async (c) => c.json(await createStaff(ctx, { account: c.req.valid('json'), admin: currentStaff(c) }), 201));
  app.openapi(updateStaffRoute, async (c) =>
    c.json(await updateStaff(ctx, { by: { id: c.req.valid('param').id }, changes: c.req.valid('json'), admin: currentStaff(c) }), 200),
  );
  app.openapi(deactivateStaffRoute, async (c) =>
    c.json(await deactivateStaff(ctx, { by: { id: c.req.valid('param').id }, admin: currentStaff(c) }), 200),
  );
  app.openapi(reactivateStaffRoute, async (c) =>
    c.json(await reactivateStaff(ctx, { by: { id: c.req.valid('param').id }, admin: currentStaff(c) }), 200),
  );
  app.openapi(resetStaffPasswordRoute, async (c) =>
    c.json(
      await resetStaffPassword(ctx, {
        by: { id: c.req.valid('param').id },
        password: c.req.valid('json').password,
        admin: currentStaff(c),
      }),
      200,
    ),
  );
  return app;
}
