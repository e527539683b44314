// The national eight-level skill ladder (八级工), domain.md section 2. A level is held per occupation.

export const SKILL_LEVELS = ['apprentice', 'junior', 'intermediate', 'senior', 'technician', 'senior_technician', 'special_technician', 'chief_technician'] as const;

export type SkillLevel = (typeof SKILL_LEVELS)[number];

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

export const isSkillLevel = (value: unknown): value is SkillLevel => typeof value === 'string' && (SKILL_LEVELS as readonly string[]).includes(value);

/** 1 (apprentice) … 8 (chief technician). */
export const rankOf = (level: SkillLevel): number => SKILL_LEVELS.indexOf(level) + 1;

export const levelAtRank = (rank: number): SkillLevel | undefined => SKILL_LEVELS[rank - 1];

/** 高技能人才: rank 4 (senior) and above. */
export const isHighSkill = (level: SkillLevel): boolean => rankOf(level) >= 4;

/** The highest level an assessment or an exceptional promotion can reach; the two above are appointed. */
export const HIGHEST_CERTIFIED_LEVEL: SkillLevel = 'senior_technician';

/**
 * The national grade digit of a certificate number: 五级 (junior) … 一级 (senior technician); 0 for the
 * apprentice and the two appointed positions, which have no national grade.
 */
export function nationalGradeOf(level: SkillLevel): number {
  const rank = rankOf(level);
  return rank >= 2 && rank <= 6 ? 7 - rank : 0;
}
