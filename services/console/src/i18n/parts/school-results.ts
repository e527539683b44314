/**
 * A school clerk's results grid, roster and course form (screens/school): the words added for a result
 * recorded by someone else meanwhile, a pass or fail still to choose, a date far after the course, a voided
 * registration and a one-day course, in Simplified Chinese (the keys) and English. Terms follow docs/console.md.
 */
export const schoolResultsZhCN = {
  'results.pass': '合格',
  'results.fail': '不合格',
  'results.keysChoice': '在“合格”“不合格”上按空格键选择，左右方向键在两者和同行其他单元格间移动。',
  'results.passedRequired': '请选择合格或不合格。',
  'results.lateAssessment': '考核日期比结业日期（{endDate}）晚 90 天以上，请核对年份。',
  'results.lateAssessmentConfirm': '考核日期比结业日期（{endDate}）晚 90 天以上，本行尚未保存。请核对年份；确认无误，再按一次“{save}”即可保存。',
  'results.changedMeanwhile': '在您录入期间，已有人为该学员登记了另一成绩：{result}，考核日期 {assessedOn}。本行尚未保存，您填写的内容仍保留；再按一次“{save}”将更正该成绩。',
  'results.removedMeanwhile': '在您录入期间，该学员原有的成绩已有变动，现在没有已登记的成绩。本行尚未保存，您填写的内容仍保留；再按一次“{save}”将登记为新成绩。',
  'results.registrationVoided': '该学员的登记已作废，不能录入成绩。',
  'roster.registrationVoided': '学员登记已作废',
  'rule.assessment_changed': '在您录入期间，已有人为该学员登记了另一成绩，本次未保存。',
  'rule.trainee_voided': '该学员的登记已作废（登记有误），不能为其录入成绩。',
  'course.oneDayCourse': '结业日期与开班日期相同：这是为期一天的培训班。如不是，请修改结业日期。',
  'field.corrects': '所更正的成绩',
  'fieldRule.target_level_on_ethics_course': '职业道德和法律类培训班不设目标等级。',
  'fieldRule.target_level_appointed': '该等级由用人单位聘任，不作为培训目标；培训班的目标等级最高为高级技师。',
  'auditAction.WithdrawVoidedTrainee': '登记作废的学员退出培训班',
};

export const schoolResultsEn: Record<keyof typeof schoolResultsZhCN, string> = {
  'results.pass': 'Pass',
  'results.fail': 'Fail',
  'results.keysChoice': 'On Pass or Fail, Space chooses; the left and right arrow keys move between them and across the row.',
  'results.passedRequired': 'Choose pass or fail.',
  'results.lateAssessment': 'The assessment date is more than 90 days after the course ended ({endDate}): check the year.',
  'results.lateAssessmentConfirm': 'The assessment date is more than 90 days after the course ended ({endDate}), and this row is not saved yet. Check the year; if it is right, press “{save}” again to save it.',
  'results.changedMeanwhile': 'Another result was recorded for this trainee while you were typing: {result}, assessed on {assessedOn}. This row is not saved yet and your values are kept; press “{save}” again to replace that result.',
  'results.removedMeanwhile': 'The trainee’s result changed while you were typing: none is recorded now. This row is not saved yet and your values are kept; press “{save}” again to record them as a new result.',
  'results.registrationVoided': 'This trainee’s registration is voided: no result can be recorded.',
  'roster.registrationVoided': 'Registration voided',
  'rule.assessment_changed': 'Another result was recorded for this trainee meanwhile: nothing was saved.',
  'rule.trainee_voided': 'This trainee’s registration is voided (it was made in error): no result can be recorded for them.',
  'course.oneDayCourse': 'The end date is the start date: a one-day course. If it is not, change the end date.',
  'field.corrects': 'Result being corrected',
  'fieldRule.target_level_on_ethics_course': 'An ethics and law course has no target level.',
  'fieldRule.target_level_appointed': 'This level is appointed by an employer, not trained for: a course targets senior technician at most.',
  'auditAction.WithdrawVoidedTrainee': 'Withdraw a trainee whose registration was voided',
};
