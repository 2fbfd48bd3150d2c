// What members are and what moderators decide, shared by storage (the column types), the domain
// (who may do what) and the pages (the forms that offer the choices).

export type Role = 'member' | 'moderator' | 'admin';

/** What a mailed one-use link does when followed (docs/accounts.md). */
export type LinkPurpose = 'verify' | 'sign-in' | 'reset' | 'email';

export type HideReason = 'spam' | 'abuse' | 'off-topic' | 'resolved';
export type ReportReason = 'spam' | 'abuse' | 'off-topic' | 'other';
export const HIDE_REASONS: readonly HideReason[] = ['spam', 'abuse', 'off-topic', 'resolved'];
export const REPORT_REASONS: readonly ReportReason[] = ['spam', 'abuse', 'off-topic', 'other'];
