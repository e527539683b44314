import { useCallback, useEffect, useRef, useState } from 'react';
import { problemOf, type Problem } from '../api/client';

interface Page<Item> {
  items: Item[];
  nextCursor?: string | null;
}

/**
 * A list read page by page (api.md: `?limit=&cursor=` → `{items, nextCursor}`): the first page when the
 * key (the filters) changes, the next one appended on `more()`. Only the latest request's answer counts
 * (one for filters typed a moment ago may land after one for those typed now), and `more()` does nothing
 * while a page is on its way, so a double click never appends the same page twice. A first page that fails
 * (a filter refused, no answer) leaves no rows and no next page: the rows of the filters before would read
 * as the new filters' beneath the error, and their next page would continue the other query. A next page
 * that fails keeps the rows shown, and the button to try it again.
 */
export function useCursorList<Item>(key: string, load: (cursor: string | undefined) => Promise<{ data?: Page<Item>; error?: unknown }>) {
  const [items, setItems] = useState<Item[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const latestRequest = useRef(0);
  // Read by more() at once: the `loading` state reaches it only with the next render.
  const pageOnItsWay = useRef(false);

  const fetchPage = useCallback(
    async (cursor: string | undefined, append: boolean) => {
      const request = ++latestRequest.current;
      pageOnItsWay.current = true;
      setLoading(true);
      const { data, error } = await load(cursor).catch((failure: unknown) => ({ data: undefined, error: failure }));
      if (request !== latestRequest.current) return;
      pageOnItsWay.current = false;
      setLoading(false);
      if (!data) {
        setProblem(problemOf(error));
        if (!append) {
          setItems([]);
          setNextCursor(null);
        }
        return;
      }
      setProblem(null);
      setItems((current) => (append ? [...current, ...data.items] : data.items));
      setNextCursor(data.nextCursor ?? null);
    },
    [key],
  );

  useEffect(() => {
    void fetchPage(undefined, false);
  }, [fetchPage]);

  const more = () => (nextCursor && !pageOnItsWay.current ? fetchPage(nextCursor, true) : undefined);
  return { items, loading, problem, hasMore: nextCursor !== null, more, reload: () => fetchPage(undefined, false) };
}
