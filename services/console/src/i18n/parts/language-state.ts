/**
 * The zone said after a time the console shows (components/dates instantText): times are China's (UTC+8),
 * the zone the platform's business dates are in, in either language.
 */
export const languageStateZhCN = {
  'dates.chinaTime': '北京时间',
} as const;

export const languageStateEn: Record<keyof typeof languageStateZhCN, string> = {
  'dates.chinaTime': 'China time',
};
