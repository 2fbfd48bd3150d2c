// A paper's thumbnail: a title card drawn as SVG, so that the API's `thumbnail` (which Hugging Face
// clients show) points at a real image without storing or fetching any.
import type { Paper } from '../../model/paper.ts';
import { escapeHtml } from '../../util/html.ts';
import { titleText } from '../../papers/tex.ts';

const WIDTH = 1200;
const HEIGHT = 630;

function wrap(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > perLine) {
      lines.push(line);
      line = word;
      if (lines.length === maxLines) break;
    } else line = line ? `${line} ${word}` : word;
  }
  if (lines.length < maxLines && line) lines.push(line);
  else if (lines.length === maxLines) lines[maxLines - 1] += ' …';
  return lines;
}

export function thumbnailSvg(paper: Paper, siteName: string): string {
  const title = wrap(titleText(paper.title), 34, 4);
  const authors = paper.authors.slice(0, 3).join(', ') + (paper.authors.length > 3 ? ` and ${paper.authors.length - 3} more` : '');
  const text = (y: number, size: number, weight: number, fill: string, s: string) =>
    `<text x="72" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeHtml(s)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif">`,
    `<rect width="100%" height="100%" fill="#0f172a"/>`,
    text(100, 30, 600, '#fbbf24', `${siteName} · arXiv:${paper.arxivId}`),
    ...title.map((line, i) => text(200 + i * 72, 58, 700, '#f8fafc', line)),
    text(560, 28, 400, '#cbd5e1', authors.slice(0, 90)),
    `</svg>`,
  ].join('');
}
