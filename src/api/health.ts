// /healthz for load balancers and monitors, and the API's OpenAPI document.
import type { Handler } from '../http/route.ts';
import { ping } from '../storage/open.ts';
import { openApiDocument } from './openapi.ts';

export const health: Handler = async (ctx, _request, reply) => {
  await ping(ctx.database);
  reply.header('cache-control', 'no-store');
  return { status: 'ok', database: ctx.database.dialect };
};

export const openApi: Handler = async (ctx) => openApiDocument(ctx.config.PUBLIC_URL);
