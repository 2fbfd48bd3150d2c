import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROXIMITY, proximityFactor, wordPairs } from './proximity.ts';

test('word pairs are consecutive stems of the query; a single word has none', () => {
  assert.deepEqual(wordPairs(['video', 'generation']), [['video', 'gener']]);
  assert.deepEqual(wordPairs(['diffusion']), []);
  assert.deepEqual(wordPairs(['model', 'models']), [], 'one stem twice is no pair');
});

test('a pair counts when its words are at most one word apart, either order, stop words aside; a title pair counts as well', () => {
  const pairs = wordPairs(['video', 'generation']);
  const weights = { together: 1, title: 0.5 };
  const factor = (title: string, abstract: string) => proximityFactor({ title, abstract }, pairs, weights);
  assert.equal(factor('Video Generation', ''), 2.5);
  assert.equal(factor('Generation of long videos', ''), 2.5, 'one word between, the stop word aside; either order');
  assert.equal(factor('Segmentation', 'We study video generation.'), 2);
  assert.equal(factor('Generation benchmarks miss video', 'Video masks.'), 1, 'two words apart');
  assert.equal(proximityFactor({ title: 'Video Generation', abstract: '' }, [], PROXIMITY), 1);
});
