import { businessDateOf } from '@skills/domain-kernel';
import { en } from '../i18n/en';
import { zhCN } from '../i18n/zh-CN';

/**
 * Today as the server judges business dates: the day in China (UTC+8), whatever the browser's zone, so a
 * form's default and its "not after today" agree with the server's date_in_future at any hour.
 */
export const today = (): string => businessDateOf(new Date());

/**
 * The zone's name in each of the console's languages (read from the catalogues: the browser tests load this
 * file, and i18n.tsx is React's).
 */
const CHINA_TIME = { 'zh-CN': zhCN['dates.chinaTime'], en: en['dates.chinaTime'] };

/**
 * An instant as the console shows it in either language: its day as business dates are written (2026-12-07)
 * and its time on a 24-hour clock, both in China, and the zone said (北京时间, China time): the zone the
 * platform's days are in (business dates, the audit log's from/to), so a time and the day it is filed under
 * agree in a browser anywhere, and stand in the same order as the dates beside them. China keeps no summer
 * time: it is UTC+8 all year, as businessDateOf counts.
 */
export const instantText = (instant: string | Date, locale: keyof typeof CHINA_TIME): string => {
  const inChina = new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString();
  return `${inChina.slice(0, 10)} ${inChina.slice(11, 16)} ${CHINA_TIME[locale]}`;
};

/** A business date `days` later (earlier when negative): 2021-05-31 and 1 → 2021-06-01. */
export const daysAfter = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
