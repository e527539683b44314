/**
 * Correcting a course scheduled with a mistake on the school's course page (screens/school/course-correction-step.tsx,
 * PATCH /api/v1/courses/{id}): the step saying what may be corrected and what not (the occupation makes another
 * course), its fields and their local rules, its reason, the line saying it was done, the rule it may be refused
 * by that no other step answers, and the audit log's words for it. Terms follow docs/console.md.
 */
export const courseCorrectionZhCN = {
  'course.correct.start': '更正课程信息',
  'course.correct.confirmTitle': '更正“{title}”的课程信息',
  'course.correct.what':
    '用于纠正排课时的录入错误：培训班名称、名额、开班日期和结业日期可以更正，更正后名单、培训档案和统计中都显示更正后的信息。职业、培训类型和目标等级不能更正：职业填错的是另一个培训班，请重新排课。',
  'course.correct.holds': '目前有 {enrolled} 人占用名额；名额不能少于课程期间任一天占用名额的人数（包括后来退出的），结业日期不能早于任何报名或退出日期，开班日期不能晚于任何考核日期。',
  'course.correct.title': '培训班名称',
  'course.correct.capacity': '名额',
  'course.correct.startDate': '开班日期',
  'course.correct.endDate': '结业日期',
  'course.correct.titleRequired': '请填写培训班名称。',
  'course.correct.capacityRule': '名额须为 1 至 10000 之间的整数。',
  'course.correct.dateRequired': '请填写日期。',
  'course.correct.endBeforeStart': '结业日期不能早于开班日期。',
  'course.correct.unchanged': '没有改动任何信息：请先修改要更正的内容。',
  'course.correct.reason': '更正原因',
  'course.correct.reasonRequired': '请填写更正原因。',
  'course.correct.confirm': '确认更正',
  'course.corrected': '课程信息已更正。',
  'rule.capacity_below_enrolments': '名额少于课程期间某一天占用名额的报名人数。',
  'auditAction.CorrectCourse': '更正课程信息',
  'auditAction.RecordCourseCorrection': '记入课程信息的更正',
} as const;

export const courseCorrectionEn: Record<keyof typeof courseCorrectionZhCN, string> = {
  'course.correct.start': 'Correct the course',
  'course.correct.confirmTitle': 'Correct the details of “{title}”',
  'course.correct.what':
    'For details entered wrongly when the course was scheduled: its title, seats, start date and end date may be corrected, and the roster, the archives and the statistics then show the corrected details. The occupation, the kind of training and the target level are not corrected: a course in the wrong occupation is another course, so schedule it anew.',
  'course.correct.holds':
    '{enrolled} enrolments hold a seat now; the seats may not be fewer than the enrolments that held one on any day of the course (those withdrawn since included); the end date may not be before any enrolment or withdrawal, and the start date not after any assessment.',
  'course.correct.title': 'Course title',
  'course.correct.capacity': 'Seats',
  'course.correct.startDate': 'Start date',
  'course.correct.endDate': 'End date',
  'course.correct.titleRequired': 'Enter the course title.',
  'course.correct.capacityRule': 'The seats must be a whole number from 1 to 10,000.',
  'course.correct.dateRequired': 'Enter the date.',
  'course.correct.endBeforeStart': 'The end date may not be before the start date.',
  'course.correct.unchanged': 'Nothing was changed: change what is to be corrected first.',
  'course.correct.reason': 'Reason for the correction',
  'course.correct.reasonRequired': 'Enter the reason for the correction.',
  'course.correct.confirm': 'Correct the course',
  'course.corrected': 'The course details are corrected.',
  'rule.capacity_below_enrolments': 'Fewer seats than the enrolments that held one on a day of the course.',
  'auditAction.CorrectCourse': 'Correct a course',
  'auditAction.RecordCourseCorrection': 'Record a course’s correction',
};
