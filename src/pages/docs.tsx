// /docs/NAME: the project's documentation (docs/*.md) as pages of the site, so the footer's API link
// and openapi.json lead somewhere a person can read. Our own files, rendered with raw HTML off;
// links between them stay on the site.
import { readdirSync, readFileSync } from 'node:fs';
import MarkdownIt from 'markdown-it';
import { HttpError } from '../http/errors.ts';
import type { Handler } from '../http/route.ts';
import { sendPage } from './respond.tsx';
import { DocPage } from './views/doc.tsx';
import { projectPath } from '../util/project.ts';

const FOLDER = projectPath('docs/');
const markdown = new MarkdownIt({ html: false, linkify: true });
markdown.disable(['image']);

/** Each document, rendered once: name → title and HTML. */
const DOCS = new Map(
  readdirSync(FOLDER)
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const text = readFileSync(FOLDER + f, 'utf8');
      const title = /^#\s+(.+)$/m.exec(text)?.[1]?.replace(/[`*]/g, '') ?? f;
      // Links to another document (api.md#errors) become the page (/docs/api#errors); to source files, GitHub-style paths stay text.
      const html = markdown
        .render(text)
        .replace(/href="([\w-]+)\.md(#[^"]*)?"/g, (_m, name: string, hash = '') => `href="/docs/${name}${hash}"`);
      return [f.slice(0, -3), { title, html }] as const;
    }),
);

export const docPage: Handler<{ Params: { name: string } }> = async (ctx, request, reply) => {
  const doc = DOCS.get(request.params.name);
  if (!doc) throw new HttpError(404, 'Page not found', `There is no document called ${request.params.name.slice(0, 60)}.`);
  return sendPage(ctx, request, reply, (site) => DocPage({ site, name: request.params.name, ...doc }));
};
