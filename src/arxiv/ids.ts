// arXiv identifiers. Two schemes exist (https://info.arxiv.org/help/arxiv_identifier.html):
//   new style since 2007: YYMM.NNNN (to 2014) or YYMM.NNNNN (from 2015), e.g. 2301.00001
//   old style before:     archive[.SUBJECT]/YYMMNNN,                 e.g. hep-th/9901001, math.GT/0309136
// Either may carry a version suffix (v2). We store the id without it and the version as a number.

export interface ArxivId {
  id: string;
  version: number | null;
}

const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*)(\.[A-Z]{2})?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/;

/** Parses a bare id (`2301.00001v2`, `hep-th/9901001`), or returns null when it is not one. */
export function parseArxivId(input: string): ArxivId | null {
  const text = input.trim();
  const n = NEW_STYLE.exec(text);
  if (n) {
    const [, , mm, number, v] = n;
    const month = Number(mm);
    // Five-digit numbers started in 1501; four-digit ones ended in 1412.
    const fiveDigits = Number(text.slice(0, 4)) >= 1501;
    if (month < 1 || month > 12 || (number!.length === 5) !== fiveDigits) return null;
    return { id: text.replace(/v\d+$/, ''), version: v ? Number(v) : null };
  }
  const o = OLD_STYLE.exec(text);
  if (o) {
    const [, , , , mm, , v] = o;
    const month = Number(mm);
    if (month < 1 || month > 12) return null;
    return { id: text.replace(/v\d+$/, ''), version: v ? Number(v) : null };
  }
  return null;
}

/**
 * Accepts what people paste: a bare id, `arXiv:2301.00001`, or an arxiv.org abs/pdf/html URL.
 * Returns null for anything else.
 */
export function extractArxivId(input: string): ArxivId | null {
  let text = input.trim().replace(/^arxiv:/i, '');
  const url = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i.exec(text);
  if (url) text = decodeURIComponent(url[1]!);
  return parseArxivId(text);
}

export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function pdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}

/** An arXiv category (cs.CL, math.AG, hep-th) or archive (cs). */
export function isCategory(text: string): boolean {
  return /^[a-z-]+(\.[A-Za-z-]+)?$/.test(text);
}

/** Whether a paper's categories meet the filter: one of them, or its archive, is wanted; any when none is. */
export function inAnyCategory(categories: string[], wanted: string[]): boolean {
  return wanted.length === 0 || categories.some((c) => wanted.includes(c) || wanted.includes(c.split('.')[0]!));
}
