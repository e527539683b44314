// Certificate numbers, domain.md section 1: 22 characters =
//   evaluator kind (Y employer / S social organisation) + 4-char evaluator code + 2-digit province
//   + 6-digit site + 2-digit year + 1-digit national grade (0–5) + 6-digit serial.

export type EvaluatorKind = 'employer' | 'social_organisation';

export interface CertificateNumberParts {
  evaluatorKind: EvaluatorKind;
  /** Four capitals or digits, assigned to the evaluator when it registers. */
  evaluatorCode: string;
  province: string;
  site: string;
  /** Two digits of the certification year. */
  year: string;
  nationalGrade: number;
  serial: number;
}

const SHAPE = /^([YS])([0-9A-Z]{4})(\d{2})(\d{6})(\d{2})([0-5])(\d{6})$/;
const KIND_LETTER: Record<EvaluatorKind, string> = { employer: 'Y', social_organisation: 'S' };

export type CertificateNumberReading = { ok: true; parts: CertificateNumberParts } | { ok: false; problem: string };

export function readCertificateNumber(text: string): CertificateNumberReading {
  const match = SHAPE.exec(text);
  if (!match) return { ok: false, problem: 'a certificate number is 22 characters: Y or S, a 4-character evaluator code, 2+6 digits of place, 2 of year, a grade 0–5 and a 6-digit serial' };
  const [, kind, evaluatorCode, province, site, year, grade, serial] = match;
  if (!site.startsWith(province)) return { ok: false, problem: 'the site code must lie in the province' };
  return {
    ok: true,
    parts: { evaluatorKind: kind === 'Y' ? 'employer' : 'social_organisation', evaluatorCode, province, site, year, nationalGrade: Number(grade), serial: Number(serial) },
  };
}

export function formatCertificateNumber(parts: CertificateNumberParts): string {
  const number = `${KIND_LETTER[parts.evaluatorKind]}${parts.evaluatorCode}${parts.province}${parts.site}${parts.year}${parts.nationalGrade}${String(parts.serial).padStart(6, '0')}`;
  const reading = readCertificateNumber(number);
  if (!reading.ok || reading.parts.serial !== parts.serial) throw new Error(`cannot make a certificate number of ${JSON.stringify(parts)}: ${reading.ok ? 'serial out of range' : reading.problem}`);
  return number;
}

/** Evaluator codes are handed out in order: 0001, 0002, … then base 36 (four characters, 1.6 million). */
export function evaluatorCodeFor(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence >= 36 ** 4) throw new Error(`no evaluator code for ${sequence}`);
  return sequence.toString(36).toUpperCase().padStart(4, '0');
}
