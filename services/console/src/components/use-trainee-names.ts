import { useEffect, useRef, useState } from 'react';
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
 * The waits before names that failed for now are asked again, each time they fail again: about two
 * minutes in all, then not until the list changes or the page is opened again, so a roster of thousands
 * does not spend the caller's requests per minute (429) while the trainee service is out of reach.
 */
const RETRY_AFTER_MS = [5_000, 10_000, 20_000, 40_000, 60_000];

/** A read of a name, and whether an unavailable one is worth asking again (the service busy or out of reach). */
type Outcome = { name: TraineeName; again: boolean };

/**
 * Names of the trainees a roster lists. The training service keeps no personal data, so the names are
 * read from the trainee service, each once, as the caller is entitled to see them; a few at a time, each
 * few shown as they come. A name that failed for now (a 503 while the hire or certificate that relates the
 * caller to the person is still on its way, a 429, no answer) shows as unavailable meanwhile and is asked
 * again after a growing wait (RETRY_AFTER_MS) and on the list's next change: a person just hired is not
 * "not available" for good.
 */
export function useTraineeNames(ids: string[]): Record<string, TraineeName> {
  const [names, setNames] = useState<Record<string, TraineeName>>({});
  // Ids whose unavailable name is to be asked again, and how many waits for them this list has had.
  const again = useRef(new Set<string>());
  const retries = useRef({ key: '', waits: 0 });
  const [round, setRound] = useState(0);
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    if (retries.current.key !== key) retries.current = { key, waits: 0 };
    const missing = key ? key.split(',').filter((id) => !(id in names) || again.current.has(id)) : [];
    if (missing.length === 0) return;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    void (async () => {
      let failedForNow = false;
      for (let at = 0; at < missing.length && !cancelled; at += AT_ONCE) {
        const found = await Promise.all(missing.slice(at, at + AT_ONCE).map(async (id) => [id, await nameOf(id)] as const));
        for (const [id, outcome] of found) {
          if (outcome.again) again.current.add(id);
          else again.current.delete(id);
          failedForNow ||= outcome.again;
        }
        // Kept even when the list has changed meanwhile: a name is the same whichever list asked for it.
        setNames((current) => ({ ...current, ...Object.fromEntries(found.map(([id, outcome]) => [id, outcome.name])) }));
      }
      if (cancelled || !failedForNow || retries.current.waits >= RETRY_AFTER_MS.length) return;
      const wait = RETRY_AFTER_MS[retries.current.waits];
      retries.current.waits += 1;
      retry = setTimeout(() => setRound((current) => current + 1), wait);
    })();
    return () => {
      // The next list's run reads whatever this one had not reached yet, and what failed for now.
      cancelled = true;
      clearTimeout(retry);
    };
  }, [key, round]);
  return names;
}

/**
 * One name, asked with ?consistent=true: the trainee service judges the caller once the facts that relate
 * organisations to trainees have caught up, so an employer who has just hired the person is not answered
 * 404 while the hire is on its way. A 404 then is for good (no such person, or not the caller's to read);
 * a 429, a 5xx or no answer at all (answered as a 503 by the client) is for now.
 */
async function nameOf(id: string): Promise<Outcome> {
  const { data, response } = await api
    .GET('/api/v1/trainees/{id}', { params: { path: { id }, query: { consistent: 'true' } } })
    .catch(() => ({ data: undefined, response: undefined }));
  if (!data) return { name: { unavailable: true }, again: !response || response.status === 429 || response.status >= 500 };
  return { name: data.name === null ? { erased: true } : { name: data.name }, again: false };
}

/** A trainee's name as a screen shows it: the name, or in words that it is erased, unavailable or still loading. */
export function nameInWords(name: TraineeName | undefined, t: Translate): string {
  if (!name) return t('common.loading');
  if ('name' in name) return name.name;
  return 'erased' in name ? t('trainee.erased') : t('trainee.nameUnavailable');
}
