import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { datasetPath } from '../testing/datasets.ts';
import { announcementDay } from './schedule.ts';

test('the cutoff is 14:00 in New York, weekdays; lists are named by the next morning', () => {
  assert.equal(announcementDay(new Date('2024-05-24T17:34:15Z')), '2024-05-27'); // Fri 13:34 EDT → Monday
  assert.equal(announcementDay(new Date('2024-05-24T18:30:00Z')), '2024-05-28'); // Fri 14:30 EDT → Tuesday
  assert.equal(announcementDay(new Date('2025-01-14T18:59:00Z')), '2025-01-15'); // Tue 13:59 EST → Wednesday
  assert.equal(announcementDay(new Date('2025-01-14T19:00:00Z')), '2025-01-16'); // Tue 14:00 EST → Thursday
  assert.equal(announcementDay(new Date('2025-01-18T12:00:00Z')), '2025-01-21'); // Saturday → Tuesday
});

test('agrees with the real listing day for at least 90% of papers whose v1 time is known', () => {
  const lines = (f: string) =>
    gunzipSync(readFileSync(datasetPath(f)))
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  const listed = new Map(lines('arxiv-daily-cs/papers.jsonl.gz').map((p) => [p.id, p.listing_date]));
  let same = 0;
  let total = 0;
  for (const p of lines('hf-daily-papers/papers.jsonl.gz')) {
    // 2026 responses give the v1 date at midnight only: not a time to place it by.
    if (!listed.has(p.id) || !p.paperPublishedAt || p.paperPublishedAt.endsWith('T00:00:00.000Z')) continue;
    total++;
    if (announcementDay(new Date(p.paperPublishedAt)) === listed.get(p.id)) same++;
  }
  assert.ok(total > 3000, `compared ${total}`);
  assert.ok(same / total >= 0.9, `${same} of ${total} agree`);
});
