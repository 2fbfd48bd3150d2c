import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useFixtureServer, testApp } from '../testing/app.ts';
import { testBackends } from '../testing/backends.ts';

const SAMPLE = /^[a-z_]+(\{([a-z_]+="[^"]*",?)*\})? -?[\d.e+-]+$/;

for (const backend of testBackends()) {
  describe(`/metrics on ${backend.name}`, { skip: backend.skip }, () => {
    const server = useFixtureServer(backend);

    test('counts requests by route and status, with latency histograms and what the database knows', async () => {
      for (let i = 0; i < 3; i++) await server.app.inject('/papers/date/2026-07-01');
      await server.app.inject('/papers/2607.99999');
      const res = await server.app.inject('/metrics');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      assert.equal(res.headers['cache-control'], 'no-store');
      const lines = res.body.trim().split('\n');
      for (const line of lines) if (!line.startsWith('#')) assert.match(line, SAMPLE);
      const value = (sample: string) => Number(lines.find((l) => l.startsWith(`${sample} `))?.split(' ')[1]);
      assert.equal(value('paperboy_http_requests_total{method="GET",route="/papers/date/:value",status="200"}'), 3);
      assert.equal(value('paperboy_http_requests_total{method="GET",route="/papers/*",status="404"}'), 1);
      assert.equal(value('paperboy_http_request_duration_seconds_count{method="GET",route="/papers/date/:value"}'), 3);
      assert.equal(value('paperboy_http_request_duration_seconds_bucket{method="GET",route="/papers/date/:value",le="+Inf"}'), 3);
      assert.equal(value('paperboy_response_cache_hits_total'), 2);
      assert.ok(value('paperboy_papers') > 0);
      assert.equal(value('paperboy_embedding_backlog_papers'), value('paperboy_papers'), 'nothing embedded in the fixtures');
      assert.equal(value('paperboy_outbox_mails{status="pending"}'), 0);
      assert.ok(value(`paperboy_process_resident_memory_bytes{pid="${process.pid}"}`) > 0);
      for (const name of ['paperboy_http_requests_total', 'paperboy_http_request_duration_seconds', 'paperboy_ingest_failing'])
        assert.ok(
          lines.includes(`# TYPE ${name} ${name.endsWith('seconds') ? 'histogram' : name.endsWith('total') ? 'counter' : 'gauge'}`),
        );
    });

    test('answers loopback alone without a token; with METRICS_TOKEN anyone who sends it; never with METRICS=false', async () => {
      assert.equal((await server.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' })).statusCode, 404);
      const off = await testApp(server.db, { METRICS: 'false' });
      const guarded = await testApp(server.db, { METRICS_TOKEN: 'a-long-enough-metrics-token' });
      try {
        assert.equal((await off.inject('/metrics')).statusCode, 404);
        assert.equal((await guarded.inject('/metrics')).statusCode, 401);
        assert.equal(
          (await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong-token-of-length' } })).statusCode,
          401,
        );
        const scraped = await guarded.inject({
          url: '/metrics',
          remoteAddress: '203.0.113.9',
          headers: { authorization: 'Bearer a-long-enough-metrics-token' },
        });
        assert.equal(scraped.statusCode, 200);
      } finally {
        await off.close();
        await guarded.close();
      }
    });
  });
}
