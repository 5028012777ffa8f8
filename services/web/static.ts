import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Hono } from 'hono';

/**
 * The pages' static files, served by the app itself (no CDN: the bureau's network may be closed, and the CSP allows
 * only this origin). Loaded once at start-up; each URL carries a content hash so browsers may cache it for a year.
 * /static/app.css is Pico CSS (a maintained, accessible base) followed by our own rules: one stylesheet.
 */
const here = import.meta.dirname;
const require = createRequire(import.meta.url);

const types: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A file inside an installed package, whatever the package's `exports` allow (we serve files, not modules). */
function packageFile(pkg: string, relative: string): string {
  let dir = path.dirname(require.resolve(pkg));
  while (
    !existsSync(path.join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== pkg
  ) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package ${pkg} not found`);
    dir = up;
  }
  return path.join(dir, relative);
}

interface Asset {
  body: Buffer;
  type: string;
  hash: string;
}

function load(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (url: string, body: Buffer) => {
    assets.set(url, {
      body,
      type: types[path.extname(url)] ?? 'application/octet-stream',
      hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
    });
  };
  const dir = path.join(here, 'static');
  const pico = readFileSync(packageFile('@picocss/pico', 'css/pico.min.css'));
  add('/static/app.css', Buffer.concat([pico, Buffer.from('\n'), readFileSync(path.join(dir, 'app.css'))]));
  for (const sub of ['js', 'img']) {
    for (const f of readdirSync(path.join(dir, sub))) add(`/static/${sub}/${f}`, readFileSync(path.join(dir, sub, f)));
  }
  add('/static/vendor/chart.umd.min.js', readFileSync(packageFile('chart.js', 'dist/chart.umd.min.js')));
  return assets;
}

const assets = load();

/** The URL of a static file with its content hash, for links in pages. */
export function asset(url: string): string {
  const a = assets.get(url);
  if (!a) throw new Error(`no static file ${url}`);
  return `${url}?v=${a.hash}`;
}

export function staticRoutes() {
  const app = new Hono();
  app.get('/static/*', (c) => {
    const a = assets.get(c.req.path);
    if (!a) return c.text('not found', 404);
    const immutable = c.req.query('v') === a.hash;
    return c.body(new Uint8Array(a.body), 200, {
      'content-type': a.type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    });
  });
  return app;
}
