import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractArxivId, parseArxivId } from './ids.ts';

test('new-style ids, with and without version', () => {
  assert.deepEqual(parseArxivId('2301.00001'), { id: '2301.00001', version: null });
  assert.deepEqual(parseArxivId('2301.00001v3'), { id: '2301.00001', version: 3 });
  assert.deepEqual(parseArxivId('0704.0001'), { id: '0704.0001', version: null });
  assert.deepEqual(parseArxivId('1412.9999v2'), { id: '1412.9999', version: 2 });
});

test('old-style ids keep their archive and subject class', () => {
  assert.deepEqual(parseArxivId('hep-th/9901001'), { id: 'hep-th/9901001', version: null });
  assert.deepEqual(parseArxivId('math.GT/0309136v2'), { id: 'math.GT/0309136', version: 2 });
  assert.deepEqual(parseArxivId('cs/0112017'), { id: 'cs/0112017', version: null });
});

test('malformed ids are refused', () => {
  for (const bad of [
    '',
    '2301.1',
    '2313.00001',
    '1501.1234',
    '1412.12345',
    'hep-th/99010',
    'HEP-TH/9901001',
    '2301.00001v',
    '../etc/passwd',
    '2301.00001 OR 1=1',
  ]) {
    assert.equal(parseArxivId(bad), null, bad);
  }
});

test('what people paste: arXiv: prefix and abs, pdf and html URLs', () => {
  assert.equal(extractArxivId('arXiv:2301.00001v2')?.id, '2301.00001');
  assert.equal(extractArxivId('https://arxiv.org/abs/2301.00001')?.id, '2301.00001');
  assert.equal(extractArxivId('https://arxiv.org/pdf/2301.00001v1.pdf')?.version, 1);
  assert.equal(extractArxivId('arxiv.org/abs/hep-th/9901001')?.id, 'hep-th/9901001');
  assert.equal(extractArxivId('https://example.org/abs/2301.00001'), null);
});
