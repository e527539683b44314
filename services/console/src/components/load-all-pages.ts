/** One page of a list as the API answers it (api.md: `?limit=&cursor=` → `{items, nextCursor}`). */
interface Page<Item> {
  items: Item[];
  nextCursor?: string | null;
}

/** The largest page the API serves (`limit` 1..100): fewest round trips. */
export const LARGEST_PAGE = 100;

/**
 * Every item of a paged list, following nextCursor page after page: for lists a screen needs whole (a
 * course's roster may hold 10,000 seats, far beyond one page). The first failed page fails it all, with
 * that page's error.
 */
export async function loadAllPages<Item>(load: (cursor: string | undefined) => Promise<{ data?: Page<Item>; error?: unknown }>): Promise<{ data: Item[]; error?: undefined } | { data?: undefined; error: unknown }> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { data, error } = await load(cursor);
    if (!data) return { error };
    items.push(...data.items);
    // A cursor that does not move on would loop forever: stop at what has been read.
    if (!data.nextCursor || data.nextCursor === cursor) return { data: items };
    cursor = data.nextCursor;
  }
}
