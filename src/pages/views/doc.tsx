// A page of the project's documentation (pages/docs.tsx renders the Markdown).
import { raw } from 'hono/html';
import type { Site } from '../../http/context.ts';
import { Layout } from './layout.tsx';

export function DocPage(props: { site: Site; name: string; title: string; html: string }) {
  return (
    <Layout site={props.site} meta={{ title: props.title, description: `${props.site.name}: ${props.title}`, path: `/docs/${props.name}` }}>
      <article class="doc">{raw(props.html)}</article>
    </Layout>
  );
}
