import { describe, expect, it } from 'vitest';
import { deliveryAttempts, deliveryDelay, type DeliveryRetry } from '../../shared/queue/index.js';
import { isPermanentMailFailure } from '../../workers/notify.js';

/** Errors shaped as nodemailer reports them: code, the command that failed, and the server's reply code. */
const smtpError = (code: string, command: string, responseCode?: number) =>
  Object.assign(new Error(`${command} failed`), { code, command, ...(responseCode ? { responseCode } : {}) });

describe('which mail failures are permanent', () => {
  it('a 5xx to the recipient or to the message is permanent', () => {
    expect(isPermanentMailFailure(smtpError('EENVELOPE', 'RCPT TO', 550))).toBe(true);
    expect(isPermanentMailFailure(smtpError('EENVELOPE', 'RCPT TO', 553))).toBe(true);
    expect(isPermanentMailFailure(smtpError('EMESSAGE', 'DATA', 554))).toBe(true);
    expect(isPermanentMailFailure(smtpError('EENVELOPE', 'DATA', 554))).toBe(true);
  });

  it('refused connections, timeouts and 4xx replies are transient', () => {
    expect(isPermanentMailFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', errno: -111 }))).toBe(false);
    expect(isPermanentMailFailure(smtpError('ETIMEDOUT', 'CONN'))).toBe(false);
    expect(isPermanentMailFailure(smtpError('EPROTOCOL', 'CONN', 421))).toBe(false);
    expect(isPermanentMailFailure(smtpError('EENVELOPE', 'RCPT TO', 451))).toBe(false);
    expect(isPermanentMailFailure(smtpError('EMESSAGE', 'DATA', 452))).toBe(false);
  });

  it('a 5xx to the greeting, the sign-in or MAIL FROM refuses our relay or sender, not the recipient: transient', () => {
    expect(isPermanentMailFailure(smtpError('EPROTOCOL', 'CONN', 554))).toBe(false);
    expect(isPermanentMailFailure(smtpError('EAUTH', 'AUTH PLAIN', 535))).toBe(false);
    expect(isPermanentMailFailure(smtpError('EENVELOPE', 'MAIL FROM', 550))).toBe(false);
    expect(isPermanentMailFailure(smtpError('EENVELOPE', 'MAIL FROM', 530))).toBe(false);
  });

  it('anything that is not an SMTP reply is transient', () => {
    expect(isPermanentMailFailure(new Error('boom'))).toBe(false);
    expect(isPermanentMailFailure(undefined)).toBe(false);
    expect(isPermanentMailFailure({ responseCode: '550', command: 'RCPT TO' })).toBe(false);
  });
});

describe('the delivery retry schedule', () => {
  const waitedBefore = (policy: DeliveryRetry, attempt: number) => {
    let total = 0;
    for (let a = 1; a < attempt; a++) total += deliveryDelay(policy, a);
    return total;
  };

  it('doubles from the base up to the cap', () => {
    const policy = { baseMs: 50, maxDelayMs: 500, windowMs: 3_600_000 };
    expect([1, 2, 3, 4, 5, 6, 100].map((a) => deliveryDelay(policy, a))).toEqual([50, 100, 200, 400, 500, 500, 500]);
  });

  it('allows just enough attempts for the delays between them to span the window', () => {
    for (const policy of [
      { baseMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 48 * 3_600_000 },
      { baseMs: 50, maxDelayMs: 500, windowMs: 24 * 3_600_000 },
      { baseMs: 700, maxDelayMs: 100, windowMs: 1_234_567 },
      { baseMs: 1000, maxDelayMs: 1500, windowMs: 3000 },
      { baseMs: 1000, maxDelayMs: 5000, windowMs: 1 },
    ]) {
      const attempts = deliveryAttempts(policy);
      expect(waitedBefore(policy, attempts), JSON.stringify(policy)).toBeGreaterThanOrEqual(policy.windowMs);
      expect(waitedBefore(policy, attempts - 1), JSON.stringify(policy)).toBeLessThan(policy.windowMs);
    }
    // The defaults: 48 hours at most 15 minutes apart.
    expect(deliveryAttempts({ baseMs: 1000, maxDelayMs: 15 * 60_000, windowMs: 48 * 3_600_000 })).toBe(202);
  });

  it('is counted at once even for the smallest settings (it runs for every job added)', () => {
    const started = performance.now();
    expect(deliveryAttempts({ baseMs: 10, maxDelayMs: 10, windowMs: 14 * 24 * 3_600_000 })).toBe(120_960_001);
    expect(performance.now() - started).toBeLessThan(50);
  });
});
