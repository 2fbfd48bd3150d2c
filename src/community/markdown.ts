// Comments are Markdown. markdown-it renders it with raw HTML off, then sanitize-html passes only an
// allowlist of tags, with http(s) and mailto links alone, each marked rel="nofollow ugc noopener".
// Two layers on purpose: either alone would stop a hostile comment, and each covers the other's bugs.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.disable(['image']); // no images: they load from anywhere and would track readers

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
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

/** A comment's Markdown as safe HTML. */
export function renderComment(body: string): string {
  return sanitizeHtml(markdown.render(body), SANITIZE);
}
