// A real SMTP server on loopback that keeps every mail it accepts, parsed, for the mail tests; it can
// also refuse mail to chosen addresses, temporarily (4xx) or for good (5xx).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpCatcher {
  url: string;
  mails: ParsedMail[]; // empty with keep: false
  received(): number;
  /** Refuse the next `times` mails to `address` with `code` (421, 450, 550 …). */
  refuse(address: string, code: number, times?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

/** `keep: false` only counts mails (benchmarks: thousands of them need not be parsed and held). */
export async function startSmtpCatcher({ keep = true } = {}): Promise<SmtpCatcher> {
  const mails: ParsedMail[] = [];
  let received = 0;
  const refusals = new Map<string, { code: number; times: number }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = refusals.get(address.address.toLowerCase());
      if (refusal && refusal.times > 0) {
        refusal.times--;
        const err = Object.assign(new Error(refusal.code >= 500 ? 'No such user here' : 'Try again later'), { responseCode: refusal.code });
        return callback(err);
      }
      callback();
    },
    onData(stream, _session, callback) {
      received++;
      if (!keep) {
        stream.on('end', () => callback()).resume();
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    received: () => received,
    refuse(address, code, times = 1) {
      refusals.set(address.toLowerCase(), { code, times });
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return mails;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
