import { useCallback, useEffect, useState } from 'react';
import { problemOf, type Problem } from '../api/client';

interface Page<Item> {
  items: Item[];
  nextCursor?: string | null;
}

/**
 * A list read page by page (api.md: `?limit=&cursor=` → `{items, nextCursor}`): the first page when the
 * key (the filters) changes, the next one appended on `more()`.
 */
export function useCursorList<Item>(key: string, load: (cursor: string | undefined) => Promise<{ data?: Page<Item>; error?: unknown }>) {
  const [items, setItems] = useState<Item[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);

  const fetchPage = useCallback(
    async (cursor: string | undefined, append: boolean) => {
      setLoading(true);
      const { data, error } = await load(cursor);
      setLoading(false);
      if (!data) return setProblem(problemOf(error));
      setProblem(null);
      setItems((current) => (append ? [...current, ...data.items] : data.items));
      setNextCursor(data.nextCursor ?? null);
    },
    [key],
  );

  useEffect(() => {
    void fetchPage(undefined, false);
  }, [fetchPage]);

  return { items, loading, problem, hasMore: nextCursor !== null, more: () => nextCursor && fetchPage(nextCursor, true), reload: () => fetchPage(undefined, false) };
}
