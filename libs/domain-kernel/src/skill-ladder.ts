// The national eight-level skill ladder (八级工), domain.md section 2. A level is held per occupation.

export const SKILL_LEVELS = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'] as const;

export type SkillLevel = (typeof SKILL_LEVELS)[number];

/** Display names: 学徒工 … 首席技师. */
export const SKILL_LEVEL_NAMES: Record<SkillLevel, string> = {
  apprentice: '学徒工',
  junior: '初级工',
  intermediate: '中级工',
  senior: '高级工',
  technician: '技师',
  senior_technician: '高级技师',
  special_technician: '特级技师',
  chief_technician: '首席技师',
};

export const skillLevelName = (level: SkillLevel): string => SKILL_LEVEL_NAMES[level];

export const isSkillLevel = (value: unknown): value is SkillLevel => typeof value === 'string' && (SKILL_LEVELS as readonly string[]).includes(value);

/** 1 (apprentice) … 8 (chief technician). */
export const rankOf = (level: SkillLevel): number => SKILL_LEVELS.indexOf(level) + 1;

/** The level at a rank 1–8; undefined for any other number. */
export const levelAtRank = (rank: number): SkillLevel | undefined => (Number.isInteger(rank) && rank >= 1 && rank <= SKILL_LEVELS.length ? SKILL_LEVELS[rank - 1] : undefined);

/** The rank from which a level counts as high-skill talent (高技能人才): senior. */
export const HIGH_SKILL_RANK = 4;

/** 高技能人才: rank 4 (senior) and above. */
export const isHighSkill = (level: SkillLevel): boolean => rankOf(level) >= HIGH_SKILL_RANK;

/** The highest level an assessment or an exceptional promotion can reach; the two above are appointed. */
export const HIGHEST_CERTIFIED_LEVEL: SkillLevel = 'senior_technician';

/** 特级技师 and 首席技师 are enterprise positions, reached by appointment only, with no national grade. */
export const isAppointedLevel = (level: SkillLevel): boolean => level === 'special_technician' || level === 'chief_technician';

/**
 * The national grade digit of a certificate number: 5 (五级, junior) … 1 (一级, senior technician); 0 for
 * the apprentice and the two appointed positions, which have no national grade.
 */
export function nationalGradeOf(level: SkillLevel): number {
  const rank = rankOf(level);
  return rank >= 2 && rank <= 6 ? 7 - rank : 0;
}

/** The level a national grade 1–5 stands for; undefined for 0 (apprentice or appointed: not one level) and anything else. */
export function levelOfNationalGrade(grade: number): SkillLevel | undefined {
  return Number.isInteger(grade) && grade >= 1 && grade <= 5 ? levelAtRank(7 - grade) : undefined;
}

const GRADE_NAMES = ['', '一级', '二级', '三级', '四级', '五级'];

/** 五级 … 一级, for display; undefined for the levels without a national grade. */
export function nationalGradeName(level: SkillLevel): string | undefined {
  const grade = nationalGradeOf(level);
  return grade === 0 ? undefined : GRADE_NAMES[grade];
}
