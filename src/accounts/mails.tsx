// The mails an account gets: each says why it came, what the link does and when it stops working,
// and what to do if the reader did not ask for it. Links carry no tracking.
import { randomUUID } from 'node:crypto';
import type { Mail } from '../mail/mailer.ts';
import { Button, Frame, mailHtml } from '../mail/layout.tsx';

export type AccountMail =
  | { kind: 'verify'; url: string; name: string }
  | { kind: 'already-member'; signInUrl: string; resetUrl: string }
  | { kind: 'sign-in'; url: string; name: string }
  | { kind: 'reset'; url: string; name: string }
  | { kind: 'no-account'; signUpUrl: string }
  | { kind: 'email'; url: string; name: string }
  | { kind: 'email-changed'; name: string; newEmail: string };

interface Site {
  siteName: string;
  publicUrl: string;
}

function content(
  site: Site,
  m: AccountMail,
): { subject: string; lines: string[]; button?: { href: string; label: string }; after: string } {
  const notYou = 'If you did not ask for this, ignore this mail: nothing changes.';
  switch (m.kind) {
    case 'verify':
      return {
        subject: `Confirm your address for ${site.siteName}`,
        lines: [
          `Welcome, ${m.name}. Confirm this address to finish creating your ${site.siteName} account.`,
          'The link works once, for 48 hours.',
        ],
        button: { href: m.url, label: 'Confirm my address' },
        after: 'If you did not sign up, ignore this mail: no account is created without the confirmation.',
      };
    case 'already-member':
      return {
        subject: `You already have a ${site.siteName} account`,
        lines: [
          'Someone, hopefully you, tried to sign up with this address, which already has an account. Sign in instead, or set a new password if you have forgotten it.',
          `Reset your password: ${m.resetUrl}`,
        ],
        button: { href: m.signInUrl, label: 'Sign in' },
        after: notYou,
      };
    case 'sign-in':
      return {
        subject: `Your ${site.siteName} sign-in link`,
        lines: [`Hello ${m.name}, here is the link you asked for to sign in.`, 'It works once, for 20 minutes.'],
        button: { href: m.url, label: 'Sign in' },
        after: notYou,
      };
    case 'reset':
      return {
        subject: `Set a new ${site.siteName} password`,
        lines: [
          `Hello ${m.name}, follow the link to choose a new password. It works once, for an hour; setting it signs you out everywhere else.`,
        ],
        button: { href: m.url, label: 'Choose a new password' },
        after: notYou,
      };
    case 'no-account':
      return {
        subject: `No ${site.siteName} account uses this address`,
        lines: [
          'Someone, hopefully you, asked to sign in or reset a password with this address, but no account uses it. You can create one.',
        ],
        button: { href: m.signUpUrl, label: 'Create an account' },
        after: notYou,
      };
    case 'email':
      return {
        subject: `Confirm your new address for ${site.siteName}`,
        lines: [
          `Hello ${m.name}, confirm that your ${site.siteName} account should use this address from now on. The link works once, for 48 hours.`,
        ],
        button: { href: m.url, label: 'Use this address' },
        after: 'If you did not ask for this, ignore this mail: the account keeps its address.',
      };
    case 'email-changed':
      return {
        subject: `Your ${site.siteName} address was changed`,
        lines: [`Hello ${m.name}, your account now uses ${m.newEmail}; mail for it no longer comes here.`],
        after: `If you did not make this change, tell the operator of ${site.publicUrl} at once.`,
      };
  }
}

export function composeAccountMail(site: Site, to: string, m: AccountMail): Mail {
  const c = content(site, m);
  const body = (
    <Frame title={c.subject}>
      <tr>
        <td style="padding: 8px 0; font-size: 16px; line-height: 1.5;">
          {c.lines.map((line) => (
            <p>{line}</p>
          ))}
          {c.button && (
            <p>
              <Button href={c.button.href}>{c.button.label}</Button>
            </p>
          )}
          <p style="color: #6b7280; font-size: 14px;">{c.after}</p>
        </td>
      </tr>
    </Frame>
  );
  const text = [...c.lines, ...(c.button ? [`${c.button.label}: ${c.button.href}`] : []), c.after].join('\n\n') + '\n';
  return {
    to,
    subject: c.subject,
    html: mailHtml(body),
    text,
    headers: { 'Auto-Submitted': 'auto-generated' },
    messageId: `<account-${randomUUID()}@${new URL(site.publicUrl).hostname}>`,
    date: new Date(),
  };
}
