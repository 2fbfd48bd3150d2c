// Papers in the shape of Hugging Face's public papers API (the 2026 generation of
// GET /api/daily_papers), so that a client written for huggingface.co works against us. As HF does,
// absent values are left out rather than sent as null. Fields that only HF's platform has (AI
// summaries, organisations, media) are not sent; HF's own older responses lack them too.
import { createHash } from 'node:crypto';
import type { Paper } from '../model/paper.ts';

/** A stable 24-hex id, the form HF uses for `_id` fields. */
function objectId(...parts: (string | number)[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('hex').slice(0, 24);
}

/** Who put a paper on its list: a person, or for an ingest source the source's name. */
function submitter(paper: Paper) {
  const name = paper.listing?.submittedBy ?? paper.listing?.source ?? 'arxiv';
  return { _id: objectId('user', name), avatarUrl: null, fullname: name, name, user: name, type: 'user', isPro: false };
}

/** When the paper went on its list: the listing's time, or the list's day when that time is earlier (a v1 time, for a paper listed days later). */
function onListAt(paper: Paper): string {
  const listing = paper.listing;
  if (!listing) return paper.createdAt;
  return listing.listedAt.slice(0, 10) >= listing.day ? listing.listedAt : `${listing.day}T00:00:00.000Z`;
}

export function hfPaper(paper: Paper, publicUrl: string) {
  const publishedAt = paper.publishedAt ?? paper.listing?.listedAt ?? paper.createdAt;
  const by = submitter(paper);
  return {
    id: paper.arxivId,
    authors: paper.authors.map((name, i) => ({ _id: objectId(paper.arxivId, i), name, hidden: false })),
    publishedAt,
    submittedOnDailyAt: onListAt(paper),
    title: paper.title,
    submittedOnDailyBy: { _id: by._id, avatarUrl: null, isPro: false, fullname: by.fullname, user: by.user, type: by.type, name: by.name },
    summary: paper.abstract,
    upvotes: paper.listing?.upvotes ?? 0,
    discussionId: objectId('discussion', paper.arxivId),
    numComments: paper.numComments,
    ...(paper.projectPage && { projectPage: paper.projectPage }),
    ...(paper.githubRepo && { githubRepo: paper.githubRepo }),
    ...(paper.githubStars !== null && { githubStars: paper.githubStars }),
    ...(paper.aiSummary && { ai_summary: paper.aiSummary }),
    ...(paper.aiKeywords.length > 0 && { ai_keywords: paper.aiKeywords }),
    // Ours, beyond HF's shape: where to read it and what it is filed under.
    url: `${publicUrl}/papers/${paper.arxivId}`,
    categories: paper.categories,
    ...(paper.listing && { listedOn: paper.listing.day }),
  };
}

export function hfDailyItem(paper: Paper, publicUrl: string) {
  const p = hfPaper(paper, publicUrl);
  const by = submitter(paper);
  return {
    paper: p,
    publishedAt: p.publishedAt,
    title: paper.title,
    summary: paper.abstract,
    thumbnail: `${publicUrl}/papers/${paper.arxivId}/thumbnail.svg`,
    numComments: paper.numComments,
    submittedBy: { ...by, isHf: false, isHfAdmin: false, isMod: false, followerCount: 0, isUserFollowing: false },
    isAuthorParticipating: false,
  };
}
