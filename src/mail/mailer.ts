// The one way mail leaves the process. With SMTP_URL, nodemailer sends through the operator's
// server; without it (the embedded default) each mail is written as an .eml file to OUTBOX_DIR, so a
// new operator can see what would go out without configuring anything.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  messageId: string;
  date: Date;
}

/** A failure the mail server reported: 4xx (and network trouble) may pass, 5xx will not. */
export class MailError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface Mailer {
  /** Where mail goes, for logs and the admin page. */
  readonly description: string;
  send(mail: Mail): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl?: string; from: string; outboxDir: string }): Mailer {
  // Pooled: a digest run reuses a few connections instead of opening one per mail.
  const transport = options.smtpUrl
    ? nodemailer.createTransport(`${options.smtpUrl}${options.smtpUrl.includes('?') ? '&' : '?'}pool=true&maxConnections=2`, {
        from: options.from,
      })
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: options.from });
  const dir = resolve(options.outboxDir);
  return {
    description: options.smtpUrl ? `SMTP ${new URL(options.smtpUrl).host}` : `files in ${dir}`,
    async send(mail) {
      let info;
      try {
        info = await transport.sendMail({
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          headers: mail.headers,
          messageId: mail.messageId,
          date: mail.date,
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        throw new MailError((err as Error).message, code !== undefined && code >= 500);
      }
      if (!options.smtpUrl) {
        mkdirSync(dir, { recursive: true });
        const name = `${mail.date.toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^\w.-]/g, '')}.eml`;
        writeFileSync(join(dir, name), (info as { message: Buffer }).message);
      }
    },
    close: () => transport.close(),
  };
}
