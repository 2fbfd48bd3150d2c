// 400 and 404 pages that say what was wrong and where to go instead.
import { Layout } from './layout.tsx';
import type { Site } from '../../http/context.ts';

export function ErrorPage(props: { site: Site; status: number; title: string; message: string; path: string }) {
  return (
    <Layout site={props.site} meta={{ title: props.title, description: props.message, path: props.path }}>
      <section class="error">
        <p class="status">{props.status}</p>
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p>
          <a href="/">Today's papers</a>
        </p>
      </section>
    </Layout>
  );
}
