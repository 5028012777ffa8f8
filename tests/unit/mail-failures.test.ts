import { describe, expect, it } from 'vitest';
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
