import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arxivIdIn, parseQuery, QueryError, soughtWords } from './query.ts';

test('words, phrases, exclusions and fields', () => {
  assert.deepEqual(parseQuery('KV-cache compression'), {
    optional: ['kv', 'cache', 'compression'],
    required: [],
    excluded: [],
    categories: [],
  });
  assert.deepEqual(parseQuery('"mixture of experts" -survey ti:diffusion au:"Yann LeCun" cat:cs.CL'), {
    optional: [],
    required: [
      { field: 'any', words: ['mixture', 'of', 'experts'] },
      { field: 'title', words: ['diffusion'] },
      { field: 'authors', words: ['yann', 'lecun'] },
    ],
    excluded: [{ field: 'any', words: ['survey'] }],
    categories: ['cs.CL'],
  });
  assert.deepEqual(soughtWords(parseQuery('the attention of transformers')), ['attention', 'transformers']);
});

test('hostile and odd input is plain words or a clear message, never syntax', () => {
  assert.deepEqual(parseQuery('"unbalanced quote').required, [{ field: 'any', words: ['unbalanced', 'quote'] }]);
  assert.deepEqual(parseQuery('NEAR(a b) * ^title: "x" OR 1=1; DROP TABLE paper;--').optional, [
    'near',
    'b',
    'title',
    '1',
    'drop',
    'table',
  ]);
  assert.deepEqual(parseQuery('注意力 机制 🚀').optional, ['注意力', '机制']);
  assert.deepEqual(parseQuery('Ünïcödé Châtelet').optional, ['unicode', 'chatelet']); // accents folded, as the indexes do
  for (const [text, message] of [
    ['', /Type some words/],
    ['🚀 ** ^^', /Type some words/],
    ['-survey', /not only what to leave out/],
    ['the of a', /too common/],
    ['x'.repeat(10_000), /too long/],
    [Array.from({ length: 40 }, (_, i) => `"w${i}"`).join(' '), /too many phrases/],
    ['cat:"not a category"', /not an arXiv category/],
  ] as const) {
    assert.throws(
      () => parseQuery(text),
      (e: Error) => e instanceof QueryError && message.test(e.message),
      text.slice(0, 30),
    );
  }
});

test('a long question keeps its first 32 distinct meaningful words', () => {
  const question = Array.from({ length: 50 }, (_, i) => `word${i} the word${i}`).join(' ');
  assert.deepEqual(
    parseQuery(question).optional,
    Array.from({ length: 32 }, (_, i) => `word${i}`),
  );
});

test('an arXiv id or URL in the box is recognised', () => {
  assert.equal(arxivIdIn(' 2301.00001v2 '), '2301.00001');
  assert.equal(arxivIdIn('https://arxiv.org/abs/hep-th/9901001'), 'hep-th/9901001');
  assert.equal(arxivIdIn('kv cache'), null);
});

test('the words of a question or request are never searched for, only what it is about', () => {
  assert.deepEqual(parseQuery('how to make LLM inference cheaper').optional, ['llm', 'inference', 'cheaper']);
  assert.deepEqual(parseQuery('why do language models make things up').optional, ['language', 'models']);
  assert.deepEqual(parseQuery('papers about making pictures from a text description').optional, ['pictures', 'text', 'description']);
  assert.deepEqual(parseQuery('what is retrieval augmented generation?').optional, ['retrieval', 'augmented', 'generation']);
  // Quoted, they are the reader's words: a phrase keeps them.
  assert.deepEqual(parseQuery('"make it up"').required, [{ field: 'any', words: ['make', 'it', 'up'] }]);
  assert.throws(() => parseQuery('why does it do that'), /too common/);
});
