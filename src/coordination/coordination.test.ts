import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXACT_UP_TO, SharedCounts } from '../http/rate-store.ts';
import type { Database } from '../storage/db.ts';
import { testBackends } from '../testing/backends.ts';
import { claimTick, releaseLease, takeLease } from './leases.ts';
import { Throttle } from './throttle.ts';
import { reserveSlot } from './pacing.ts';
import { Gate, systemClock } from '../ingest/http.ts';

for (const backend of testBackends()) {
  describe(`what server processes share, on ${backend.name}`, { skip: backend.skip }, () => {
    let db: Database;
    before(async () => {
      db = await backend.fresh();
    });
    after(() => backend.dispose());

    test('a lease has one holder until it is given back or expires', async () => {
      const t = 1_000_000;
      assert.equal(await takeLease(db, 'embedding', 60_000, t, 'a'), true);
      assert.equal(await takeLease(db, 'embedding', 60_000, t + 1, 'b'), false);
      assert.equal(await takeLease(db, 'embedding', 60_000, t + 30_000, 'a'), true, 'its holder renews it');
      assert.equal(await takeLease(db, 'embedding', 60_000, t + 60_000, 'b'), false, 'renewed: still a’s');
      assert.equal(await takeLease(db, 'embedding', 60_000, t + 90_000, 'b'), true, 'expired: b takes it');
      await releaseLease(db, 'embedding', 'a');
      assert.equal(await takeLease(db, 'embedding', 60_000, t + 90_001, 'a'), false, 'a cannot give back what b holds');
      await releaseLease(db, 'embedding', 'b');
      assert.equal(await takeLease(db, 'embedding', 60_000, t + 90_002, 'a'), true);
    });

    test('a tick is run by whichever process claims it first, and only by that one', async () => {
      const tick = new Date('2026-11-30T05:30:00.004Z');
      const claims = await Promise.all(['a', 'b', 'c'].map((holder) => claimTick(db, 'ingest', tick, holder)));
      assert.deepEqual(
        claims.map((c) => c.tick),
        ['ingest@2026-11-30T05:30:00', 'ingest@2026-11-30T05:30:00', 'ingest@2026-11-30T05:30:00'],
      );
      assert.equal(claims.filter((c) => c.mine).length, 1);
      const late = await claimTick(db, 'ingest', new Date('2026-11-30T05:30:00.300Z'), 'd');
      assert.equal(late.mine, false, 'a process whose tick fired a moment later finds it taken');
      assert.equal((await claimTick(db, 'ingest', new Date('2026-11-30T06:30:00Z'), 'd')).mine, true, 'the next tick is free');
      assert.equal((await claimTick(db, 'digests', tick, 'b')).mine, true, 'jobs do not share ticks');
    });

    test('small limits are counted in the database at each request, large ones added every flush', async () => {
      let clock = Date.parse('2026-11-30T10:00:00Z');
      const one = new SharedCounts(db, () => clock);
      const two = new SharedCounts(db, () => clock);
      try {
        for (let i = 1; i <= 3; i++) assert.equal((await one.count('signin|10.0.0.1', 3600_000, 30)).current, i);
        assert.equal((await two.count('signin|10.0.0.1', 3600_000, 30)).current, 4, 'another process sees them at once');
        assert.ok(EXACT_UP_TO < 600);
        for (let i = 0; i < 5; i++) await one.count('site|10.0.0.1', 60_000, 600);
        const seen = await two.count('site|10.0.0.1', 60_000, 600);
        assert.equal(seen.current, 1, 'not yet flushed');
        assert.equal(seen.ttl, 60_000);
        await one.flush();
        await two.flush();
        assert.equal((await two.count('site|10.0.0.1', 60_000, 600)).current, 7, 'both processes’ requests, after a flush');
        await one.flush();
        assert.equal(
          (await one.count('site|10.0.0.1', 60_000, 600)).current,
          7,
          'the others’ flushed requests too (two’s last is not yet)',
        );
        clock += 60_000;
        assert.equal((await one.count('site|10.0.0.1', 60_000, 600)).current, 1, 'a new window starts at zero');
      } finally {
        await one.close();
        await two.close();
      }
    });

    test('requests to arXiv are spaced three seconds apart across processes, not only within each', async () => {
      assert.equal(await reserveSlot(db, 'arxiv', 3000, 1_000_000), 1_000_000, 'the first goes at once');
      assert.equal(await reserveSlot(db, 'arxiv', 3000, 1_000_000), 1_003_000, 'another process’s, at the same moment, three seconds on');
      assert.equal(await reserveSlot(db, 'arxiv', 3000, 1_001_000), 1_006_000);
      assert.equal(await reserveSlot(db, 'arxiv', 3000, 2_000_000), 2_000_000, 'after a quiet spell, at once again');
      // Two processes' gates, each with its own queue, sharing the database's reservations (real
      // time, 100 ms apart: a shared fake clock would move on by both gates' sleeps).
      const starts: number[] = [];
      const reserve = (interval: number, now: number) => reserveSlot(db, 'test-gate', interval, now);
      const gates = [new Gate(100, systemClock, reserve), new Gate(100, systemClock, reserve)];
      await Promise.all(gates.flatMap((gate) => [1, 2, 3].map(() => gate.run(async () => starts.push(Date.now())))));
      starts.sort((a, b) => a - b);
      // Reserved starts are 100 ms apart; a timer may fire a few ms late, so allow for that (each
      // gate alone would start its first request with the other's, 0 ms apart).
      for (let i = 1; i < starts.length; i++) assert.ok(starts[i]! - starts[i - 1]! >= 90, `starts ${starts.join(', ')}`);
    });

    test('a throttle counts every process’s events in its sliding window', async () => {
      const here = new Throttle(db, 'wrong-password', 3, 15 * 60_000);
      const there = new Throttle(db, 'wrong-password', 3, 15 * 60_000);
      const other = new Throttle(db, 'comment', 3, 15 * 60_000);
      const t = Date.parse('2026-11-30T10:00:00Z');
      assert.equal(await here.take('bob@example.org', t), true);
      assert.equal(await there.take('bob@example.org', t + 1000), true);
      assert.equal(await here.take('bob@example.org', t + 2000), true);
      assert.equal(await there.full('bob@example.org', t + 3000), true);
      assert.equal(await there.take('bob@example.org', t + 3000), false);
      assert.equal(await here.waitMs('bob@example.org', t + 3000), 15 * 60_000 - 3000, 'until the oldest leaves the window');
      assert.equal(await other.full('bob@example.org', t + 3000), false, 'throttles of other kinds do not count');
      assert.equal(await here.full('bob@example.org', t + 15 * 60_000 + 1), false);
      await here.add('bob@example.org', t + 15 * 60_000 + 1);
      await there.clear('bob@example.org');
      assert.equal(await here.waitMs('bob@example.org', t + 15 * 60_000 + 2), 0);
    });
  });
}
