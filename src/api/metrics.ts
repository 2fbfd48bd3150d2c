// /metrics: Prometheus' text format. Requests, latencies, the response cache and memory of every
// server process (http/metrics.ts), and what the database knows of the instance's jobs: each ingest
// source's last run and success, the outbox's queue and last mail out, the embedding backlog, the
// connection pool. Off with METRICS=false; loopback only unless METRICS_TOKEN is set.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { outboxState } from '../digests/outbox.ts';
import { HttpError } from '../http/errors.ts';
import { Exposition, gatherSnapshots, requestMetrics } from '../http/metrics.ts';
import type { AppContext } from '../http/context.ts';
import type { Handler } from '../http/route.ts';
import { listStates } from '../ingest/state.ts';
import { embeddingBacklog } from '../search/embedding/vectors.ts';
import { countPapers } from '../storage/papers.ts';

const seconds = (iso: string | null) => (iso ? Date.parse(iso) / 1000 : 0);

export const metrics: Handler = async (ctx, request, reply) => {
  allowed(ctx, request);
  const out = new Exposition();
  requestMetrics(out, await gatherSnapshots(ctx.metrics));
  await databaseMetrics(ctx, out);
  return reply.header('cache-control', 'no-store').type('text/plain; version=0.0.4; charset=utf-8').send(out.toString());
};

function allowed(ctx: AppContext, request: FastifyRequest) {
  const notHere = new HttpError(404, 'Not found', 'There is no such page.');
  if (!ctx.config.METRICS) throw notHere;
  const token = ctx.config.METRICS_TOKEN;
  if (!token) {
    if (!/^(127\.|::1$|::ffff:127\.)/.test(request.ip)) throw notHere;
    return;
  }
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new HttpError(401, 'Not signed in', 'Send METRICS_TOKEN as Authorization: Bearer <token>.');
}

async function databaseMetrics(ctx: AppContext, out: Exposition) {
  const [states, outbox, backlog, papers] = await Promise.all([
    listStates(ctx.database),
    outboxState(ctx.database),
    embeddingBacklog(ctx.database),
    countPapers(ctx.database),
  ]);
  out.metric('paperboy_papers', 'gauge', 'Papers in the database.', [[{}, papers]]);
  out.metric(
    'paperboy_ingest_last_run_timestamp_seconds',
    'gauge',
    'When each ingest source last ran.',
    states.map((s) => [{ source: s.source }, seconds(s.lastRunAt)]),
  );
  out.metric(
    'paperboy_ingest_last_success_timestamp_seconds',
    'gauge',
    'When each ingest source last succeeded.',
    states.map((s) => [{ source: s.source }, seconds(s.lastSuccessAt)]),
  );
  out.metric(
    'paperboy_ingest_failing',
    'gauge',
    '1 while an ingest source’s last run failed.',
    states.map((s) => [{ source: s.source }, s.lastError ? 1 : 0]),
  );
  out.metric(
    'paperboy_outbox_mails',
    'gauge',
    'Digest mails by status; pending is the queue still to send.',
    ['pending', 'sent', 'failed'].map((status) => [{ status }, outbox.byStatus[status] ?? 0]),
  );
  out.metric('paperboy_outbox_last_sent_timestamp_seconds', 'gauge', 'When a digest mail last went out.', [
    [{}, seconds(outbox.lastSentAt)],
  ]);
  out.metric('paperboy_embedding_backlog_papers', 'gauge', 'Papers the searched model has no vector for yet.', [[{}, backlog]]);
  const pool = ctx.database.pool?.();
  if (pool)
    out.metric(
      'paperboy_database_pool_connections',
      'gauge',
      'PostgreSQL connections of the answering process: open, idle, and queries waiting for one.',
      [
        [{ state: 'total' }, pool.total],
        [{ state: 'idle' }, pool.idle],
        [{ state: 'waiting' }, pool.waiting],
      ],
    );
}
