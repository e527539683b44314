/**
 * The lines that say in words what a form or a confirmed step has just done (a `role="status"` line the
 * keyboard's focus goes to, as the step or form that had it is gone), and the results grid's keys: in
 * Simplified Chinese (the keys) and English. Terms follow docs/console.md.
 */
export const announcementsZhCN = {
  'employer.placements.posted': '岗位“{title}”已发布。',
  'employer.placements.closed': '岗位“{title}”已结束招聘，不再录用。',
  'employer.employments.ended': '已办理{name}离职。',
  'courses.scheduled': '培训班“{title}”已开设。',
  'course.withdrawn': '{name}已退出本培训班，名额已释放。',
  'evaluator.certificates.revoked': '证书 {number} 已撤销。',
  'admin.apiKeys.revoked': '已撤销 {name}，使用它的程序已无法调用接口。',
  'history.revoked': '{tier}认定已撤销。',
  'results.keys': '用上下方向键或回车在同一列的行间移动，Tab 键在单元格间移动；在日期格中，上下方向键改日期，回车移到下一行。每行有自己的考核日期。',
};

export const announcementsEn: Record<keyof typeof announcementsZhCN, string> = {
  'employer.placements.posted': 'The placement “{title}” is posted.',
  'employer.placements.closed': '“{title}” is closed: it takes no more hires.',
  'employer.employments.ended': 'The employment of {name} is ended.',
  'courses.scheduled': 'The course “{title}” is scheduled.',
  'course.withdrawn': '{name} is withdrawn from this course: their seat is freed.',
  'evaluator.certificates.revoked': 'Certificate {number} is revoked.',
  'admin.apiKeys.revoked': '{name} is revoked: programs using it can no longer call the platform.',
  'history.revoked': '{tier} certification revoked.',
  'results.keys': 'Arrow keys or Enter move up and down a column, Tab moves across; in a date cell the up and down keys change the date and Enter moves down. Each row has its own assessment date.',
};
