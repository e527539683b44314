/** The register page's words for a field said wrong and for a person already on the platform (screens/school/register-trainee): Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const registerZhCN = {
  'register.elsewhere.school': '这位学员已在平台上登记，不用再登记。要让其参加本校的培训，请打开培训班的花名册，按身份证号和姓名查找后报名。',
  'register.elsewhere.toCourses': '打开培训班列表',
  'register.elsewhere.employer': '这位人员已在平台上登记，不用再登记。要录用，请打开招聘岗位，按身份证号和姓名查找后录用。',
  'register.elsewhere.toPlacements': '打开招聘岗位',
  'register.elsewhere.other': '这位学员已在平台上登记，不用再登记。',
  'register.nameRequired': '请输入学员的姓名。',
  'register.phoneHint': '11 位手机号码，以 1 开头。',
  'register.phoneRule': '手机号须为以 1 开头的 11 位数字。',
  'register.optional': '（选填）',
};

export const registerEn: Record<keyof typeof registerZhCN, string> = {
  'register.elsewhere.school': 'This person is already registered on the platform: there is no need to register them again. To enrol them in one of your courses, open the course’s roster and find them there by identity number and name.',
  'register.elsewhere.toCourses': 'Open the courses',
  'register.elsewhere.employer': 'This person is already registered on the platform: there is no need to register them again. To hire them, open a placement and find them there by identity number and name.',
  'register.elsewhere.toPlacements': 'Open the placements',
  'register.elsewhere.other': 'This person is already registered on the platform: there is no need to register them again.',
  'register.nameRequired': 'Enter the trainee’s name.',
  'register.phoneHint': '11 digits, starting with 1.',
  'register.phoneRule': 'The mobile number must be 11 digits starting with 1.',
  'register.optional': ' (optional)',
};
