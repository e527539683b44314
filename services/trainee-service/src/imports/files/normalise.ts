// A cell as the field it feeds: the spellings people and spreadsheets use, made the API's one spelling.
// Only what the cell itself shows is checked here; the caller applies the domain rules (check digits,
// ranges, existence). Problem details never quote the cell: it may hold personal data.
import { SKILL_LEVEL_NAMES, SKILL_LEVELS, type SkillLevel } from '@skills/domain-kernel';
import type { TRAINEE_CATEGORIES } from '../../trainees/register-trainee/register-trainee.dto';
import { TRAINEE_CATEGORY_TITLES } from '@skills/contracts';
import { excelSerialToIsoDate, parseDateText } from './dates';
import { cellText, isoDateOf, type SheetCell, type SheetRow } from './sheet-row';

export interface RowProblem {
  field: string;
  rule: string;
  detail: string;
}

export interface Normalised {
  /** Undefined when the cell is empty or has a problem. */
  value: string | undefined;
  problem?: RowProblem;
}

/** What a cell's sheet says about reading it. */
export type SheetContext = Pick<SheetRow, 'serialsFrom1904'>;

type Normaliser = (cell: SheetCell, field: string, sheet: SheetContext) => Normalised;

/** Full-width ASCII (！ … ～) and the ideographic space as the half-width characters they stand for. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (char) => (char === '\u3000' ? ' ' : String.fromCharCode(char.charCodeAt(0) - 0xfee0)));
}

const cleanText = (cell: SheetCell): string => toHalfWidth(cellText(cell)).trim();
const valueOf = (text: string): Normalised => ({ value: text === '' ? undefined : text });
const problem = (field: string, rule: string, detail: string): Normalised => ({ value: undefined, problem: { field, rule, detail } });
/** Lookup key for words: case, spaces and full- or half-width forms (（ and () do not matter. */
const wordKey = (text: string): string => toHalfWidth(text).replace(/\s+/g, '').toLowerCase();

const text: Normaliser = (cell) => valueOf(cleanText(cell));

const code: Normaliser = (cell) => valueOf(cleanText(cell).replace(/\s+/g, ''));

/** Occupation codes are D-DD-DD-DD; word processors turn the hyphens into dashes. */
const occupationCode: Normaliser = (cell) => valueOf(cleanText(cell).replace(/\s+/g, '').replace(/[\u2010-\u2015\u2212]/g, '-'));

/** 4.30202E+17: the text Excel writes for a number too long for it. */
const SCIENTIFIC_NUMBER = /^\d+(?:\.\d+)?E\+?\d+$/i;

const idNumber: Normaliser = (cell, field) => {
  const compact = cleanText(cell).replace(/\s+/g, '').toUpperCase();
  // An 18-digit number does not fit a double: whatever digits are left are not the person's.
  if (typeof cell === 'number' || SCIENTIFIC_NUMBER.test(compact)) return lostDigits(field, 'Excel stored the identity number as a number and lost its last digits');
  return valueOf(compact);
};

/** A number Excel held as a number and may have changed: refused, with what to do about it. */
export const lostDigits = (field: string, what: string) => problem(field, 'excel_number_lost_digits', `${what}; format the column as text and enter the numbers again`);

/**
 * 1.343E+15: the text Excel shows, and a CSV it saves keeps, for a long number in a General cell. Stricter
 * than SCIENTIFIC_NUMBER: an old certificate number may mix digits and letters (2012E004417), not a point and a plus.
 */
const EXCEL_SCIENTIFIC_NUMBER = /^\d(?:\.\d+)?E\+\d+$/i;

/**
 * Below this a whole number cell is exact: Excel keeps 15 significant digits, so a number of 16 digits or
 * more may have lost its last ones (1343000000300123 is stored as 1343000000300120).
 */
const EXACT_IN_EXCEL = 1e15;

/**
 * An evaluator's old numbers may be all digits. Held as a number, a short whole one is read as its digits
 * (12345; a number cell holds no leading zeros, so one typed with them reads without them); a longer one, or
 * one with a fraction, is refused: Excel may have changed it, and the wrong number would be recorded and
 * verifiable. The new format starts with a letter, which no number cell holds.
 */
const certificateNumber: Normaliser = (cell, field) => {
  if (typeof cell === 'number' && Number.isInteger(cell) && Math.abs(cell) < EXACT_IN_EXCEL) return valueOf(String(cell));
  const compact = cleanText(cell).replace(/\s+/g, '').toUpperCase();
  if (typeof cell === 'number' || EXCEL_SCIENTIFIC_NUMBER.test(compact)) return lostDigits(field, 'Excel stored the certificate number as a number, which keeps 15 digits and no leading zeros');
  return valueOf(compact);
};

const phone: Normaliser = (cell) => valueOf(typeof cell === 'number' ? String(cell) : cleanText(cell).replace(/[\s-]+/g, ''));

/** 1904-01-01 in Excel's 1900 date system: what a 1904 workbook's serial 0 is. */
const SERIAL_OF_1904 = 1462;

function isoDateOfCell(cell: SheetCell, sheet: SheetContext): string | undefined {
  if (cell instanceof Date) return isoDateOf(cell) || undefined;
  // A number beyond Excel's last day may be a date typed without separators (20250320) in a cell Excel took as a number.
  if (typeof cell === 'number') return excelSerialToIsoDate(sheet.serialsFrom1904 ? cell + SERIAL_OF_1904 : cell) ?? parseDateText(String(cell));
  return parseDateText(cleanText(cell));
}

const date: Normaliser = (cell, field, sheet) => {
  if (cleanText(cell) === '') return valueOf('');
  const iso = isoDateOfCell(cell, sheet);
  return iso ? valueOf(iso) : problem(field, 'invalid_date', `${field} is not a real date; write it as YYYY-MM-DD, e.g. 2025-03-01`);
};

const PASSED_WORDS = new Map<string, string>([
  ...['是', '合格', '通过', 'true', '1', 'yes', 'y'].map((word): [string, string] => [word, 'true']),
  ...['否', '不合格', '未通过', 'false', '0', 'no', 'n'].map((word): [string, string] => [word, 'false']),
]);

const passed: Normaliser = (cell, field) => {
  const word = wordKey(cleanText(cell));
  if (word === '') return valueOf(word);
  const answer = PASSED_WORDS.get(word);
  return answer ? valueOf(answer) : problem(field, 'invalid_boolean', `${field} must be 是 or 否 (合格/不合格, 通过/未通过, true/false, 1/0)`);
};

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A number cell as its shortest decimal text (85.5, not 85.50000000000001). */
const score: Normaliser = (cell, field) => {
  const number = typeof cell === 'number' ? String(cell) : cleanText(cell);
  if (number === '' || DECIMAL.test(number)) return valueOf(number);
  return problem(field, 'invalid_number', `${field} must be a number`);
};

type TraineeCategory = (typeof TRAINEE_CATEGORIES)[number];

/**
 * The names registration offices use, the bureaus' forms' title first (the statistics exports' columns, so a
 * file made from an export reads back); typed by category so a new category must be named here too.
 */
const CATEGORY_NAMES: Record<TraineeCategory, readonly string[]> = {
  poverty_registered: [TRAINEE_CATEGORY_TITLES.poverty_registered, '建档立卡贫困人口', '脱贫人口'],
  urban_unemployed: [TRAINEE_CATEGORY_TITLES.urban_unemployed, '城镇失业人员', '失业人员'],
  rural_migrant: [TRAINEE_CATEGORY_TITLES.rural_migrant, '农村转移劳动力', '农民工'],
  veteran: [TRAINEE_CATEGORY_TITLES.veteran],
  disabled: [TRAINEE_CATEGORY_TITLES.disabled],
  graduate: [TRAINEE_CATEGORY_TITLES.graduate],
};

const CATEGORY_BY_WORD = new Map(
  Object.entries(CATEGORY_NAMES).flatMap(([category, names]) => [category, ...names].map((word): [string, string] => [wordKey(word), category])),
);

/** Separators people put between the categories of one cell, a new line (Alt+Enter) included. */
const CATEGORY_SEPARATORS = /[;；,，、|\s]+/;

const categories: Normaliser = (cell, field) => {
  const words = cleanText(cell).split(CATEGORY_SEPARATORS).filter(Boolean);
  const found = words.map((word) => CATEGORY_BY_WORD.get(wordKey(word)));
  if (found.some((category) => category === undefined)) {
    return problem(field, 'unknown_category', `${field} holds a category other than ${Object.values(CATEGORY_NAMES).flat().join(', ')} (or their API values)`);
  }
  return valueOf([...new Set(found)].join(','));
};

/** The names of the national grades and their short forms, beside 学徒工 … 首席技师 and the API values. */
const LEVEL_ALIASES: Record<SkillLevel, readonly string[]> = {
  apprentice: [],
  junior: ['五级', '初级'],
  intermediate: ['四级', '中级'],
  senior: ['三级', '高级'],
  technician: ['二级'],
  senior_technician: ['一级'],
  special_technician: [],
  chief_technician: [],
};

const LEVEL_BY_WORD = new Map(
  SKILL_LEVELS.flatMap((level) => [level, SKILL_LEVEL_NAMES[level], ...LEVEL_ALIASES[level]].map((word): [string, string] => [wordKey(word), level])),
);

const level: Normaliser = (cell, field) => {
  const word = wordKey(cleanText(cell));
  if (word === '') return valueOf(word);
  const found = LEVEL_BY_WORD.get(word);
  return found ? valueOf(found) : problem(field, 'unknown_level', `${field} must be one of 学徒工, 初级工 (五级), 中级工 (四级), 高级工 (三级), 技师 (二级), 高级技师 (一级), 特级技师, 首席技师, or ${SKILL_LEVELS.join(', ')}`);
};

/** Fields with a spelling of their own; every other field is plain text. */
const NORMALISERS: Record<string, Normaliser> = {
  idNumber,
  phone,
  enrolledOn: date,
  assessedOn: date,
  certifiedOn: date,
  passed,
  score,
  categories,
  level,
  certificateNumber,
  occupationCode,
  regionCode: code,
  occupationEdition: code,
};

/** Whether the field holds a date (what a spreadsheet may have stored as its serial number). */
export const isDateField = (field: string): boolean => NORMALISERS[field] === date;

export function normaliseField(field: string, cell: SheetCell, sheet: SheetContext): Normalised {
  return (NORMALISERS[field] ?? text)(cell, field, sheet);
}
