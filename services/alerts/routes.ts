import { z } from 'zod';
import {
  alertTokenSchema,
  subscriptionAcceptedSchema,
  subscriptionConfirmedSchema,
  subscriptionInputSchema,
  unsubscribedSchema,
} from '../../shared/recalls/index.js';
import type { ServiceContext } from '../../shared/runtime/index.js';
import { defineRoute, domainRouter, jsonBody, jsonResponse, perClientRateLimit } from '../http/index.js';
import { confirmSubscription, describeUnsubscribeLink, subscribeToAlerts, unsubscribeFromAlerts } from './subscriptions.js';

const common = { tags: ['alerts'], access: 'public' as const };
const tokenParams = { params: z.object({ token: alertTokenSchema }) };
const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

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
  method: 'get',
  path: '/alerts/confirm',
  summary: 'Confirm a subscription with the emailed token',
  request: { query: z.object({ token: alertTokenSchema }) },
  responses: { 200: jsonResponse(subscriptionConfirmedSchema, 'Subscribed') },
  errors: ['not_found', 'gone'],
});

export const unsubscribePageRoute = defineRoute({
  ...common,
  operationId: 'describeUnsubscribeLink',
  method: 'get',
  path: '/alerts/unsubscribe/{token}',
  summary: 'The List-Unsubscribe link opened in a browser: a page with a button (a GET never unsubscribes)',
  request: tokenParams,
  responses: { 200: html('A page asking to confirm') },
  errors: ['not_found'],
});

export const unsubscribeRoute = defineRoute({
  ...common,
  operationId: 'unsubscribeFromRecallAlerts',
  method: 'post',
  path: '/alerts/unsubscribe/{token}',
  summary: 'One-click unsubscription (RFC 8058): effective at once, no sign-in, no redirect',
  description:
    'Mailbox providers POST `List-Unsubscribe=One-Click` as application/x-www-form-urlencoded or multipart/form-data; any body is accepted and ignored.',
  request: tokenParams,
  responses: {
    200: {
      ...jsonResponse(unsubscribedSchema, 'Unsubscribed'),
      content: { ...jsonResponse(unsubscribedSchema, '').content, 'text/html': { schema: z.string() } },
    },
  },
  errors: ['not_found'],
});

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const page = (body: string) =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>退订召回提醒 Unsubscribe</title></head><body>${body}</body></html>`;

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
  app.openapi(confirmRoute, async (c) => c.json(await confirmSubscription(ctx, c.req.valid('query')), 200));

  app.openapi(unsubscribePageRoute, async (c) => {
    const link = await describeUnsubscribeLink(ctx, c.req.valid('param'));
    const body = link.subscribed
      ? `<form method="post"><p>停止向 ${escapeHtml(link.email)} 发送缺陷产品召回提醒？<br>Stop recall alerts to ${escapeHtml(link.email)}?</p><button type="submit">退订 Unsubscribe</button></form>`
      : `<p>${escapeHtml(link.email)} 已退订召回提醒。<br>${escapeHtml(link.email)} receives no recall alerts.</p>`;
    return c.html(page(body), 200);
  });

  app.openapi(unsubscribeRoute, async (c) => {
    const result = await unsubscribeFromAlerts(ctx, c.req.valid('param'));
    // A person pressing the button reads a page; a mailbox provider's one-click POST reads the JSON (any 2xx will do).
    if (/text\/html/.test(c.req.header('accept') ?? ''))
      return c.html(page('<p>已退订召回提醒。<br>You are unsubscribed from recall alerts.</p>'), 200);
    return c.json(result, 200);
  });
  return app;
}
