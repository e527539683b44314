import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { LARGEST_PAGE } from '../../components/load-all-pages';
import { useI18n } from '../../i18n/i18n';

/** How many pages of the region's register are read for the units' names: past that, a unit not found yet keeps its credit code. */
const PAGES_READ = 5;

/**
 * A brand's building units by name, each with its credit code: the brand answers credit codes only, and the
 * public register of organisations (the one the organisation picker searches) is read for their names, inside
 * the brand's region, by name page after page until every unit is found. A unit not found there (registered
 * elsewhere, or past the pages read), or while the register is read or cannot be, is shown by its credit code.
 */
export function BuildingUnits({ creditCodes, regionCode }: { creditCodes: string[]; regionCode: string }) {
  const { locale } = useI18n();
  const names = useUnitNames(creditCodes, regionCode);
  return <>{creditCodes.map((code) => (names.has(code) ? `${names.get(code)}（${code}）` : code)).join(locale === 'en' ? ', ' : '、')}</>;
}

function useUnitNames(creditCodes: string[], regionCode: string): Map<string, string> {
  const [names, setNames] = useState(new Map<string, string>());
  const key = creditCodes.join(',');
  useEffect(() => {
    let stale = false;
    const sought = new Set(key.split(','));
    void (async () => {
      const found = new Map<string, string>();
      let cursor: string | undefined;
      for (let page = 0; page < PAGES_READ && found.size < sought.size; page++) {
        const { data } = await api.GET('/api/v1/organisations', { params: { query: { regionCode, limit: LARGEST_PAGE, cursor } } }).catch(() => ({ data: undefined }));
        if (!data || stale) break;
        for (const organisation of data.items) if (organisation.creditCode && sought.has(organisation.creditCode)) found.set(organisation.creditCode, organisation.name);
        if (!data.nextCursor) break;
        cursor = data.nextCursor;
      }
      if (!stale) setNames(found);
    })();
    return () => {
      stale = true;
    };
  }, [key, regionCode]);
  return names;
}
