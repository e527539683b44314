import { useI18n } from '../i18n/i18n';

/**
 * Beneath a paged list: "nothing found" once it has loaded empty, and the button for the next page while
 * there is one, unavailable while a page is on its way: aria-disabled rather than disabled, so the
 * keyboard's focus stays on it for the next press.
 */
export function ListFooter({ list }: { list: { loading: boolean; items: unknown[]; hasMore: boolean; more(): unknown } }) {
  const { t } = useI18n();
  return (
    <>
      {!list.loading && list.items.length === 0 && <p role="status">{t('common.noneFound')}</p>}
      {list.hasMore && (
        <button type="button" aria-disabled={list.loading} onClick={() => !list.loading && void list.more()}>
          {t('common.more')}
        </button>
      )}
    </>
  );
}
