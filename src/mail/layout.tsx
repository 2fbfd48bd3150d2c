// The frame every mail shares: tables and inline styles, which every mail client renders, readable
// in dark mode.
import type { Child } from 'hono/jsx';

const font = 'font-family: -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif;';

export function Frame(props: { title: string; children: Child; footer?: Child }) {
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
              <table
                role="presentation"
                width="600"
                cellpadding="0"
                cellspacing="0"
                style="max-width: 600px; width: 100%; border-collapse: collapse;"
              >
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

export function mailHtml(node: unknown): string {
  return `<!doctype html>${String(node)}`;
}

export function Button(props: { href: string; children: Child }) {
  return (
    <a
      href={props.href}
      style="display: inline-block; padding: 10px 18px; background: #b45309; color: #ffffff; border-radius: 6px; text-decoration: none;"
    >
      {props.children}
    </a>
  );
}
