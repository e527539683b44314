import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { focusLost } from './use-step-focus';

/**
 * Beneath a paged list: "nothing found" once it has loaded empty with no more to read (not when it failed: the
 * error above says why nothing is shown, and a failed read is no answer that there is nothing; nor when a page
 * came back empty with a cursor, as a filtered page may: "More" reads on), and the button for the next
 * page while there is one, unavailable while a page is on its way: aria-disabled rather than disabled, so the
 * keyboard's focus stays on it for the next press. The last page takes the button away: the focus that
 * was on it goes to a line saying the list is complete (not to the page's start), which is also announced;
 * focus the user has moved elsewhere meanwhile stays where they put it.
 */
export function ListFooter({ list }: { list: { loading: boolean; items: unknown[]; hasMore: boolean; problem: unknown; more(): unknown } }) {
  const { t } = useI18n();
  const button = useRef<HTMLButtonElement>(null);
  const complete = useRef<HTMLParagraphElement>(null);
  // The items when the button was pressed with the focus on it: the list they begin is the one it continues.
  const [pressedWith, setPressedWith] = useState<unknown[] | null>(null);
  // Appended to, not replaced (new filters): the same first item, more of them.
  const continued = pressedWith !== null && list.items.length > pressedWith.length && list.items[0] === pressedWith[0];
  const ended = continued && !list.loading && !list.hasMore;
  useEffect(() => {
    if (ended && focusLost()) complete.current?.focus();
  }, [ended]);

  const press = () => {
    if (list.loading) return;
    setPressedWith(document.activeElement === button.current ? list.items : null);
    void list.more();
  };
  return (
    <>
      {!list.loading && !list.problem && !list.hasMore && list.items.length === 0 && <p role="status">{t('common.noneFound')}</p>}
      {list.hasMore && (
        <button type="button" ref={button} aria-disabled={list.loading} onClick={press}>
          {t('common.more')}
        </button>
      )}
      {ended && (
        <p role="status" tabIndex={-1} ref={complete}>
          {t('common.allShown', { count: list.items.length })}
        </p>
      )}
    </>
  );
}
