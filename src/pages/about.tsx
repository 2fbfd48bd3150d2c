// /about: how the site works, in readers' terms.
import type { Handler } from '../http/route.ts';
import { sendPage } from './respond.tsx';
import { AboutPage } from './views/about.tsx';

export const aboutPage: Handler = async (ctx, request, reply) => sendPage(ctx, request, reply, (site) => AboutPage({ site }));
