/** The employer's workspace, continued (screens/employer): a placement filled apart from one closed, an end before the start said at its field, a hire's overlapping employment by its dates. Simplified Chinese (the keys) and English; terms follow docs/console.md. */
export const employerHiresZhCN = {
  'employer.status.filled': '已招满',
  'employer.placement.filledNote': '名额已全部招满，不能再录用；人员离职不会空出名额。',
  'employer.placement.closedNote': '该岗位已于 {date} 结束招聘，不再办理录用。',
  'employer.end.beforeStart': '离职日期不能早于入职日期（{startDate}）。',
  'employer.hire.overlapsActive': '重叠的是该人员在本单位自 {startDate} 起的雇佣记录，尚未离职。',
  'employer.hire.overlapsEnded': '重叠的是该人员在本单位自 {startDate} 起、于 {endDate} 离职的雇佣记录。',
  'employer.hire.overlapsLater': '录用不设离职日期，所以早于这段雇佣记录的本单位雇佣不能再补录。',
} as const;

export const employerHiresEn: Record<keyof typeof employerHiresZhCN, string> = {
  'employer.status.filled': 'Filled',
  'employer.placement.filledNote': 'Every opening is filled, so no more hires can be made; an employment that ends does not free its opening.',
  'employer.placement.closedNote': 'This placement was closed on {date}: it takes no more hires.',
  'employer.end.beforeStart': 'The end date cannot be before the start date ({startDate}).',
  'employer.hire.overlapsActive': 'It overlaps this person’s employment here from {startDate}, not ended.',
  'employer.hire.overlapsEnded': 'It overlaps this person’s employment here from {startDate}, ended on {endDate}.',
  'employer.hire.overlapsLater': 'A hire has no end date, so a stint here before that employment cannot be recorded.',
};
