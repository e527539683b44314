/**
 * A school clerk's results grid, roster and course form (screens/school): the words added for a result
 * recorded by someone else meanwhile, a pass or fail still to choose, a date far after the course, a voided
 * registration and a one-day course, in Simplified Chinese (the keys) and English. Terms follow docs/console.md.
 */
export const schoolResultsZhCN = {
  'results.pass': '合格',
  'results.fail': '不合格',
  'results.keysChoice': '在“合格”“不合格”上，按空格键选择，上下方向键移到上一行或下一行（不改变选择）；左右方向键在两者间移动，从“不合格”按右方向键移到分数。',
  'results.passedRequired': '请选择合格或不合格。',
  'results.lateAssessment': '考核日期比结业日期（{endDate}）晚 90 天以上，请核对年份。',
  'results.lateAssessmentConfirm': '考核日期比结业日期（{endDate}）晚 90 天以上，本行尚未保存。请核对年份；确认无误，再按一次“{save}”即可保存。',
  'results.changedMeanwhile': '该学员现已登记另一成绩：{result}，考核日期 {assessedOn}。本行尚未保存，您填写的内容仍保留；再按一次“{save}”将更正该成绩。',
  'results.removedMeanwhile': '该学员原有的成绩已有变动，现在没有已登记的成绩。本行尚未保存，您填写的内容仍保留；再按一次“{save}”将登记为新成绩。',
  'results.registrationVoided': '该学员的登记已作废，不能录入成绩。',
  'roster.registrationVoided': '学员登记已作废',
  'rule.assessment_changed': '该学员现已登记另一成绩，本次未保存。',
  'rule.trainee_voided': '该学员的登记已作废（登记有误），不能为其录入成绩。',
  'course.oneDayCourse': '结业日期与开班日期相同：这是为期一天的培训班。如不是，请修改结业日期。',
  'field.corrects': '所更正的成绩',
  'fieldRule.target_level_on_ethics_course': '职业道德和法律类培训班不设目标等级。',
  'fieldRule.target_level_appointed': '该等级由用人单位聘任，不作为培训目标；培训班的目标等级最高为高级技师。',
  'results.refusedRow': '未保存的行：{name}',
  'withdraw.afterResult': '已有考核日期为 {assessedOn} 的成绩，不早于结业日期，不能办理退出。',
  'withdraw.notAfterResult': '退出日期须晚于已登记成绩的考核日期（{assessedOn}）。',
};

export const schoolResultsEn: Record<keyof typeof schoolResultsZhCN, string> = {
  'results.pass': 'Pass',
  'results.fail': 'Fail',
  'results.keysChoice': 'On Pass or Fail, Space chooses and the up and down arrow keys move to the row above or below (choosing nothing); the left and right arrow keys move between Pass and Fail, and right from Fail to the score.',
  'results.passedRequired': 'Choose pass or fail.',
  'results.lateAssessment': 'The assessment date is more than 90 days after the course ended ({endDate}): check the year.',
  'results.lateAssessmentConfirm': 'The assessment date is more than 90 days after the course ended ({endDate}), and this row is not saved yet. Check the year; if it is right, press “{save}” again to save it.',
  'results.changedMeanwhile': 'This trainee now has another result recorded: {result}, assessed on {assessedOn}. This row is not saved yet and your values are kept; press “{save}” again to replace that result.',
  'results.removedMeanwhile': 'The trainee’s result has changed: none is recorded now. This row is not saved yet and your values are kept; press “{save}” again to record them as a new result.',
  'results.registrationVoided': 'This trainee’s registration is voided: no result can be recorded.',
  'roster.registrationVoided': 'Registration voided',
  'rule.assessment_changed': 'This trainee now has another result recorded: nothing was saved.',
  'rule.trainee_voided': 'This trainee’s registration is voided (it was made in error): no result can be recorded for them.',
  'course.oneDayCourse': 'The end date is the start date: a one-day course. If it is not, change the end date.',
  'field.corrects': 'Result being corrected',
  'fieldRule.target_level_on_ethics_course': 'An ethics and law course has no target level.',
  'fieldRule.target_level_appointed': 'This level is appointed by an employer, not trained for: a course targets senior technician at most.',
  'results.refusedRow': 'Row not saved: {name}',
  'withdraw.afterResult': 'A result dated {assessedOn}, not before the course’s end, is recorded: no withdrawal can be made.',
  'withdraw.notAfterResult': 'The withdrawal date must be after the recorded result’s assessment date ({assessedOn}).',
};
