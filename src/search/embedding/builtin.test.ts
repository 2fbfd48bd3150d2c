import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bag, deserializeBuiltin, embedWithBuiltin, serializeBuiltin, terms, type BuiltinModel } from './builtin.ts';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);

test('word pairs count within a sentence, never across two', () => {
  const index = new Map(['kv', 'cach', 'kv cach', 'cach compress', 'compress'].map((t, i) => [t, i]));
  assert.deepEqual([...terms('KV caches, compressed')], ['kv', 'cach', 'compress']);
  assert.deepEqual([...bag('KV cache compression.', index).ids].sort(), [0, 1, 2, 3, 4]);
  assert.deepEqual([...bag('About the KV. Cache compression.', index).ids].sort(), [0, 1, 3, 4]); // no "kv cach" pair
});

test('stored as int8, a model embeds as it did in float32', () => {
  const model: BuiltinModel = {
    vocabulary: ['kv', 'cach', 'imag', 'kv cach'],
    weights: Float32Array.from([2, 1.5, 3, 4]),
    vectors: Float32Array.from([0.9, 0.1, 0, 0.8, 0.3, 0.1, 0, 0.2, 1, 0.5, 0.5, 0]),
    dimensions: 3,
  };
  const index = new Map(model.vocabulary.map((t, i) => [t, i]));
  const stored = deserializeBuiltin(serializeBuiltin(model));
  assert.ok(stored.vectors instanceof Int8Array);
  for (const text of ['kv cache', 'image', 'kv cache image']) {
    assert.ok(cosine(embedWithBuiltin(model, text, index), embedWithBuiltin(stored, text, index)) > 0.9999, text);
  }
});

test('an LSA model stored by an earlier version still loads and embeds', () => {
  // Format 1: a JSON header line, then idf and the word directions as float32.
  const header = Buffer.from(`${JSON.stringify({ vocabulary: ['kv', 'cach'], dimensions: 2 })}\n`);
  const pad = Buffer.alloc((4 - (header.length % 4)) % 4, 0x20);
  const floats = Float32Array.from([1, 2, 1, 0, 0, 1]);
  const model = deserializeBuiltin(Buffer.concat([header, pad, Buffer.from(floats.buffer)]));
  const index = new Map(model.vocabulary.map((t, i) => [t, i]));
  const v = embedWithBuiltin(model, 'kv cache', index);
  assert.ok(Math.abs(v[0]! - 1 / Math.sqrt(5)) < 1e-6 && Math.abs(v[1]! - 2 / Math.sqrt(5)) < 1e-6);
  assert.throws(() => deserializeBuiltin(Buffer.concat([header, pad, Buffer.from(floats.buffer).subarray(4)])), /damaged/);
});
