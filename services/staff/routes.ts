import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ServiceContext } from '../../shared/context.js';
import { errorEnvelopeSchema } from '../../shared/schemas/errors.js';
import {
  createStaffSchema,
  loginInputSchema,
  loginResponseSchema,
  resetPasswordSchema,
  staffListItemSchema,
  staffUserSchema,
} from '../../shared/schemas/staff.js';
import { bearerSecurity, currentStaff, requireStaff } from '../http/auth.js';
import { perClientRateLimit } from '../http/rate-limit.js';
import type { AppEnv } from '../http/types.js';
import { validationHook } from '../http/validation.js';
import { createStaff, deactivateStaff, listStaff, resetStaffPassword } from './accounts.js';
import { login, logout } from './auth.js';

export const errorDoc = (description: string) => ({ description, content: { 'application/json': { schema: errorEnvelopeSchema } } });
export const staffErrors = {
  400: errorDoc('Invalid request; details name every bad field'),
  401: errorDoc('Not signed in'),
  403: errorDoc('Role not allowed'),
  404: errorDoc('Not found, or outside your jurisdiction'),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const idParam = z.object({ id: z.coerce.number().int().positive() });

export function staffRoutes(ctx: ServiceContext) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const admin = requireStaff(ctx, 'admin');
  const anyStaff = requireStaff(ctx);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['staff'],
      summary: 'Sign in with email and password',
      middleware: [perClientRateLimit({ db: ctx.db, name: 'login', perMinute: ctx.config.RATE_LIMIT_LOGIN_PER_MINUTE, trustProxy: ctx.config.TRUST_PROXY })],
      request: { body: { required: true, content: { 'application/json': { schema: loginInputSchema } } } },
      responses: { 200: json(loginResponseSchema, 'Signed in'), 400: staffErrors[400], 401: errorDoc('Wrong email or password'), 429: errorDoc('Too many attempts') },
    }),
    async (c) => c.json(await login({ ctx, ...c.req.valid('json') }), 200),
  );

  app.openapi(
    createRoute({ method: 'post', path: '/auth/logout', tags: ['staff'], summary: 'End this session', security: bearerSecurity, middleware: [anyStaff], responses: { 204: { description: 'Signed out' }, 401: staffErrors[401] } }),
    async (c) => {
      await logout(ctx, currentStaff(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/auth/me', tags: ['staff'], summary: 'The signed-in staff member', security: bearerSecurity, middleware: [anyStaff], responses: { 200: json(staffUserSchema, 'You'), 401: staffErrors[401] } }),
    (c) => {
      const { jti: _jti, ...user } = currentStaff(c);
      return c.json(user, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/staff', tags: ['admin'], summary: 'Staff accounts in your jurisdiction', security: bearerSecurity, middleware: [admin], responses: { 200: json(z.array(staffListItemSchema), 'Accounts'), ...staffErrors } }),
    async (c) => c.json(await listStaff(ctx, currentStaff(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/staff',
      tags: ['admin'],
      summary: 'Create a staff account',
      security: bearerSecurity,
      middleware: [admin],
      request: { body: { required: true, content: { 'application/json': { schema: createStaffSchema } } } },
      responses: { 201: json(staffListItemSchema, 'Created'), 409: errorDoc('Email already used'), ...staffErrors },
    }),
    async (c) => c.json(await createStaff(ctx.db, c.req.valid('json'), currentStaff(c)), 201),
  );

  app.openapi(
    createRoute({ method: 'post', path: '/staff/{id}/deactivate', tags: ['admin'], summary: 'Deactivate an account and end its sessions', security: bearerSecurity, middleware: [admin], request: { params: idParam }, responses: { 200: json(staffListItemSchema, 'Deactivated'), 409: errorDoc('Your own account'), ...staffErrors } }),
    async (c) => c.json(await deactivateStaff(ctx.db, { id: c.req.valid('param').id }, currentStaff(c)), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/staff/{id}/reset-password',
      tags: ['admin'],
      summary: 'Set a new password, clear a lockout and end the sessions',
      security: bearerSecurity,
      middleware: [admin],
      request: { params: idParam, body: { required: true, content: { 'application/json': { schema: resetPasswordSchema } } } },
      responses: { 200: json(staffListItemSchema, 'Password reset'), ...staffErrors },
    }),
    async (c) => c.json(await resetStaffPassword(ctx.db, { id: c.req.valid('param').id }, c.req.valid('json').password, currentStaff(c)), 200),
  );
  return app;
}
