import { useState, type FormEvent } from 'react';
import { api, problemOf, type Problem } from '../../api/client';
import { ProblemMessage } from '../../components/problem-message';
import { useI18n, type Translate } from '../../i18n/i18n';
import type { Organisation } from './admin-access';

/**
 * The organisations a chooser may act for, when not every one: a bureau officer manages the providers,
 * evaluators and employers inside its bureau's region, never a bureau (its own either), so no other is
 * offered only to be refused.
 */
export interface PickerScope {
  regionCode?: string;
  bureaus: boolean;
}

/** What a bureau officer of `regionCode` may choose (users.tsx), or every organisation for anyone else. */
export const scopeOf = (me: { role: string; regionCode?: string | null } | null | undefined): PickerScope | undefined =>
  me?.role === 'bureau_officer' ? { regionCode: me.regionCode ?? undefined, bureaus: false } : undefined;

/** As many buttons as a reader looks through; past that, a longer name narrows the search. */
const MATCHES_SHOWN = 10;

/**
 * Choosing an organisation from the public register: search by part of its name, then one button per
 * match (the first MATCHES_SHOWN; when more match, the reader is told to type more of the name, not left
 * to think the one sought does not exist). No select that acts on change: choosing is a press.
 */
export function OrganisationPicker({ onChoose, within }: { onChoose(organisation: Organisation): void; within?: PickerScope }) {
  const { t } = useI18n();
  const [matches, setMatches] = useState<Organisation[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [moreMatch, setMoreMatch] = useState(false);

  const search = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get('organisation-q') ?? '').trim();
    // Nothing said while the search is on its way: its answer then changes the status line even when it
    // reads as the last one did (the same search again), so it is announced again; and what an earlier
    // search found is not left beside a failure, as if it answered this one.
    setProblem(null);
    setMatches(null);
    setMoreMatch(false);
    // Bureaus left out by the register itself, so that a page of MATCHES_SHOWN is a page of those offered.
    const exceptKind = within?.bureaus === false ? ('bureau' as const) : undefined;
    const { data, error } = await api.GET('/api/v1/organisations', { params: { query: { q: q || undefined, regionCode: within?.regionCode, exceptKind, limit: MATCHES_SHOWN } } });
    if (!data) return setProblem(problemOf(error));
    setMatches(data.items);
    setMoreMatch(Boolean(data.nextCursor));
  };

  return (
    <div className="panel">
      <form role="search" className="inline-form" onSubmit={(event) => void search(event)}>
        <label htmlFor="organisation-q">{t('admin.picker.search')}</label>
        <input id="organisation-q" name="organisation-q" />
        <button type="submit">{t('common.search')}</button>
      </form>
      <ProblemMessage problem={problem} />
      {/* Always there, so what a search found is announced as it changes. */}
      <p role="status" className={matches && matches.length > 0 ? 'hint' : undefined}>
        {foundInWords(matches, moreMatch, t)}
      </p>
      {matches && matches.length > 0 && (
        <ul className="actions" aria-label={t('admin.picker.matches')}>
          {matches.map((organisation) => (
            <li key={organisation.id}>
              <button type="button" onClick={() => onChoose(organisation)}>
                {t('admin.picker.choose', { name: organisation.name, kind: t(`admin.kind.${organisation.kind}`), region: organisation.regionCode })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** What a search found, for the status line: nothing, each match (all shown), or the first few of more. Empty before a search and while one is on its way. */
function foundInWords(matches: Organisation[] | null, moreMatch: boolean, t: Translate): string {
  if (!matches) return '';
  if (matches.length === 0) return t('common.noneFound');
  return moreMatch ? t('admin.picker.moreMatch', { shown: matches.length }) : t('search.found', { count: matches.length });
}
