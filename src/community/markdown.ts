// Comments are Markdown with math. markdown-it renders it with raw HTML off, then sanitize-html
// passes only an allowlist of tags, with http(s) and mailto links alone, each marked
// rel="nofollow ugc noopener". Two layers on purpose: either alone would stop a hostile comment, and
// each covers the other's bugs. Formulas ($…$, $$…$$, \(…\), \[…\]) are set aside before Markdown
// (which would read their * and _ as emphasis) and rendered by KaTeX after sanitizing, the same
// way as abstracts, with trust off; inside code they stay source text.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../util/html.ts';
import { MATH, renderTex } from '../papers/tex.ts';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.disable(['image']); // no images: they load from anywhere and would track readers

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'em',
    'strong',
    'del',
    's',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'hr',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // A comment's headings sit under the page's own: demote them.
    h1: 'h4',
    h2: 'h4',
    h3: 'h5',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
};

export const MAX_COMMENT = 10_000;
const MAX_FORMULAS = 200;
// Private-use characters mark where a formula was; any in the comment itself are dropped first.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const ENCODED_PLACEHOLDER = /%EE%80%80(\d+)%EE%80%81/g;

/** A comment's Markdown as safe HTML. */
export function renderComment(body: string): string {
  const formulas: string[] = [];
  const text = body.replace(/[\uE000\uE001]/g, '').replace(MATH, (source) => {
    if (formulas.length >= MAX_FORMULAS) return source;
    formulas.push(source);
    return `${OPEN}${formulas.length - 1}${CLOSE}`;
  });
  const html = sanitizeHtml(markdown.render(text), SANITIZE);
  const source = (n: string) => formulas[Number(n)]!;
  // Formulas are rendered in text; in code they stay source, and inside a tag (a link's address,
  // where markdown-it percent-encoded the marks) they go back to what was written.
  return html
    .split(/(<code>[\s\S]*?<\/code>|<[^>]*>)/)
    .map((part, i) =>
      i % 2 === 0
        ? part.replace(PLACEHOLDER, (_, n: string) => renderTex(source(n)))
        : part
            .replace(ENCODED_PLACEHOLDER, (_, n: string) => escapeHtml(encodeURI(source(n))))
            .replace(PLACEHOLDER, (_, n: string) => escapeHtml(source(n))),
    )
    .join('');
}
