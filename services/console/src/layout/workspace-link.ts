import type { MessageKey } from '../i18n/zh-CN';

/** A link in the header's navigation: where it goes and the catalogue key of its words. */
export interface WorkspaceLink {
  to: string;
  label: MessageKey;
}
