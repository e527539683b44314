/**
 * Setting up the platform and its organisations: a platform admin's next steps on the welcome page, and the
 * rules the registering and create-user forms say at their fields before sending (in the forms' own terms:
 * the field's label). Simplified Chinese (the keys) and English; terms follow docs/console.md.
 */
export const onboardingZhCN = {
  'onboarding.nextSteps': '开始管理平台',
  'onboarding.nextStepsIntro': '先登记人社局和各个机构，再为每个机构添加用户（其中至少一位机构管理员），由他们管理本机构的用户。',
  'onboarding.registerOrganisations': '登记机构：人社局、培训机构、评价机构和用人单位',
  'onboarding.manageUsers': '管理用户：为机构添加用户，管理平台管理员',
  'onboarding.usernameRule': '用户名须为 3 至 64 位字母、数字或 . _ - @。',
  'onboarding.nameRequired': '请填写机构名称。',
  'onboarding.creditCodeShape': '统一社会信用代码须为 18 位数字或大写字母（GB 32100，不用 I、O、Z、S、V）。',
  'onboarding.creditCodeRule': '统一社会信用代码的最后一位是校验码，与前 17 位不符：请核对是否输错。',
  'onboarding.regionRule': '行政区划代码须为 6 位数字（GB/T 2260），以省级代码开头，例如株洲市 430200。',
  'onboarding.bureauRegionRule': '行政区划代码须为 6 位数字（GB/T 2260），以省级代码开头，例如株洲市 430200；人力资源和社会保障部为 000000。',
  'onboarding.bureauRegionHint': '6 位数字，例如株洲市 430200；人力资源和社会保障部（全国）为 000000',
  'onboarding.industryRule': '行业代码须为国民经济行业分类（GB/T 4754）门类字母加该门类的大类数字，例如 C37。',
};

export const onboardingEn: Record<keyof typeof onboardingZhCN, string> = {
  'onboarding.nextSteps': 'Setting up the platform',
  'onboarding.nextStepsIntro': 'Register the labour bureaus and the organisations first, then add users for each (at least one of them its administrator), who manage their organisation’s users.',
  'onboarding.registerOrganisations': 'Register organisations: bureaus, training providers, evaluation organisations and employers',
  'onboarding.manageUsers': 'Manage users: add users for organisations, and platform administrators',
  'onboarding.usernameRule': 'The username needs 3 to 64 letters, digits or . _ - @.',
  'onboarding.nameRequired': 'Enter the name.',
  'onboarding.creditCodeShape': 'A unified social credit code is 18 digits or capital letters (GB 32100; no I, O, Z, S or V).',
  'onboarding.creditCodeRule': 'The last character of a unified social credit code is a check character, and it does not fit the first 17: check it for a typing error.',
  'onboarding.regionRule': 'A region code is six digits (GB/T 2260) starting with a province, for example 430200 for Zhuzhou.',
  'onboarding.bureauRegionRule': 'A region code is six digits (GB/T 2260) starting with a province, for example 430200 for Zhuzhou; 000000 for the national ministry.',
  'onboarding.bureauRegionHint': 'Six digits, for example 430200 for Zhuzhou; 000000 for the national ministry (the whole country)',
  'onboarding.industryRule': 'An industry code is a GB/T 4754 section letter and one of its divisions, for example C37.',
};
