import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from 'zod';

interface RouteDefinition {
  method: string;
  path: string;
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  staticSegments: number;
  route: RouteDefinition;
}

/** The documented operations of an app, compiled to matchers: the OpenAPI registry is the contract. */
function compileRoutes(app: Pick<OpenAPIHono, 'openAPIRegistry'>): CompiledRoute[] {
  const defs = (app.openAPIRegistry.definitions as Array<{ type: string; route?: RouteDefinition }>).filter(
    (d) => d.type === 'route' && d.route,
  );
  return defs.map(({ route }) => {
    const segments = route!.path.split('/');
    const pattern = new RegExp(
      `^${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`,
    );
    return {
      method: route!.method.toUpperCase(),
      pattern,
      staticSegments: segments.filter((s) => !s.startsWith('{')).length,
      route: route!,
    };
  });
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/**
 * Checks one response against the operation that answered it: its status must be documented, and a JSON body must
 * parse against the documented schema without losing anything (an undocumented field is drift too).
 */
export async function checkResponse(routes: CompiledRoute[], method: string, url: string, res: Response): Promise<void> {
  const path = new URL(url, 'http://localhost').pathname;
  if (!path.startsWith('/api/')) return;
  const candidates = routes
    .filter((r) => r.method === method.toUpperCase() && r.pattern.test(path))
    .sort((a, b) => b.staticSegments - a.staticSegments);
  const op = candidates[0];
  const type = res.headers.get('content-type') ?? '';
  if (!op) {
    // No operation matched: only the not-found envelope may answer.
    if (res.status !== 404) throw new ContractViolation(`${method} ${path} answered ${res.status} but no documented operation matches`);
    return;
  }
  const documented = op.route.responses[String(res.status)];
  if (!documented) throw new ContractViolation(`${method} ${op.route.path} answered ${res.status}, which it does not document`);
  if (!type.startsWith('application/json')) return;
  const schema = documented.content?.['application/json']?.schema as z.ZodType | undefined;
  if (!schema) throw new ContractViolation(`${method} ${op.route.path} ${res.status} returned JSON but documents none`);
  const body: unknown = await res.clone().json();
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ContractViolation(`${method} ${op.route.path} ${res.status} does not match its schema: ${parsed.error.message}`);
  }
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), body)) {
    throw new ContractViolation(
      `${method} ${op.route.path} ${res.status} returns fields its schema does not document:\n${JSON.stringify(body).slice(0, 2000)}\nvs\n${JSON.stringify(parsed.data).slice(0, 2000)}`,
    );
  }
}

/** The app with every in-process request's response checked against the OpenAPI contract. */
export function withContractChecks<A extends Pick<OpenAPIHono, 'openAPIRegistry' | 'request'>>(app: A): A {
  const routes = compileRoutes(app);
  const request = app.request.bind(app);
  const checked = (async (input: string | Request | URL, init?: RequestInit, ...rest: unknown[]) => {
    const res = await (request as (...a: unknown[]) => Promise<Response>)(input, init, ...rest);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    await checkResponse(routes, method, url, res);
    return res;
  }) as A['request'];
  return Object.assign(Object.create(Object.getPrototypeOf(app) as object) as A, app, { request: checked });
}
