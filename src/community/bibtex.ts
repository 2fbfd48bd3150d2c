// BibTeX for a paper or a whole reading list, in the form arXiv's own export uses (@misc with
// eprint, archivePrefix, primaryClass), made safe for classic BibTeX:
//   - TeX in titles is kept (it is what the authors wrote); outside math, the characters TeX treats
//     as special (& % # _) are escaped, and braces are kept only when they balance;
//   - words with capitals after their first letter (BERT, GPT-4, LaTeX) are braced, so styles that
//     lower-case titles leave them alone;
//   - accented letters become TeX accents ({\"u}, {\l}), which every BibTeX reads; other scripts
//     stay UTF-8, for biber and modern BibTeX.
import type { Paper } from '../model/paper.ts';

const ACCENTS: Record<string, string> = {
  '\u0300': '`',
  '\u0301': "'",
  '\u0302': '^',
  '\u0303': '~',
  '\u0304': '=',
  '\u0306': 'u',
  '\u0307': '.',
  '\u0308': '"',
  '\u030a': 'r',
  '\u030b': 'H',
  '\u030c': 'v',
  '\u0327': 'c',
  '\u0328': 'k',
  '\u0323': 'd',
};
const LETTERS: Record<string, string> = {
  ł: '\\l',
  Ł: '\\L',
  ø: '\\o',
  Ø: '\\O',
  ß: '\\ss',
  æ: '\\ae',
  Æ: '\\AE',
  œ: '\\oe',
  Œ: '\\OE',
  ı: '\\i',
  đ: '\\dj',
  Đ: '\\DJ',
  þ: '\\th',
  Þ: '\\TH',
};

/** Latin letters with accents as TeX accent commands; anything else unchanged. */
export function texAccents(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (LETTERS[char]) {
      out += `{${LETTERS[char]}}`;
      continue;
    }
    const [base, ...marks] = char.normalize('NFD');
    if (marks.length === 0 || !/[A-Za-z]/.test(base!) || !marks.every((m) => ACCENTS[m])) {
      out += char;
      continue;
    }
    // {\"u}; a letter under several accents nests them: {\^{\'e}} is rare but valid.
    let inner = base === 'i' ? '\\i' : base === 'j' ? '\\j' : base!;
    for (const m of marks)
      inner = /^[A-Za-z]$/.test(ACCENTS[m]!) ? `\\${ACCENTS[m]}{${inner}}` : `\\${ACCENTS[m]}${inner.length > 1 ? `{${inner}}` : inner}`;
    out += `{${inner}}`;
  }
  return out;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A field value that BibTeX reads back as written: specials escaped outside math, braces balanced. */
export function bibText(text: string, { protectCase = false } = {}): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const keepBraces = balanced(oneLine);
  // Split into math ($…$) and text; math is left exactly as written.
  const parts = oneLine.split(/(\$[^$]*\$)/);
  return parts
    .map((part) => {
      if (part.startsWith('$') && part.endsWith('$') && part.length > 1) return part;
      let t = part.replace(/(^|[^\\])([&%#_])/g, '$1\\$2').replace(/(^|[^\\])([&%#_])/g, '$1\\$2');
      if (!keepBraces) t = t.replace(/(^|[^\\])([{}])/g, '$1\\$2');
      t = texAccents(t);
      if (protectCase)
        t = t.replace(/(^|[\s(/])([A-Za-z][\w-]*)/g, (m, pre: string, word: string) =>
          /[A-Z]/.test(word.slice(1)) ? `${pre}{${word}}` : m,
        );
      return t;
    })
    .join('');
}

function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[łŁ]/g, 'l')
    .replace(/[øØ]/g, 'o')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const STOP = new Set([
  'a',
  'an',
  'the',
  'on',
  'of',
  'for',
  'in',
  'to',
  'and',
  'with',
  'towards',
  'toward',
  'via',
  'is',
  'are',
  'do',
  'does',
  'how',
  'what',
  'why',
  'when',
]);

/** A citation key in the usual form: first author's last name, year, first real title word (vaswani2017attention). */
export function citationKey(paper: Paper): string {
  const last = ascii(paper.authors[0]?.trim().split(/\s+/).at(-1) ?? '') || 'anon';
  const year = (paper.publishedAt ?? paper.createdAt).slice(0, 4);
  const word =
    paper.title
      .replace(/\$[^$]*\$/g, ' ')
      .split(/[\s:,.;!?()-]+/)
      .map(ascii)
      .find((w) => w.length > 1 && !STOP.has(w)) ?? 'paper';
  return `${last}${year}${word}`;
}

export function bibtexEntry(paper: Paper, key = citationKey(paper)): string {
  const fields: [string, string][] = [
    ['title', bibText(paper.title, { protectCase: true })],
    ['author', paper.authors.map((a) => bibText(a)).join(' and ')],
    ['year', (paper.publishedAt ?? paper.createdAt).slice(0, 4)],
    ['eprint', paper.arxivId],
    ['archivePrefix', 'arXiv'],
  ];
  if (paper.primaryCategory) fields.push(['primaryClass', paper.primaryCategory]);
  if (paper.doi) fields.push(['doi', bibText(paper.doi)]);
  if (paper.journalRef) fields.push(['note', bibText(paper.journalRef)]);
  fields.push(['url', `https://arxiv.org/abs/${paper.arxivId}`]);
  const width = Math.max(...fields.map(([k]) => k.length));
  return `@misc{${key},\n${fields.map(([k, v]) => `  ${k.padEnd(width)} = {${v}}`).join(',\n')}\n}\n`;
}

/** Entries for several papers, with keys made unique (vaswani2017attention, vaswani2017attentiona …). */
export function bibtexFile(papers: Paper[]): string {
  const seen = new Map<string, number>();
  return papers
    .map((p) => {
      const base = citationKey(p);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return bibtexEntry(p, n === 0 ? base : `${base}${String.fromCharCode(96 + Math.min(n, 26))}`);
    })
    .join('\n');
}
