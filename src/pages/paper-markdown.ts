// A paper as Markdown (`/papers/{id}.md`), what Hugging Face's `read_paper` client asks for: title,
// authors, the links and dates, and the abstract with its math left as TeX.
import type { Paper } from '../model/paper.ts';

/**
 * What would make a title or a name into a link, HTML or code, escaped. TeX's own characters
 * (backslash, _, ^, *) stay as they are: the math reads as TeX, as the abstract's does.
 */
function escape(text: string): string {
  return text.replace(/([`[\]<>|])/g, '\\$1');
}

export function paperMarkdown(paper: Paper, publicUrl: string): string {
  const abs = `https://arxiv.org/abs/${paper.arxivId}`;
  const facts = [
    `- **Authors:** ${escape(paper.authors.join(', '))}`,
    `- **arXiv:** [${paper.arxivId}](${abs}) · [PDF](https://arxiv.org/pdf/${paper.arxivId})`,
    paper.publishedAt && `- **Published:** ${paper.publishedAt.slice(0, 10)}`,
    paper.listing && `- **On the list of:** ${paper.listing.day} · ${paper.listing.upvotes} upvotes`,
    paper.categories.length > 0 && `- **Categories:** ${paper.categories.join(', ')}`,
    paper.githubRepo && `- **Code:** <${paper.githubRepo}>`,
    paper.projectPage && `- **Project page:** <${paper.projectPage}>`,
    paper.aiSummary && `- **AI summary** (${escape(paper.aiSummaryBy ?? 'Hugging Face')}): ${escape(paper.aiSummary)}`,
    `- **On ${new URL(publicUrl).host}:** <${publicUrl}/papers/${paper.arxivId}>`,
  ].filter(Boolean);
  const abstract = paper.abstract.replace(/\s*\n\s*/g, ' ').trim();
  return `# ${escape(paper.title.replace(/\s+/g, ' '))}\n\n${facts.join('\n')}\n\n## Abstract\n\n${abstract}\n`;
}
