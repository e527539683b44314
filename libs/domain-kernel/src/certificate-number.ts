// Certificate numbers, domain.md section 1: 22 characters =
//   evaluator kind (Y employer 用人单位 / S social training evaluation organisation 社会培训评价组织)
//   + 4-character evaluator code + 2-digit province + 6-digit site + 2-digit year
//   + 1-digit national grade (0–5) + 6-digit serial.
// Example: Y00A1 43 430200 21 4 000017 → Y00A143430200214000017.
import { isProvincePrefix } from './codes';

export const EVALUATOR_KINDS = ['employer', 'social_organisation'] as const;

export type EvaluatorKind = (typeof EVALUATOR_KINDS)[number];

export interface CertificateNumberFacts {
  evaluatorKind: EvaluatorKind;
  /** Four capitals or digits, assigned to the evaluator when it registers (see evaluatorCodeFor). */
  evaluatorCode: string;
  /** GB/T 2260 province prefix, 11–82. */
  province: string;
  /** The GB/T 2260 code of the evaluation site; lies in the province. */
  site: string;
  /** Two digits of the certification year. */
  year: string;
  /** 1 (一级, senior technician) … 5 (五级, junior); 0 for apprentice and the two appointed levels. */
  nationalGrade: number;
  /** 1 … 999999. */
  serial: number;
}

/** @deprecated the earlier name of CertificateNumberFacts. */
export type CertificateNumberParts = CertificateNumberFacts;

export type CertificateNumberReading =
  | {
      ok: true;
      facts: CertificateNumberFacts;
      /** @deprecated the same object as `facts`, kept while callers move to `facts`. */
      parts: CertificateNumberFacts;
    }
  | { ok: false; problem: string };

export const CERTIFICATE_NUMBER_LENGTH = 22;

const KIND_LETTER: Record<EvaluatorKind, 'Y' | 'S'> = { employer: 'Y', social_organisation: 'S' };
const EVALUATOR_CODE = /^[0-9A-Z]{4}$/;
const digits = (count: number) => new RegExp(`^\\d{${count}}$`);
const PROVINCE = digits(2);
const SITE = digits(6);
const YEAR = digits(2);
const SERIAL = digits(6);
const MAX_SERIAL = 999_999;

const refuse = (problem: string): CertificateNumberReading => ({ ok: false, problem });

/** The facts a certificate number carries, or the first rule it breaks (in reading order). */
export function readCertificateNumber(text: string): CertificateNumberReading {
  if (text.length !== CERTIFICATE_NUMBER_LENGTH) return refuse(`a certificate number is ${CERTIFICATE_NUMBER_LENGTH} characters, not ${text.length}`);
  const kind = text[0];
  const evaluatorCode = text.slice(1, 5);
  const province = text.slice(5, 7);
  const site = text.slice(7, 13);
  const year = text.slice(13, 15);
  const grade = text.slice(15, 16);
  const serial = text.slice(16, 22);
  if (kind !== 'Y' && kind !== 'S') return refuse(`a certificate number starts with Y (employer) or S (social training evaluation organisation), not ${kind}`);
  if (!EVALUATOR_CODE.test(evaluatorCode)) return refuse(`the evaluator code (characters 2–5) is 4 capital letters or digits, not ${evaluatorCode}`);
  if (!PROVINCE.test(province) || !isProvincePrefix(province)) return refuse(`the province (characters 6–7) is a GB/T 2260 province prefix 11–82, not ${province}`);
  if (!SITE.test(site)) return refuse(`the site (characters 8–13) is 6 digits, not ${site}`);
  if (!site.startsWith(province)) return refuse(`the site ${site} must lie in the province ${province}`);
  if (!YEAR.test(year)) return refuse(`the year (characters 14–15) is 2 digits, not ${year}`);
  if (!/^[0-5]$/.test(grade)) return refuse(`the national grade (character 16) is a digit 0–5, not ${grade}`);
  if (!SERIAL.test(serial)) return refuse(`the serial (characters 17–22) is 6 digits, not ${serial}`);
  if (serial === '000000') return refuse('the serial starts at 000001');
  const facts: CertificateNumberFacts = {
    evaluatorKind: kind === 'Y' ? 'employer' : 'social_organisation',
    evaluatorCode,
    province,
    site,
    year,
    nationalGrade: Number(grade),
    serial: Number(serial),
  };
  return { ok: true, facts, parts: facts };
}

/** The number for these facts; throws on any part out of range, so that reading it back gives the same facts. */
export function formatCertificateNumber(facts: CertificateNumberFacts): string {
  const wrong = (part: string, rule: string): never => {
    throw new Error(`cannot make a certificate number: ${part} ${rule} (${JSON.stringify(facts)})`);
  };
  const letter = (KIND_LETTER as Record<string, string | undefined>)[facts.evaluatorKind] ?? wrong('evaluatorKind', `must be one of ${EVALUATOR_KINDS.join(', ')}`);
  if (!EVALUATOR_CODE.test(facts.evaluatorCode)) wrong('evaluatorCode', 'must be 4 capital letters or digits');
  if (!PROVINCE.test(facts.province) || !isProvincePrefix(facts.province)) wrong('province', 'must be a GB/T 2260 province prefix 11–82');
  if (!SITE.test(facts.site) || !facts.site.startsWith(facts.province)) wrong('site', 'must be 6 digits within the province');
  if (!YEAR.test(facts.year)) wrong('year', 'must be 2 digits');
  if (!Number.isInteger(facts.nationalGrade) || facts.nationalGrade < 0 || facts.nationalGrade > 5) wrong('nationalGrade', 'must be an integer 0–5');
  if (!Number.isInteger(facts.serial) || facts.serial < 1 || facts.serial > MAX_SERIAL) wrong('serial', `must be an integer 1–${MAX_SERIAL}`);
  const number = `${letter}${facts.evaluatorCode}${facts.province}${facts.site}${facts.year}${facts.nationalGrade}${String(facts.serial).padStart(6, '0')}`;
  const reading = readCertificateNumber(number);
  if (!reading.ok) throw new Error(`cannot make a certificate number of ${JSON.stringify(facts)}: ${reading.problem}`);
  return number;
}

/** Evaluator codes are handed out in order: 0001, 0002, … then base 36 (four characters, 1.6 million). */
export function evaluatorCodeFor(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence >= 36 ** 4) throw new Error(`no evaluator code for ${sequence}`);
  return sequence.toString(36).toUpperCase().padStart(4, '0');
}

// ---- numbers of earlier formats -------------------------------------------------------------

/**
 * A number of an earlier format, as a certificate of an earlier year was issued and is recorded by an
 * import of historical certificates: 6–40 capitals, digits or hyphens, kept as given. A number has a
 * digit: a word (`NONSENSE`) is none.
 */
export const LEGACY_CERTIFICATE_NUMBER = /^(?=[^0-9]*[0-9])[A-Z0-9-]{6,40}$/;

/**
 * A number that starts as the current format does (Y or S, the evaluator code, then digits) must read as
 * one: a typo in it, a digit too many or too few included, is refused, never taken for an earlier format.
 */
const CURRENT_SHAPE = /^[YS][0-9A-Z]{4}[0-9]{12,22}$/;

export type RecordedCertificateNumberReading = { ok: true; legacy: false; facts: CertificateNumberFacts } | { ok: true; legacy: true } | { ok: false; problem: string };

/**
 * A number a recorded certificate may carry (verification, revocation, imports): the current format
 * (domain.md section 1) and its facts, or an earlier format kept as issued (`legacy`), or the problem.
 * Expects capitals: callers upper-case what people type.
 */
export function readRecordedCertificateNumber(text: string): RecordedCertificateNumberReading {
  const current = readCertificateNumber(text);
  if (current.ok) return { ok: true, legacy: false, facts: current.facts };
  if (CURRENT_SHAPE.test(text)) return { ok: false, problem: current.problem };
  if (LEGACY_CERTIFICATE_NUMBER.test(text)) return { ok: true, legacy: true };
  return { ok: false, problem: `${current.problem}; a number of an earlier format is 6–40 capital letters, digits or hyphens, with a digit` };
}
