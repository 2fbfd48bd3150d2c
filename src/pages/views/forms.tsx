// Pieces every form page shares: the CSRF field, an error notice, and a page that just says something.
import type { Child } from 'hono/jsx';
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

export function Notice(props: { message?: string | null; kind?: 'error' | 'ok' }) {
  if (!props.message) return null;
  return (
    <p class={`notice ${props.kind ?? 'error'}`} role={props.kind === 'ok' ? 'status' : 'alert'}>
      {props.message}
    </p>
  );
}

export function MessagePage(props: { site: Site; title: string; path: string; children: Child }) {
  return (
    <Layout site={props.site} meta={{ title: props.title, description: props.title, path: props.path }}>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
