// A small library spread over days with gaps between them, for page and API tests: two real arXiv
// daily listings, one real Hugging Face response of each schema generation, and hand-made papers for
// what real data rarely has (old-style ids, hostile titles, broken TeX).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPaths } from '../importer/import.ts';
import type { Database } from '../storage/db.ts';
import { datasetPath } from './datasets.ts';

/** Days with papers, in order: the lists the fixtures make. */
export const FIXTURE_DAYS = ['2024-05-27', '2025-03-18', '2025-06-16', '2026-07-01', '2026-08-21'];

export const MATH_PAPER = '2607.00002';
export const OLD_STYLE_PAPER = 'hep-th/9901001';

export async function loadFixtures(database: Database): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-fixtures-'));
  const made = [
    {
      id: MATH_PAPER,
      title: 'Bounds on $\\alpha$-divergences <script>alert("title")</script>',
      authors: ['Ada Lovelace', 'Émilie du Châtelet'],
      categories: ['cs.LG', 'math.ST'],
      summary:
        'We prove that $\\sum_{i=1}^n x_i^2 \\le \\frac{1}{2}$ holds, while\n$\\frac{1}{$ is broken TeX and\n<img src=x onerror=alert(1)> is hostile text.\n  A second paragraph with $$E = mc^2$$ on display.',
      comment: null,
      abs: 'https://arxiv.org/abs/2607.00002',
      listing_date: '2026-07-01',
    },
    {
      id: OLD_STYLE_PAPER,
      title: 'An old-style identifier',
      authors: ['P. Physicist'],
      categories: ['hep-th'],
      summary: 'Strings.',
      comment: null,
      abs: 'https://arxiv.org/abs/hep-th/9901001',
      listing_date: '2025-03-18',
    },
  ];
  writeFileSync(join(dir, 'made.jsonl'), made.map((p) => JSON.stringify(p)).join('\n'));
  await importPaths(database, [
    datasetPath('arxiv-daily-cs/raw-sample/2025-03-18.jsonl'),
    datasetPath('arxiv-daily-cs/raw-sample/2026-07-01.jsonl'),
    datasetPath('hf-daily-papers/raw-sample'),
    join(dir, 'made.jsonl'),
  ]);
}
