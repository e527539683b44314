// Business dates as spreadsheets hold them, read as ISO YYYY-MM-DD.
import { isoDateOf } from './sheet-row';

/** 9999-12-31, the last day Excel can hold. */
const LAST_EXCEL_SERIAL = 2_958_465;
/** Excel's serial 60 is 1900-02-29, a day that never was (a bug kept from Lotus 1-2-3). */
const FAKE_LEAP_DAY = 60;

/** An Excel date serial (1 = 1900-01-01) as an ISO date; undefined outside Excel's range and for the fake leap day. */
export function excelSerialToIsoDate(serial: number): string | undefined {
  const day = Math.floor(serial);
  if (!Number.isFinite(day) || day < 1 || day > LAST_EXCEL_SERIAL || day === FAKE_LEAP_DAY) return undefined;
  // From serial 61 on, Excel's count is one ahead of the calendar because it counted the fake leap day.
  const daysAfterNewYear1900 = day < FAKE_LEAP_DAY ? day - 1 : day - 2;
  return isoDateOf(new Date(Date.UTC(1900, 0, 1 + daysAfterNewYear1900)));
}

/** 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, each perhaps with the time of day a spreadsheet added. */
const SEPARATED_DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
/**
 * A date column that a spreadsheet saved as its serial number: 5 to 7 digits (10000 is 1927-05-18; 7
 * digits, so never YYYYMMDD). A shorter number in a CSV is no date anyone meant (a year, 2025, would be
 * 1905-07-17): refused as one. An .xlsx number cell is a serial whatever its size (isoDateOfCell).
 */
const SERIAL = /^\d{5,7}$/;

/** A date typed as text, as an ISO date; undefined when it is no date or no real day (2025-02-30). */
export function parseDateText(text: string): string | undefined {
  if (SERIAL.test(text)) return excelSerialToIsoDate(Number(text));
  const parts = SEPARATED_DATE.exec(text) ?? COMPACT_DATE.exec(text);
  return parts ? isoDateFromParts(Number(parts[1]), Number(parts[2]), Number(parts[3])) : undefined;
}

function isoDateFromParts(year: number, month: number, day: number): string | undefined {
  // Excel knows no earlier day, and Date.UTC would read years below 100 as 19xx.
  if (year < 1900) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? isoDateOf(date) : undefined;
}
