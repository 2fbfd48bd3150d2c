// The paper as every layer sees it: what a source hands over (PaperRecord), what is stored and shown
// (Paper, with its Listing), and how lists sort. Plain types only, so storage, the domain and the
// pages all speak of the same thing without importing one another.

/** Which day's list a paper is on, who put it there, and its votes (docs/architecture.md). */
export interface Listing {
  day: string;
  dayEstimated: boolean; // computed from the v1 time, not seen on a list
  source: string;
  submittedBy: string | null;
  listedAt: string;
  upvotes: number;
  picked: boolean; // a moderator picked it for the list's lead
}

/** What every source can tell about a paper, and what we keep of it. */
export interface PaperFields {
  arxivId: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[]; // primary first
  comment: string | null;
  journalRef: string | null;
  doi: string | null;
  reportNo: string | null;
  license: string | null;
  publishedAt: string | null; // first version (v1)
  arxivUpdatedOn: string | null;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null; // an AI-written one-line summary (Hugging Face's, or generated: `paperboy summarize`)
  aiKeywords: string[];
  organization: string | null; // the organization that claimed the paper on the source
}

export interface Paper extends PaperFields {
  id: number; // the row's key, for the tables that refer to papers
  aiSummaryBy: string | null; // who wrote the AI summary and keywords: Hugging Face, or the SUMMARY_MODEL
  version: number;
  primaryCategory: string | null;
  createdAt: string;
  updatedAt: string; // any change to what is shown of the paper, its listing included
  listing: Listing | null;
  numComments: number; // visible comments: not deleted, not hidden
}

export type ListSort = 'upvotes' | 'publishedAt';

export interface ListingRecord {
  day: string;
  /** True when the day was computed from the v1 time rather than seen on a list (docs/architecture.md). */
  estimated: boolean;
  source: 'arxiv' | 'huggingface';
  submittedBy: string | null;
  listedAt: string;
  upvotes: number;
}

export interface PaperRecord extends PaperFields {
  version: number | null; // null: the source does not say
  listing: ListingRecord | null;
}
