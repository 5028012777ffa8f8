import type { TestEnv } from './env.js';

export const ORIGIN = 'http://localhost';

/** A browser's cookie jar over the app, enough for tests of pages without a browser. */
export class WebClient {
  cookies = new Map<string, string>();

  readonly #app: TestEnv['app'];

  constructor(app: TestEnv['app']) {
    this.#app = app;
  }

  async request(path: string, init: RequestInit & { form?: Record<string, string> } = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const res = await this.#app.request(path, { ...init, headers, body });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      if (/max-age=0/i.test(c) || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
    return res;
  }

  /** The CSRF token a page's forms carry. */
  async token(path: string) {
    const html = await (await this.request(path)).text();
    return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = { origin: ORIGIN }) {
    return this.request(path, { method: 'POST', headers, form });
  }

  /** The tracking page of an item, opened through the form with its access code, as a consumer would. */
  async trackingPage(trackingNo: string, accessCode: string): Promise<string> {
    const _csrf = await this.token('/track');
    const opened = await this.post('/track', { _csrf, trackingNo, accessCode });
    if (opened.headers.get('location') !== `/track/${trackingNo}`) throw new Error(`tracking form answered ${opened.status}`);
    return (await this.request(`/track/${trackingNo}`)).text();
  }

  /** Signs a member of staff in through the sign-in form; the session cookie is kept. */
  async signInStaff(email: string, password: string): Promise<Response> {
    const _csrf = await this.token('/staff/login');
    const res = await this.post('/staff/login', { _csrf, email, password, next: '/staff/queue' });
    if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
    return res;
  }
}
