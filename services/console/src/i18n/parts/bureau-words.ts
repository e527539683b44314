/**
 * A bureau officer's brand and statistics pages (screens/bureau, screens/statistics): the verdict while facts are
 * still arriving, a certified brand whose figures have fallen, its building units and industry, the criteria
 * that keep the decision date from certifying, what a revocation leaves standing, and a region outside the
 * bureau's. Terms follow docs/console.md.
 */
export const bureauWordsZhCN = {
  'brand.provisional': '暂按已到达的数据计算（还有记录正在同步，结论可能改变）：',
  'brand.noLongerQualifies': '已认定为{tier}劳务品牌，但截至 {asOf} 不再符合认定条件：{criteria}未达到。',
  'brand.buildingUnits': '建设单位',
  'revoke.notBeforeDecided': '撤销日期不能早于这一级的认定日期 {date}。',
  'revoke.notBeforeHigher': '{higher}认定于 {date} 以这一级为基础，撤销日期须在 {date} 之后。',
  'brand.industry': '行业代码',
  'certify.notOnTheseFigures': '截至 {date} 的指标不符合认定条件，不能按这一天认定：',
  'revoke.higherStands': '{higher}认定（{date} 作出）以本级认定为基础：撤销本级认定后，{higher}认定仍然有效，不会随之撤销。',
  'statistics.regionOutside': '{region} 不在本局所辖地区（{own}）内，不能查看其统计数字。',
};

export const bureauWordsEn: Record<keyof typeof bureauWordsZhCN, string> = {
  'brand.provisional': 'Counted on the records arrived so far (some are still arriving, so this may change): ',
  'brand.noLongerQualifies': 'Certified as a {tier} labour brand, but as of {asOf} it no longer qualifies: {criteria} not met.',
  'brand.buildingUnits': 'Building units',
  'revoke.notBeforeDecided': 'The revocation cannot be dated before this tier was decided, on {date}.',
  'revoke.notBeforeHigher': 'The {higher} certification decided on {date} stands on this tier: date the revocation after {date}.',
  'brand.industry': 'Industry code',
  'certify.notOnTheseFigures': 'The figures of {date} do not qualify, so the brand cannot be certified on that date:',
  'revoke.higherStands': 'The {higher} certification (decided on {date}) was based on this one: revoking this one leaves the {higher} certification standing; it is not revoked with it.',
  'statistics.regionOutside': '{region} is outside the bureau’s region ({own}): its figures cannot be shown.',
};
