import { formatCertificateNumber, readCertificateNumber, evaluatorCodeFor } from './certificate-number';
import { isHighSkill, isSkillLevel, levelAtRank, nationalGradeOf, rankOf, SKILL_LEVELS } from './skill-ladder';

describe('the eight-level ladder (domain.md section 2)', () => {
  it('ranks the levels 1 to 8 in order', () => {
    expect(SKILL_LEVELS.map(rankOf)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(levelAtRank(4)).toBe('senior');
    expect(levelAtRank(9)).toBeUndefined();
    expect(isSkillLevel('grandmaster')).toBe(false);
  });

  it('counts rank 4 and above as high-skill talent (senior is, intermediate is not)', () => {
    expect(isHighSkill('senior')).toBe(true);
    expect(isHighSkill('intermediate')).toBe(false);
    expect(isHighSkill('chief_technician')).toBe(true);
  });

  it('maps levels to national grades: junior 5 … senior technician 1; 0 without a grade', () => {
    expect(SKILL_LEVELS.map(nationalGradeOf)).toEqual([0, 5, 4, 3, 2, 1, 0, 0]);
  });
});

describe('certificate numbers (domain.md section 1)', () => {
  const parts = { evaluatorKind: 'employer' as const, evaluatorCode: '00A1', province: '43', site: '430200', year: '21', nationalGrade: 4, serial: 17 };

  it('formats 22 characters and reads them back', () => {
    const number = formatCertificateNumber(parts);
    expect(number).toBe('Y00A14343020021 4000017'.replace(' ', ''));
    expect(number).toHaveLength(22);
    expect(readCertificateNumber(number)).toEqual({ ok: true, parts });
    expect(formatCertificateNumber({ ...parts, evaluatorKind: 'social_organisation' })[0]).toBe('S');
  });

  it.each([
    ['X00A14343020021400001', 'a kind letter other than Y or S (and 21 characters)'],
    ['X00A143430200214000017', 'a kind letter other than Y or S'],
    ['Y00a143430200214000017', 'a lowercase evaluator code'],
    ['Y00A143430200216000017', 'a grade above 5'],
    ['Y00A144330200214000017', 'a site outside its province'],
    ['Y00A14343020021400001A', 'a serial that is not digits'],
  ])('refuses %s (%s)', (text) => {
    expect(readCertificateNumber(text).ok).toBe(false);
  });

  it('refuses to format a serial above 999999', () => {
    expect(() => formatCertificateNumber({ ...parts, serial: 1_000_000 })).toThrow();
  });

  it('hands out four-character evaluator codes', () => {
    expect(evaluatorCodeFor(1)).toBe('0001');
    expect(evaluatorCodeFor(36)).toBe('0010');
    expect(() => evaluatorCodeFor(0)).toThrow();
  });
});
