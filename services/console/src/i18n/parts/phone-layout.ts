/**
 * The header on a phone (layout/layout.tsx): the button that folds the navigation away; and the whole
 * country (region 000000, the ministry's) named as such in a heading. Terms follow docs/console.md.
 */
export const phoneLayoutZhCN = {
  'layout.menu': '菜单',
  'statistics.figures.nationTitle': '全国 {period} 指标',
};

export const phoneLayoutEn: Record<keyof typeof phoneLayoutZhCN, string> = {
  'layout.menu': 'Menu',
  'statistics.figures.nationTitle': 'The whole country, {period}',
};
