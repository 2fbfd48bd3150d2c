// Abstracts as arXiv gives them: hard line breaks at 80 columns, paragraphs starting with an indented
// line, and inline LaTeX between $…$, $$…$$, \(…\) or \[…\]. Math is rendered to HTML by KaTeX on
// the server; whatever KaTeX refuses (bad TeX, hostile macro loops) is shown as the source text,
// escaped, so a broken formula never breaks a page.
import katex from 'katex';
import { escapeHtml } from '../util/html.ts';

/** Inline and display math as arXiv abstracts (and people) write it. */
export const MATH = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$((?:\\\$|[^$])+?)\$/g;
const MAX_FORMULA = 2_000;

/** Splits an abstract into paragraphs, each on one line. */
export function paragraphs(text: string): string[] {
  return text
    .trim()
    .split(/\n[ \t]+|\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
}

/**
 * HTML for one paragraph: text escaped, formulas rendered, and, given `highlight`, its matches in the
 * text (not in formulas) wrapped in <mark>.
 */
export function renderTex(text: string, highlight?: RegExp): string {
  const plain = (t: string) => (highlight ? markMatches(t, highlight) : escapeHtml(t));
  let html = '';
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    const display = m[1] !== undefined || m[2] !== undefined;
    const formula = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    html += plain(text.slice(last, m.index)) + renderFormula(formula, display, m[0]);
    last = m.index + m[0].length;
  }
  return html + plain(text.slice(last));
}

function markMatches(text: string, pattern: RegExp): string {
  let html = '';
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    html += `${escapeHtml(text.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

// KaTeX caps sizes at maxSize but not below zero: \raisebox{-5000em}{x} made a page 98,000 px
// tall and \kern{-1000em} moved text off-screen. Negative sizes are held to about 10em, in each unit.
const NEGATIVE_LIMIT: Record<string, number> = {
  em: 10,
  ex: 20,
  mu: 180,
  pt: 100,
  bp: 100,
  px: 100,
  dd: 94,
  pc: 8.4,
  cc: 7.8,
  mm: 35,
  cm: 3.5,
  in: 1.4,
  sp: 6_553_600,
};
const SIZE = /((?:[+-]\s*)+)(\d*\.?\d+)\s*(em|ex|mu|pt|bp|px|dd|pc|cc|mm|cm|in|sp)(?![a-z])/gi;

/** The formula with every negative size held to NEGATIVE_LIMIT (TeX reads any run of signs; an odd number of minuses is negative). */
export function capNegativeSizes(formula: string): string {
  return formula.replace(SIZE, (whole, signs: string, value: string, unit: string) => {
    if ((signs.match(/-/g)?.length ?? 0) % 2 === 0) return whole;
    const limit = NEGATIVE_LIMIT[unit.toLowerCase()]!;
    return Number(value) > limit ? `-${limit}${unit}` : whole;
  });
}

function renderFormula(formula: string, displayMode: boolean, source: string): string {
  if (formula.length > MAX_FORMULA) return escapeHtml(source);
  try {
    return katex.renderToString(capNegativeSizes(formula), {
      displayMode,
      throwOnError: true,
      strict: 'ignore',
      trust: false, // no \href, \url, \includegraphics, \htmlClass …
      maxExpand: 500, // a macro bomb fails fast instead of hanging the request
      maxSize: 20,
    });
  } catch {
    return `<span class="tex-fallback">${escapeHtml(source)}</span>`;
  }
}

/**
 * The first `max` characters or so of an abstract as one paragraph, cut at a word boundary outside any
 * formula, so that the snippet still renders.
 */
export function snippet(text: string, max: number): string {
  const flat = paragraphs(text).join(' ');
  if (flat.length <= max) return flat;
  let cut = flat.lastIndexOf(' ', max);
  for (const m of flat.matchAll(MATH)) {
    if (m.index < cut && m.index + m[0].length > cut) cut = m.index; // never cut inside a formula
  }
  return `${flat.slice(0, Math.max(cut, 0)).trimEnd()}…`;
}

/** Plain text for meta descriptions: formulas keep their TeX source without the delimiters. */
export function texToText(text: string): string {
  return paragraphs(text)
    .join(' ')
    .replace(MATH, (_m, a, b, c, d) => (a ?? b ?? c ?? d ?? '').trim());
}
