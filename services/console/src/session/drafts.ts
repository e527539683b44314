/**
 * What a page keeps in this tab's sessionStorage while it is being typed (the results grid's unsaved
 * scores): under the signed-in user, so on a shared computer the next clerk never sees the one before's,
 * and cleared when a user signs out. A session that ended by itself (its renewal refused) keeps them: the
 * same clerk signing in again finds their draft.
 */
const PREFIX = 'skills.draft.';
/** Where the results grid kept its drafts before they were kept per user: cleared too. */
const UNKEYED_PREFIX = 'skills.resultsDraft.';

export const draftKey = (userId: string, name: string): string => `${PREFIX}${userId}.${name}`;

export function clearDrafts(): void {
  const keys = Array.from({ length: sessionStorage.length }, (_, index) => sessionStorage.key(index)).filter((key): key is string => key !== null);
  for (const key of keys) if (key.startsWith(PREFIX) || key.startsWith(UNKEYED_PREFIX)) sessionStorage.removeItem(key);
}
