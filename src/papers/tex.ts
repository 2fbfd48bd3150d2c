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
  const plain = (t: string) => textCommands(highlight ? markMatches(t, highlight) : escapeHtml(t));
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
  return plainCommands(
    paragraphs(text)
      .join(' ')
      .replace(MATH, (_m, a, b, c, d) => (a ?? b ?? c ?? d ?? '').trim()),
  );
}

/**
 * A title as plain text, for where no HTML goes (feed titles): its formulas as characters rather
 * than TeX. (An abstract keeps its TeX there: long formulas read better as TeX than flattened.)
 */
export function titleText(title: string): string {
  return plainCommands(title.replace(/\s+/g, ' ').replace(MATH, (_m, a, b, c, d) => mathToText((a ?? b ?? c ?? d ?? '').trim()))).trim();
}

// Text-mode commands that abstracts use outside math (132 of the 74.7k): \emph{…}, \textbf{…}.
const TEXT_COMMAND = /\\(emph|textit|textbf|texttt|textsc|textrm|textsf|text|mbox|underline)\{([^{}]*)\}/g;
const TEXT_TAGS: Record<string, [string, string]> = {
  emph: ['<em>', '</em>'],
  textit: ['<em>', '</em>'],
  textbf: ['<strong>', '</strong>'],
  texttt: ['<code>', '</code>'],
};

/** Escaped text with its text-mode commands as HTML (the braces' content was escaped with the rest). */
function textCommands(html: string): string {
  return html.replace(TEXT_COMMAND, (_m, command: string, content: string) => {
    const [open, close] = TEXT_TAGS[command] ?? ['', ''];
    return open + content + close;
  });
}

function plainCommands(text: string): string {
  return text.replace(TEXT_COMMAND, (_m, _command: string, content: string) => content);
}

const SYMBOLS: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  times: '×',
  cdot: '·',
  le: '≤',
  leq: '≤',
  ge: '≥',
  geq: '≥',
  neq: '≠',
  ne: '≠',
  approx: '≈',
  sim: '~',
  infty: '∞',
  pm: '±',
  to: '→',
  rightarrow: '→',
  leftarrow: '←',
  in: '∈',
  ell: 'ℓ',
  partial: '∂',
  sum: '∑',
  prod: '∏',
  sqrt: '√',
  log: 'log',
  exp: 'exp',
  ldots: '…',
  cdots: '…',
  dots: '…',
  prime: '′',
  circ: '∘',
  star: '⋆',
  ast: '∗',
};

/**
 * A formula as plain text, for where no HTML goes (feed titles): font commands give their letters
 * ({\mathbb R}^{12} → R^12, \mathrm{O}(2) → O(2)), common symbols their characters.
 */
function mathToText(formula: string): string {
  return formula
    .replace(
      /\\(?:mathbb|mathrm|mathcal|mathbf|mathit|mathsf|mathfrak|boldsymbol|bm|operatorname|text|textrm|textbf|mbox)\s*(?:\{([^{}]*)\}|([A-Za-z0-9]))/g,
      (_m, a, b) => a ?? b,
    )
    .replace(/\\([A-Za-z]+)/g, (_whole, name: string) => SYMBOLS[name] ?? name)
    .replace(/\\(.)/g, '$1')
    .replace(/[{}]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
