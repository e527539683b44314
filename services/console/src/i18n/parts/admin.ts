/** Administration (screens/admin): its words in Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const adminZhCN = {
  'nav.adminOrganisations': '机构管理',
  'nav.adminUsers': '用户管理',
  'nav.adminApiKeys': '接口密钥',
  'nav.adminAudit': '审计日志',
} as const;

export const adminEn: Record<keyof typeof adminZhCN, string> = {
  'nav.adminOrganisations': 'Organisations',
  'nav.adminUsers': 'Users',
  'nav.adminApiKeys': 'API keys',
  'nav.adminAudit': 'Audit log',
};
