import {
  HIGH_SKILL_RANK,
  HIGHEST_CERTIFIED_LEVEL,
  isAppointedLevel,
  isHighSkill,
  isSkillLevel,
  levelAtRank,
  levelOfNationalGrade,
  nationalGradeName,
  nationalGradeOf,
  rankOf,
  SKILL_LEVEL_NAMES,
  SKILL_LEVELS,
  skillLevelName,
  SkillLevel,
} from './skill-ladder';

describe('the eight-level ladder (domain.md section 2)', () => {
  // rank, API value, Chinese, national grade digit (0 = none), national grade name
  const TABLE: Array<[number, SkillLevel, string, number, string | undefined]> = [
    [1, 'apprentice', '学徒工', 0, undefined],
    [2, 'junior', '初级工', 5, '五级'],
    [3, 'intermediate', '中级工', 4, '四级'],
    [4, 'senior', '高级工', 3, '三级'],
    [5, 'technician', '技师', 2, '二级'],
    [6, 'senior_technician', '高级技师', 1, '一级'],
    [7, 'special_technician', '特级技师', 0, undefined],
    [8, 'chief_technician', '首席技师', 0, undefined],
  ];

  it('has exactly the eight levels of the table, in rank order', () => {
    expect(SKILL_LEVELS).toEqual(TABLE.map(([, level]) => level));
    expect(Object.keys(SKILL_LEVEL_NAMES).sort()).toEqual([...SKILL_LEVELS].sort());
  });

  it.each(TABLE)('rank %i is %s (%s), national grade %i (%s)', (rank, level, chinese, grade, gradeName) => {
    expect(rankOf(level)).toBe(rank);
    expect(levelAtRank(rank)).toBe(level);
    expect(skillLevelName(level)).toBe(chinese);
    expect(SKILL_LEVEL_NAMES[level]).toBe(chinese);
    expect(nationalGradeOf(level)).toBe(grade);
    expect(nationalGradeName(level)).toBe(gradeName);
    expect(isSkillLevel(level)).toBe(true);
  });

  it.each([0, 9, -1, 1.5, NaN])('has no level at rank %p', (rank) => {
    expect(levelAtRank(rank)).toBeUndefined();
  });

  it.each(['grandmaster', 'Senior', '高级工', '', 4, null, undefined])('does not take %p for a level', (value) => {
    expect(isSkillLevel(value)).toBe(false);
  });

  it('counts rank 4 and above as high-skill talent: senior is, intermediate is not', () => {
    expect(HIGH_SKILL_RANK).toBe(4);
    expect(isHighSkill('intermediate')).toBe(false);
    expect(isHighSkill('senior')).toBe(true);
    expect(SKILL_LEVELS.filter(isHighSkill)).toEqual(['senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician']);
  });

  it('maps the national grades 1–5 back to levels; 0 stands for no single level', () => {
    expect([1, 2, 3, 4, 5].map(levelOfNationalGrade)).toEqual(['senior_technician', 'technician', 'senior', 'intermediate', 'junior']);
    expect(levelOfNationalGrade(0)).toBeUndefined();
    expect(levelOfNationalGrade(6)).toBeUndefined();
    for (const level of SKILL_LEVELS) {
      const grade = nationalGradeOf(level);
      if (grade !== 0) expect(levelOfNationalGrade(grade)).toBe(level);
    }
  });

  it('knows the appointed levels and the highest certified one', () => {
    expect(SKILL_LEVELS.filter(isAppointedLevel)).toEqual(['special_technician', 'chief_technician']);
    expect(HIGHEST_CERTIFIED_LEVEL).toBe('senior_technician');
    expect(rankOf(HIGHEST_CERTIFIED_LEVEL)).toBe(6);
  });
});
