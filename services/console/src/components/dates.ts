import { businessDateOf } from '@skills/domain-kernel';

/**
 * Today as the server judges business dates: the day in China (UTC+8), whatever the browser's zone, so a
 * form's default and its "not after today" agree with the server's date_in_future at any hour.
 */
export const today = (): string => businessDateOf(new Date());

/**
 * An instant as a time of day in China, its zone said (GMT+8): the zone the platform's days are in (business
 * dates, the audit log's from/to), so a time and the day it is filed under agree in a browser anywhere.
 */
export const instantText = (instant: string, locale: string): string => new Date(instant).toLocaleString(locale, { timeZone: 'Asia/Shanghai', timeZoneName: 'short' });

/** A business date `days` later (earlier when negative): 2021-05-31 and 1 → 2021-06-01. */
export const daysAfter = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
