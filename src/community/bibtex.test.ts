import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Paper } from '../model/paper.ts';
import { bibText, bibtexEntry, bibtexFile, citationKey, texAccents } from './bibtex.ts';

function paper(fields: Partial<Paper>): Paper {
  return {
    id: 1,
    arxivId: '1706.03762',
    version: 7,
    title: 'Attention Is All You Need',
    abstract: '',
    authors: ['Ashish Vaswani', 'Noam Shazeer'],
    categories: ['cs.CL', 'cs.LG'],
    primaryCategory: 'cs.CL',
    comment: null,
    journalRef: null,
    doi: null,
    reportNo: null,
    license: null,
    publishedAt: '2017-06-12T17:57:34Z',
    arxivUpdatedOn: null,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: null,
    aiSummaryBy: null,
    aiKeywords: [],
    organization: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    listing: null,
    numComments: 0,
    ...fields,
  };
}

test("an entry in arXiv's form, with the usual citation key", () => {
  assert.equal(
    bibtexEntry(paper({})),
    [
      '@misc{vaswani2017attention,',
      '  title         = {Attention Is All You Need},',
      '  author        = {Ashish Vaswani and Noam Shazeer},',
      '  year          = {2017},',
      '  eprint        = {1706.03762},',
      '  archivePrefix = {arXiv},',
      '  primaryClass  = {cs.CL},',
      '  url           = {https://arxiv.org/abs/1706.03762}',
      '}',
      '',
    ].join('\n'),
  );
  assert.equal(citationKey(paper({ authors: ['Émilie du Châtelet'], title: 'On the $\\alpha$ of Things' })), 'chatelet2017things');
  assert.match(
    bibtexEntry(paper({ arxivId: 'hep-th/9901001', doi: '10.1000/x_y', journalRef: 'Phys. Rev. D 1 (1999) 1' })),
    /eprint += \{hep-th\/9901001\},[\s\S]*doi += \{10\.1000\/x\\_y\},\n {2}note += \{Phys\. Rev\. D 1 \(1999\) 1\}/,
  );
});

test('TeX survives, specials outside math are escaped, unbalanced braces cannot break the entry', () => {
  assert.equal(bibText('Bounds on $\\alpha_1$-divergences: 50% & more #1_a'), 'Bounds on $\\alpha_1$-divergences: 50\\% \\& more \\#1\\_a');
  assert.equal(bibText('Already escaped \\& fine'), 'Already escaped \\& fine');
  assert.equal(bibText('An {unclosed brace'), 'An \\{unclosed brace');
  assert.equal(bibText('Balanced {Braces} stay'), 'Balanced {Braces} stay');
  assert.equal(
    bibText('BERT and GPT-4 on KV-cache for LLMs, not Pre-training', { protectCase: true }),
    '{BERT} and {GPT-4} on {KV-cache} for {LLMs}, not Pre-training',
  );
  assert.equal(bibText('multi\n  line'), 'multi line');
});

test('accented names become TeX accents; other scripts stay as they are', () => {
  assert.equal(texAccents('Émilie du Châtelet'), "{\\'E}milie du Ch{\\^a}telet");
  assert.equal(
    texAccents('Łukasz Kaiser, Søren, Dvořák, Ştefan, Müller, Ñ'),
    '{\\L}ukasz Kaiser, S{\\o}ren, Dvo{\\v{r}}{\\\'a}k, {\\c{S}}tefan, M{\\"u}ller, {\\~N}',
  );
  assert.equal(texAccents('Zoë, naïve ï'), 'Zo{\\"e}, na{\\"{\\i}}ve {\\"{\\i}}');
  assert.equal(texAccents('张伟 and Иван'), '张伟 and Иван');
});

test('a whole list gets unique keys', () => {
  const file = bibtexFile([paper({}), paper({ arxivId: '1706.99999' }), paper({ arxivId: '1706.99998' })]);
  assert.deepEqual(
    [...file.matchAll(/@misc\{([^,]+),/g)].map((m) => m[1]),
    ['vaswani2017attention', 'vaswani2017attentiona', 'vaswani2017attentionb'],
  );
});
