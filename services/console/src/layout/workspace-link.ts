import type { MessageKey } from '../i18n/zh-CN';

/** A link in the header's navigation: where it goes and the catalogue key of its words. */
export interface WorkspaceLink {
  to: string;
  label: MessageKey;
}

/**
 * The link of the navigation the page at `pathname` is under: the one whose path it is at or under, the
 * closest if several are (/imports/new/trainees is under 导入学员, not also under 导入记录 at /imports), so one
 * link alone says it is the current page. A path with its query (uploadPath's `?courseId=`) counts by its path.
 */
export function currentLinkOf(pathname: string, links: readonly WorkspaceLink[]): string | undefined {
  const under = links.filter(({ to }) => {
    const path = to.split('?')[0];
    return pathname === path || pathname.startsWith(`${path}/`);
  });
  return under.sort((a, b) => b.to.length - a.to.length)[0]?.to;
}
