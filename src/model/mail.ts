// Who gets a digest and what was mailed: what the digest code keeps and the settings and operator
// pages show.

export interface Subscriber {
  id: number;
  email: string;
  status: 'pending' | 'confirmed' | 'unsubscribed' | 'bounced';
  frequency: 'daily' | 'weekly';
  top_n: number;
  topics: string[];
  for_you: boolean; // a member's digest that leads with their own ranking
  created_at: string;
  confirmed_at: string | null;
  changed_at: string;
}

/** One mail in the outbox, as the operator's outbox page lists it. */
export interface OutboxEntry {
  recipient: string;
  subject: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
