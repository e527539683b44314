/**
 * The rules brand-service refuses a brand's registration and a bureau's reads with: a building unit the
 * platform does not hold or outside the bureau's region (after the field's name, 建设单位), a brand name
 * already registered in the region, and a statistics period no record can fall in. Terms follow docs/console.md.
 */
export const brandRulesZhCN = {
  'fieldRule.building_unit_unknown': '不是平台上已登记的培训机构或用人单位（请核对统一社会信用代码，或先登记该单位）',
  'fieldRule.building_unit_outside_region': '所在地区不在本局所辖地区内',
  'rule.brand_name_taken': '本地区已有同名的劳务品牌，请改用其他名称。',
  'fieldRule.period_in_future': '统计期尚未开始',
  'fieldRule.period_before_records': '统计期早于 1950 年，平台没有这么早的记录',
} as const;

export const brandRulesEn: Record<keyof typeof brandRulesZhCN, string> = {
  'fieldRule.building_unit_unknown': 'is no training provider or employer registered on the platform (check the credit code, or register the organisation first)',
  'fieldRule.building_unit_outside_region': 'is located outside the bureau’s region',
  'rule.brand_name_taken': 'A labour brand of this name is already registered in the region; choose another name.',
  'fieldRule.period_in_future': 'has not begun yet',
  'fieldRule.period_before_records': 'is before 1950; the platform holds no records that early',
};
