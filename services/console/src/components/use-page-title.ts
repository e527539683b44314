import { useLayoutEffect, type RefObject } from 'react';
import { translator, useI18n } from '../i18n/i18n';

/**
 * The browser's title of each page (WCAG 2.4.2): its heading, then the console's name
 * (`证书查验 – 技能人才评价与就业平台`), so tabs, history and bookmarks tell the pages apart. Read from the
 * page's <h1> inside `main` (the Layout's) rather than set by each page: every page has its heading already,
 * a page whose heading comes with what it reads (a course's, a brand's name) changes it when that arrives,
 * and the language switch rewrites it; one MutationObserver follows all three. While no heading shows
 * (a page loading), the console's name alone. A heading that names a person gives the title its
 * `data-page-title` instead: the title stays in the browser's history, on a school's shared computer too.
 */
export function usePageTitle(main: RefObject<HTMLElement | null>) {
  const { locale } = useI18n();
  // Before paint, as the page's `lang` changes (session/preferences): no moment shows the old language's title.
  useLayoutEffect(() => {
    const content = main.current;
    if (!content) return;
    const t = translator(locale);
    const app = t('app.name');
    const show = () => {
      const h1 = content.querySelector('h1');
      const heading = (h1?.dataset.pageTitle ?? h1?.textContent)?.replace(/\s+/g, ' ').trim();
      const title = heading ? t('page.title', { heading, app }) : app;
      if (document.title !== title) document.title = title;
    };
    show();
    const observer = new MutationObserver(show);
    observer.observe(content, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [main, locale]);
}
