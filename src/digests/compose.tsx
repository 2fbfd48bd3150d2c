// The digest mails: HTML in the shared mail frame, and plain text, with math as its TeX source.
// Links carry no tracking.
import { Button, Frame, mailHtml as html } from '../mail/layout.tsx';
import type { Paper } from '../model/paper.ts';
import { snippet, texToText, titleText } from '../papers/tex.ts';

export interface DigestSection {
  heading: string;
  papers: Paper[];
}

interface Links {
  publicUrl: string;
  siteName: string;
}

export function confirmationMail(links: Links, confirmUrl: string) {
  const subject = `Confirm your ${links.siteName} digest`;
  const body = (
    <Frame title={subject}>
      <tr>
        <td style="padding: 8px 0; font-size: 16px; line-height: 1.5;">
          <p>Someone, hopefully you, asked to get research papers from {links.siteName} by email at this address.</p>
          <p>
            <Button href={confirmUrl}>Yes, send me the digest</Button>
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
  const authors = (p: Paper) =>
    p.authors.length > 3 ? `${p.authors.slice(0, 3).join(', ')} and ${p.authors.length - 3} more` : p.authors.join(', ');
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
                  {titleText(p.title)}
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
      ...s.papers.flatMap((p) => [titleText(p.title), `${authors(p)} · ${p.listing?.upvotes ?? 0} upvotes`, paperUrl(p), '']),
    ]),
    `Change what you get: ${manageUrl}`,
    `Unsubscribe: ${unsubscribeUrl}`,
    '',
  ].join('\n');
  return { subject: title, html: html(body), text };
}
