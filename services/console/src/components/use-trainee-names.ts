import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Translate } from '../i18n/i18n';

/**
 * What is known of a trainee's name: the name; erased (the trainee service answers the person with no
 * name once their personal data is erased); or unavailable (the trainee service did not answer it).
 * Not in the record yet: still being read.
 */
export type TraineeName = { name: string } | { erased: true } | { unavailable: true };

/** Names read at once: a roster may list thousands, and the trainee service is asked for each by itself. */
const AT_ONCE = 20;

/**
 * Names of the trainees a roster lists. The training service keeps no personal data, so the names are
 * read from the trainee service, each once, as the caller is entitled to see them; a few at a time, each
 * few shown as they come.
 */
export function useTraineeNames(ids: string[]): Record<string, TraineeName> {
  const [names, setNames] = useState<Record<string, TraineeName>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    const missing = key ? key.split(',').filter((id) => !(id in names)) : [];
    if (missing.length === 0) return;
    let cancelled = false;
    void (async () => {
      for (let at = 0; at < missing.length && !cancelled; at += AT_ONCE) {
        const found = await Promise.all(missing.slice(at, at + AT_ONCE).map(async (id) => [id, await nameOf(id)] as const));
        // Kept even when the list has changed meanwhile: a name is the same whichever list asked for it.
        setNames((current) => ({ ...current, ...Object.fromEntries(found) }));
      }
    })();
    return () => {
      // The next list's run reads whatever this one had not reached yet.
      cancelled = true;
    };
  }, [key]);
  return names;
}

async function nameOf(id: string): Promise<TraineeName> {
  const { data } = await api.GET('/api/v1/trainees/{id}', { params: { path: { id } } }).catch(() => ({ data: undefined }));
  if (!data) return { unavailable: true };
  return data.name === null ? { erased: true } : { name: data.name };
}

/** A trainee's name as a screen shows it: the name, or in words that it is erased, unavailable or still loading. */
export function nameInWords(name: TraineeName | undefined, t: Translate): string {
  if (!name) return t('common.loading');
  if ('name' in name) return name.name;
  return 'erased' in name ? t('trainee.erased') : t('trainee.nameUnavailable');
}
