import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidDate, isoWeekOf, monthRange, weekRange } from './dates.ts';

test('real calendar dates only', () => {
  assert.ok(isValidDate('2024-02-29'));
  for (const bad of ['2025-02-29', '2025-02-30', '2025-13-01', '2025-1-1', '20250101', '2025-01-01T00:00'])
    assert.ok(!isValidDate(bad), bad);
});

test('ISO weeks: week 1 holds the first Thursday; years with and without week 53', () => {
  assert.deepEqual(weekRange('2026-W27'), { from: '2026-06-29', to: '2026-07-05' });
  assert.deepEqual(weekRange('2025-W01'), { from: '2024-12-30', to: '2025-01-05' });
  assert.deepEqual(weekRange('2020-W53'), { from: '2020-12-28', to: '2021-01-03' });
  assert.equal(weekRange('2025-W53'), null);
  assert.equal(weekRange('2025-W00'), null);
  assert.equal(isoWeekOf('2021-01-03'), '2020-W53');
  assert.equal(isoWeekOf('2026-07-01'), '2026-W27');
});

test('months', () => {
  assert.deepEqual(monthRange('2024-02'), { from: '2024-02-01', to: '2024-02-29' });
  assert.deepEqual(monthRange('2025-12'), { from: '2025-12-01', to: '2025-12-31' });
  assert.equal(monthRange('2025-13'), null);
  assert.equal(monthRange('2025-1'), null);
});
