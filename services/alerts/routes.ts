import { z } from 'zod';
import {
  alertTokenInputSchema,
  alertTokenSchema,
  subscriptionAcceptedSchema,
  subscriptionConfirmedSchema,
  subscriptionInputSchema,
  unsubscribedSchema,
} from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse, perClientRateLimit } from '../http/index.js';
import { confirmSubscription, subscribeToAlerts, unsubscribeFromAlerts } from './subscriptions.js';

const common = { tags: ['alerts'], access: 'public' as const };

export const subscribeRoute = defineRoute({
  ...common,
  operationId: 'subscribeToRecallAlerts',
  method: 'post',
  path: '/alerts/subscriptions',
  summary: 'Ask for recall alerts (by category, brand, model); a confirmation link is emailed (double opt-in)',
  request: jsonBody(subscriptionInputSchema),
  responses: {
    202: jsonResponse(subscriptionAcceptedSchema, 'The confirmation email is on its way (the same answer whoever the address is)'),
  },
  errors: ['rate_limited'],
});

export const confirmRoute = defineRoute({
  ...common,
  operationId: 'confirmRecallAlerts',
  method: 'post',
  path: '/alerts/confirm',
  summary: 'Confirm a subscription with the emailed token',
  description:
    'The emailed link opens the page /alerts/confirm?token=…, whose button confirms: a GET never does, since mail scanners open links.',
  request: jsonBody(alertTokenInputSchema),
  responses: { 200: jsonResponse(subscriptionConfirmedSchema, 'Subscribed') },
  errors: ['not_found', 'gone'],
});

export const unsubscribeRoute = defineRoute({
  ...common,
  operationId: 'unsubscribeFromRecallAlerts',
  method: 'post',
  path: '/alerts/unsubscribe/{token}',
  summary: 'Unsubscribe with the token of an alert’s unsubscribe link: effective at once, no sign-in',
  description:
    'The List-Unsubscribe link itself is the page /alerts/unsubscribe/{token}: a GET shows a button, and a POST there (the button, or a mailbox provider’s RFC 8058 `List-Unsubscribe=One-Click`) unsubscribes. This operation is the same for API clients.',
  request: { params: z.object({ token: alertTokenSchema }) },
  responses: { 200: jsonResponse(unsubscribedSchema, 'Unsubscribed') },
  errors: ['not_found'],
});

export function alertRoutes(ctx: ServiceContext) {
  const app = domainRouter();
  app.post(
    '/alerts/subscriptions',
    perClientRateLimit(ctx.rateLimits, {
      name: 'alerts',
      perMinute: ctx.config.RATE_LIMIT_INTAKE_PER_MINUTE,
      trustProxy: ctx.config.TRUST_PROXY,
    }),
  );

  app.openapi(subscribeRoute, async (c) => c.json(await subscribeToAlerts(ctx, c.req.valid('json')), 202));
  app.openapi(confirmRoute, async (c) => c.json(await confirmSubscription(ctx, c.req.valid('json')), 200));
  app.openapi(unsubscribeRoute, async (c) => c.json(await unsubscribeFromAlerts(ctx, c.req.valid('param')), 200));
  return app;
}
