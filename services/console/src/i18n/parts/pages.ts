/** Words shared by pages across workspaces (a page's title in the browser, a search's count): Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const pagesZhCN = {
  /** The browser's title of a page: its heading, then the console's name (layout/page-title). */
  'page.title': '{heading} – {app}',
  /** A trainee's archive in the browser's title, without their name (the title stays in the browser's history). */
  'page.archiveTitle': '终身职业技能培训电子档案',
  /** A search's answer, said by a status line: every match is shown. */
  'search.found': '找到 {count} 条。',
  /** A search's answer when more match than the page shows: the next page (or a longer search term) reads on. */
  'search.foundMore': '已显示 {count} 条，还有更多。',
};

export const pagesEn: Record<keyof typeof pagesZhCN, string> = {
  'page.title': '{heading} – {app}',
  'page.archiveTitle': 'Lifelong training archive',
  'search.found': '{count} found.',
  'search.foundMore': '{count} shown, and more match.',
};
