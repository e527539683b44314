import { CertificateNumberFacts, evaluatorCodeFor, formatCertificateNumber, readCertificateNumber, readRecordedCertificateNumber } from './certificate-number';
import { nationalGradeOf, SKILL_LEVELS } from './skill-ladder';

describe('certificate numbers (domain.md section 1)', () => {
  const facts: CertificateNumberFacts = { evaluatorKind: 'employer', evaluatorCode: '00A1', province: '43', site: '430200', year: '21', nationalGrade: 4, serial: 17 };
  // Y | 00A1 | 43 | 430200 | 21 | 4 | 000017
  const NUMBER = 'Y00A143430200214000017';

  it('formats 22 characters in the order kind, evaluator, province, site, year, grade, serial', () => {
    expect(formatCertificateNumber(facts)).toBe(NUMBER);
    expect(NUMBER).toHaveLength(22);
  });

  it('reads the facts back (and keeps them under the old name `parts`)', () => {
    expect(readCertificateNumber(NUMBER)).toEqual({ ok: true, facts, parts: facts });
  });

  it('writes Y for an employer and S for a social training evaluation organisation', () => {
    const social = formatCertificateNumber({ ...facts, evaluatorKind: 'social_organisation' });
    expect(social).toBe('S' + NUMBER.slice(1));
    expect(readCertificateNumber(social)).toMatchObject({ ok: true, facts: { evaluatorKind: 'social_organisation' } });
  });

  it.each<[string, Partial<CertificateNumberFacts>]>([
    ['the first serial', { serial: 1 }],
    ['the last serial', { serial: 999_999 }],
    ['a province-level site', { site: '430000' }],
    ['another province', { province: '11', site: '110105' }],
    ['year 00', { year: '00' }],
    ['a letters-only evaluator code', { evaluatorCode: 'ZZZZ' }],
    ['a digits-only evaluator code', { evaluatorCode: '9999' }],
    ...SKILL_LEVELS.map((level): [string, Partial<CertificateNumberFacts>] => [`the grade of ${level}`, { nationalGrade: nationalGradeOf(level) }]),
  ])('round-trips %s', (_name, change) => {
    const changed = { ...facts, ...change };
    const number = formatCertificateNumber(changed);
    expect(number).toHaveLength(22);
    expect(readCertificateNumber(number)).toEqual({ ok: true, facts: changed, parts: changed });
  });

  it.each([
    ['Y00A14343020021400001', /22 characters, not 21/, 'too short'],
    ['Y00A1434302002140000170', /22 characters, not 23/, 'too long'],
    ['', /22 characters, not 0/, 'empty'],
    ['X00A143430200214000017', /starts with Y .* or S/, 'a kind letter other than Y or S'],
    ['y00A143430200214000017', /starts with Y .* or S/, 'a lowercase kind letter'],
    ['Y00a143430200214000017', /evaluator code/, 'a lowercase evaluator code'],
    ['Y00-143430200214000017', /evaluator code/, 'punctuation in the evaluator code'],
    ['Y00A1A3430200214000017', /province/, 'a letter in the province'],
    ['Y00A199990200214000017', /province .* not 99/, 'an unknown province 99'],
    ['Y00A100000200214000017', /province .* not 00/, 'province 00'],
    ['Y00A14343020A214000017', /site .* 6 digits/, 'a letter in the site'],
    ['Y00A144430200214000017', /site 430200 must lie in the province 44/, 'a site outside its province'],
    ['Y00A143430200Z14000017', /year/, 'a letter in the year'],
    ['Y00A143430200216000017', /national grade .* 0–5, not 6/, 'grade 6'],
    ['Y00A14343020021A000017', /national grade/, 'a letter for the grade'],
    ['Y00A14343020021400001A', /serial .* 6 digits/, 'a letter in the serial'],
    ['Y00A143430200214000000', /serial starts at 000001/, 'serial 000000'],
  ])('refuses %s (%s: %s)', (text, problem) => {
    const reading = readCertificateNumber(text);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toMatch(problem);
  });

  it.each<[string, Partial<CertificateNumberFacts>]>([
    ['an unknown evaluator kind', { evaluatorKind: 'bureau' as never }],
    ['a three-character evaluator code', { evaluatorCode: '0A1' }],
    ['a lowercase evaluator code', { evaluatorCode: '00a1' }],
    ['a one-digit province', { province: '4' }],
    ['an unknown province', { province: '99', site: '990200' }],
    ['a site outside the province', { site: '440300' }],
    ['a five-digit site', { site: '43020' }],
    ['a four-digit year', { year: '2021' }],
    ['a one-digit year', { year: '1' }],
    ['grade 6', { nationalGrade: 6 }],
    ['grade -1', { nationalGrade: -1 }],
    ['a fractional grade', { nationalGrade: 2.5 }],
    ['serial 0', { serial: 0 }],
    ['a serial above 999999', { serial: 1_000_000 }],
    ['a fractional serial', { serial: 1.5 }],
  ])('refuses to format %s', (_name, change) => {
    expect(() => formatCertificateNumber({ ...facts, ...change })).toThrow(/cannot make a certificate number/);
  });

  it('hands out four-character evaluator codes that certificate numbers accept', () => {
    expect(evaluatorCodeFor(1)).toBe('0001');
    expect(evaluatorCodeFor(36)).toBe('0010');
    expect(evaluatorCodeFor(36 ** 4 - 1)).toBe('ZZZZ');
    expect(() => evaluatorCodeFor(0)).toThrow();
    expect(() => evaluatorCodeFor(36 ** 4)).toThrow();
    expect(() => evaluatorCodeFor(1.5)).toThrow();
    for (const sequence of [1, 35, 36, 1295, 46655, 36 ** 4 - 1]) {
      expect(formatCertificateNumber({ ...facts, evaluatorCode: evaluatorCodeFor(sequence) })).toHaveLength(22);
    }
  });

  describe('numbers a recorded certificate may carry: the current format, or an earlier one an import kept', () => {
    it('reads the current format with its facts', () => {
      expect(readRecordedCertificateNumber(NUMBER)).toEqual({ ok: true, legacy: false, facts });
    });
    it.each(['ZZJD-2012-004417', '1343000000300123', 'Y00A143430200214000017X', '000123'])('keeps %s as a number of an earlier format', (number) => {
      expect(readRecordedCertificateNumber(number)).toEqual({ ok: true, legacy: true });
    });
    it.each([
      ['a number in the current shape that does not read (serial 000000)', 'Y00A143430200214000000'],
      ['a number in the current shape with a province that is none', 'Y00A100000000214000017'],
      ['a current number with a digit too many', 'S0001434302002150000999'],
      ['a current number with a digit too few', 'S00014343020021500999'],
      ['too short', '12345'],
      ['too long', '1'.repeat(41)],
      ['other characters', 'ZZJD/2012/004417'],
      ['lower case (callers upper-case)', 'zzjd-2012-004417'],
      ['no digit', 'NONSENSE'],
    ])('refuses %s', (_name, number) => {
      expect(readRecordedCertificateNumber(number)).toMatchObject({ ok: false, problem: expect.any(String) });
    });
  });
});
