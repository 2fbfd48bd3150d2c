// The mails: HTML (tables and inline styles, which every mail client renders, readable in dark mode)
// and plain text, with math as its TeX source. Links carry no tracking.
import type { Child } from 'hono/jsx';
import type { Paper } from '../storage/papers.ts';
import { snippet, texToText } from '../web/tex.ts';

export interface DigestSection {
  heading: string;
  papers: Paper[];
}

interface Links {
  publicUrl: string;
  siteName: string;
}

const font = 'font-family: -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif;';

function Frame(props: { title: string; children: Child; footer?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title}</title>
      </head>
      <body style={`margin: 0; padding: 0; ${font}`}>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse: collapse;">
          <tr>
            <td align="center" style="padding: 16px;">
              <table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width: 600px; width: 100%; border-collapse: collapse;">
                {props.children}
                {props.footer && (
                  <tr>
                    <td style="padding: 24px 0 0; font-size: 12px; color: #6b7280; border-top: 1px solid #d1d5db;">{props.footer}</td>
                  </tr>
                )}
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

function html(node: unknown): string {
  return `<!doctype html>${String(node)}`;
}

export function confirmationMail(links: Links, confirmUrl: string) {
  const subject = `Confirm your ${links.siteName} digest`;
  const body = (
    <Frame title={subject}>
      <tr>
        <td style="padding: 8px 0; font-size: 16px; line-height: 1.5;">
          <p>Someone, hopefully you, asked to get research papers from {links.siteName} by email at this address.</p>
          <p>
            <a href={confirmUrl} style="display: inline-block; padding: 10px 18px; background: #b45309; color: #ffffff; border-radius: 6px; text-decoration: none;">
              Yes, send me the digest
            </a>
          </p>
          <p style="color: #6b7280; font-size: 14px;">If it was not you, ignore this mail: nothing more will be sent.</p>
        </td>
      </tr>
    </Frame>
  );
  const text = `Someone, hopefully you, asked to get research papers from ${links.siteName} by email at this address.\n\nConfirm: ${confirmUrl}\n\nIf it was not you, ignore this mail: nothing more will be sent.\n`;
  return { subject, html: html(body), text };
}

export function digestMail(links: Links, title: string, sections: DigestSection[], manageUrl: string, unsubscribeUrl: string) {
  const paperUrl = (p: Paper) => `${links.publicUrl}/papers/${p.arxivId}`;
  const authors = (p: Paper) => (p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} and ${p.authors.length - 3} more` : p.authors.join(', '));
  const body = (
    <Frame
      title={title}
      footer={
        <>
          You get this because you subscribed at {links.publicUrl}. <a href={manageUrl}>Change what you get</a> ·{' '}
          <a href={unsubscribeUrl}>Unsubscribe</a>
        </>
      }
    >
      <tr>
        <td style="padding: 0 0 8px; font-size: 22px; font-weight: bold;">{title}</td>
      </tr>
      {sections.map((section) => (
        <>
          <tr>
            <td style="padding: 16px 0 4px; font-size: 16px; font-weight: bold; color: #b45309;">{section.heading}</td>
          </tr>
          {section.papers.map((p) => (
            <tr>
              <td style="padding: 8px 0; border-bottom: 1px solid #e5e7eb; font-size: 14px; line-height: 1.45;">
                <a href={paperUrl(p)} style="font-size: 16px; font-weight: bold; text-decoration: none;">
                  {texToText(p.title)}
                </a>
                <br />
                <span style="color: #6b7280;">
                  {authors(p)} · ▲ {p.listing?.upvotes ?? 0}
                </span>
                <br />
                {texToText(snippet(p.abstract, 240))}
              </td>
            </tr>
          ))}
        </>
      ))}
    </Frame>
  );
  const text = [
    title,
    '',
    ...sections.flatMap((s) => [
      s.heading.toUpperCase(),
      '',
      ...s.papers.flatMap((p) => [texToText(p.title), `${authors(p)} · ${p.listing?.upvotes ?? 0} upvotes`, paperUrl(p), '']),
    ]),
    `Change what you get: ${manageUrl}`,
    `Unsubscribe: ${unsubscribeUrl}`,
    '',
  ].join('\n');
  return { subject: title, html: html(body), text };
}
