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
