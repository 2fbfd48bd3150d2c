import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuse } from './hybrid.ts';

// Keyword: paper 1 stands far out (an exact title match); semantic: a flat list with paper 2 on top.
const keyword = [{ id: 1, score: 30 }, ...Array.from({ length: 20 }, (_, i) => ({ id: 10 + i, score: 5 - i * 0.01 }))];
const semantic = [
  { id: 2, score: 0.615 },
  { id: 1, score: 0.6 },
  ...Array.from({ length: 20 }, (_, i) => ({ id: 10 + i, score: 0.598 - i * 0.002 })),
];

test('fixed shares let a flat semantic list outvote a clear keyword match', () => {
  assert.equal(fuse(keyword, semantic, 0.85, 0)[0]!.id, 2);
});

test('with evidence, the list whose best paper stands out weighs more', () => {
  const fused = fuse(keyword, semantic, 0.85, 1);
  assert.equal(fused[0]!.id, 1);
  assert.deepEqual(fused[0], { id: 1, score: fused[0]!.score, keyword: true, semantic: true });
  // With no keyword list, evidence changes nothing: the semantic order stands.
  assert.deepEqual(
    fuse([], semantic, 0.85, 1).map((h) => h.id),
    semantic.map((h) => h.id),
  );
});

test('squared keyword scores keep a clear match first and let meaning order the papers behind it', () => {
  const tail = (from: number, step: number) => Array.from({ length: 30 }, (_, i) => ({ id: 100 + i, score: from - i * step }));
  // Paper 1 holds the query's rare words; papers 3 and 4 share a word or two, 3 a little more, 4 in meaning.
  const keyword = [{ id: 1, score: 40 }, { id: 3, score: 14 }, { id: 4, score: 10 }, ...tail(9.9, 0.1)];
  const semantic = [{ id: 1, score: 0.7 }, { id: 4, score: 0.62 }, { id: 3, score: 0.6 }, ...tail(0.595, 0.003)];
  const top3 = (power: number) =>
    fuse(keyword, semantic, 0.5, 0, power)
      .slice(0, 3)
      .map((h) => h.id);
  assert.deepEqual(top3(1), [1, 3, 4]);
  assert.deepEqual(top3(2), [1, 4, 3]);
});
