import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bagOf,
  contrastiveGradient,
  random,
  sentencesBag,
  trainContrastive,
  trainingPaper,
  Work,
  type Bag,
  type Encoder,
  type TrainingPaper,
} from './contrastive.ts';

const bag = (counts: Record<number, number>): Bag => bagOf(new Map(Object.entries(counts).map(([id, n]) => [Number(id), n])));

function tinyEncoder(tokens: number, dimensions: number, seed: number): Encoder {
  const next = random(seed);
  return {
    dimensions,
    vectors: Float32Array.from({ length: tokens * dimensions }, () => next() * 2 - 1),
    weights: Float32Array.from({ length: tokens }, () => 0.5 + next()),
  };
}

test('the hand-written gradient agrees with finite differences of the loss', () => {
  const encoder = tinyEncoder(7, 5, 3);
  const queries = [bag({ 0: 1, 1: 2 }), bag({ 2: 1, 5: 1 }), bag({ 3: 1 })];
  const documents = [bag({ 1: 1, 4: 1, 6: 3 }), bag({ 2: 2, 5: 1, 0: 1 }), bag({ 3: 1, 4: 2 })];
  const tau = 0.5;
  const work = new Work(7, 5);
  contrastiveGradient(encoder, queries, documents, tau, work);
  const analytic = new Map<number, { vector: number[]; weight: number }>();
  for (let s = 0; s < work.rowCount; s++) {
    analytic.set(work.rows[s]!, { vector: Array.from(work.grads.subarray(s * 5, s * 5 + 5)), weight: work.weightGrads[s]! });
  }
  const loss = () => contrastiveGradient(encoder, queries, documents, tau, new Work(7, 5));
  const h = 1e-3;
  const numeric = (array: Float32Array, i: number) => {
    const kept = array[i]!;
    array[i] = kept + h;
    const up = loss();
    array[i] = kept - h;
    const down = loss();
    array[i] = kept;
    return (up - down) / (2 * h);
  };
  for (let token = 0; token < 7; token++) {
    const expected = analytic.get(token)!;
    for (let c = 0; c < 5; c++)
      assert.ok(Math.abs(numeric(encoder.vectors, token * 5 + c) - expected.vector[c]!) < 2e-3, `vector ${token}.${c}`);
    assert.ok(Math.abs(numeric(encoder.weights, token) - expected.weight) < 2e-3, `weight ${token}`);
  }
});

test('training pulls a paper’s title toward its own abstract and away from the others', () => {
  // Two topics of three words each; each paper's title and sentences use its topic's words.
  const topics = [
    [0, 1, 2],
    [3, 4, 5],
  ];
  const next = random(7);
  const papers: TrainingPaper[] = Array.from({ length: 64 }, (_, i) => {
    const words = topics[i % 2]!;
    const pick = () => bag({ [words[Math.floor(next() * 3)]!]: 1, [words[Math.floor(next() * 3)]!]: 1 });
    return trainingPaper(pick(), [pick(), pick(), pick()]);
  });
  const encoder = tinyEncoder(6, 4, 11);
  const before = contrastiveGradient(
    encoder,
    papers.map((p) => p.title),
    papers.map((p) => sentencesBag(p, (k) => k === 0)),
    0.1,
    new Work(6, 4),
  );
  const losses = trainContrastive(encoder, papers, {
    epochs: 20,
    batch: 16,
    temperature: 0.1,
    learningRate: 0.05,
    weightLearningRate: 0.05,
    seed: 1,
  });
  const after = contrastiveGradient(
    encoder,
    papers.map((p) => p.title),
    papers.map((p) => sentencesBag(p, (k) => k === 0)),
    0.1,
    new Work(6, 4),
  );
  assert.ok(losses.at(-1)! < losses[0]!, `the loss falls over the epochs: ${losses.map((l) => l.toFixed(2)).join(' ')}`);
  assert.ok(after < before, `and on the pairs themselves: ${before.toFixed(3)} → ${after.toFixed(3)}`);
});
