// Email addresses as this site keeps them: lower-cased and trimmed, and checked just enough to be
// deliverable-looking (the confirmation mail is the real check).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** What is wrong with an address, or null. */
export function emailProblem(email: string): string | null {
  return EMAIL.test(email) && email.length <= 254 ? null : 'That does not look like an email address.';
}
