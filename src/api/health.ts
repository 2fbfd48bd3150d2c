// /healthz for load balancers and monitors, and the API's OpenAPI document.
import type { Handler } from '../http/route.ts';
import { ping } from '../storage/open.ts';
import { openApiDocument } from './openapi.ts';

/** 200 while the database answers; 503 (what load balancers take to mean "not now") while it does not. */
export const health: Handler = async (ctx, request, reply) => {
  reply.header('cache-control', 'no-store');
  try {
    await ping(ctx.database);
  } catch (err) {
    request.log.error({ err: (err as Error).message }, 'health check: the database does not answer');
    return reply.code(503).send({ status: 'unavailable', database: ctx.database.dialect, error: 'the database does not answer' });
  }
  return { status: 'ok', database: ctx.database.dialect };
};

export const openApi: Handler = async (ctx) => openApiDocument(ctx.config.PUBLIC_URL);
