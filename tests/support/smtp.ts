import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  parsed: Email;
  envelopeTo: string[];
}

/** An SMTP reply a test makes the server give instead of accepting. */
export interface SmtpReply {
  code: number;
  message: string;
}

/**
 * What the server refuses, changeable while it runs: every connection at its greeting (421: a relay shutting down or
 * overloaded), every MAIL FROM (530: sign-in required; 550: sender refused — the relay's or the sender's problem),
 * and RCPT TO for the addresses `rcpt` names (451: try later; 550: no such mailbox).
 */
export interface SmtpFaults {
  greeting?: SmtpReply | undefined;
  mailFrom?: SmtpReply | undefined;
  rcpt?: ((address: string) => SmtpReply | undefined) | undefined;
}

const replyError = (r: SmtpReply) => Object.assign(new Error(r.message), { responseCode: r.code });

/** A real SMTP server on a free loopback port; what it receives is parsed with postal-mime. */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  const faults: SmtpFaults = {};
  /** Every RCPT TO the server was asked, accepted or not, per address. */
  const rcptAttempts = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      callback(faults.greeting ? replyError(faults.greeting) : undefined);
    },
    onMailFrom(_address, _session, callback) {
      callback(faults.mailFrom ? replyError(faults.mailFrom) : undefined);
    },
    onRcptTo(address, _session, callback) {
      rcptAttempts.set(address.address, (rcptAttempts.get(address.address) ?? 0) + 1);
      const refusal = faults.rcpt?.(address.address);
      callback(refusal ? replyError(refusal) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        PostalMime.parse(raw)
          .then((parsed) => {
            received.push({ raw, parsed, envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
            callback();
          })
          .catch(callback);
      });
    },
  });
  // A client that dies mid-session (a killed worker) resets its connection: that is the client's problem, not the server's.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    faults,
    rcptAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
