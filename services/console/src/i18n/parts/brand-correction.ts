/**
 * Correcting a labour brand registered with a mistake on the bureau's brand page (screens/bureau/brand-correction-step.tsx,
 * PATCH /api/v1/brands/{id}): the step saying what may be corrected and what not (the bureau, region and tier make
 * another brand), its fields and their local rules, its reason, the line saying it was done, and the audit log's
 * words for it. Terms follow docs/console.md.
 */
export const brandCorrectionZhCN = {
  'brand.correct.start': '更正品牌信息',
  'brand.correct.confirmTitle': '更正“{name}”的品牌信息',
  'brand.correct.what':
    '用于纠正登记时的录入错误：品牌名称、行业代码、职业（工种）编码和建设单位可以更正，更正后品牌列表和达标情况都按更正后的信息计算；已作出的认定保留当时依据的数据。所属人社局、地区和品牌层级不能更正：层级不同的是另一个品牌，请重新登记。',
  'brand.correct.name': '品牌名称',
  'brand.correct.industryCode': '行业代码',
  'brand.correct.occupationCodes': '职业（工种）编码（多个用逗号或空格分隔）',
  'brand.correct.buildingUnits': '建设单位统一社会信用代码（多个用逗号或空格分隔）',
  'brand.correct.nameTooLong': '品牌名称不能超过 {max} 个字',
  'brand.correct.codesRequired': '请至少填写一个编码',
  'brand.correct.unitsRule': '统一社会信用代码无效：{codes}',
  'brand.correct.unchanged': '没有改动任何信息：请先修改要更正的内容。',
  'brand.correct.reason': '更正原因',
  'brand.correct.reasonRequired': '请填写更正原因。',
  'brand.correct.confirm': '确认更正',
  'brand.corrected': '品牌信息已更正。',
  'auditAction.CorrectBrand': '更正品牌信息',
  'rule.brand_certified_above_tier': '本品牌已获更高级别认定，须由作出该认定的人社部门先撤销，才能更正。',
} as const;

export const brandCorrectionEn: Record<keyof typeof brandCorrectionZhCN, string> = {
  'brand.correct.start': 'Correct the brand',
  'brand.correct.confirmTitle': 'Correct the details of “{name}”',
  'brand.correct.what':
    'For details entered wrongly when the brand was registered: its name, industry code, occupation codes and building units may be corrected, and the brand list and its qualification then use the corrected details; decisions already taken keep the figures they were based on. The bureau, the region and the tier are not corrected: a brand of another tier is another brand, so register it anew.',
  'brand.correct.name': 'Brand name',
  'brand.correct.industryCode': 'Industry code',
  'brand.correct.occupationCodes': 'Occupation codes (separated by commas or spaces)',
  'brand.correct.buildingUnits': 'Building units’ credit codes (separated by commas or spaces)',
  'brand.correct.nameTooLong': 'The brand name may be at most {max} characters',
  'brand.correct.codesRequired': 'Enter at least one code',
  'brand.correct.unitsRule': 'Not a valid unified social credit code: {codes}',
  'brand.correct.unchanged': 'Nothing was changed: change what is to be corrected first.',
  'brand.correct.reason': 'Reason for the correction',
  'brand.correct.reasonRequired': 'Enter the reason for the correction.',
  'brand.correct.confirm': 'Correct the brand',
  'brand.corrected': 'The brand details are corrected.',
  'auditAction.CorrectBrand': 'Correct a labour brand',
  'rule.brand_certified_above_tier': "A higher tier's certification of this brand stands: the bureau that decided it revokes it first, then the brand is corrected.",
};
