/**
 * The register page's words for an identity number registered under a name other than the one typed
 * (screens/school/register-trainee; POST /api/v1/trainees answers 409 without the holder's id): whose it is
 * and who registered them are not said, only who puts a wrong name right. Terms follow docs/console.md.
 */
export const registerElsewhereZhCN = {
  'register.elsewhere.otherName': '这个身份证号已在平台上以另一个姓名登记。请核对填写的姓名和身份证号；如果平台上登记的姓名有误，须由为其登记的单位更正。',
} as const;

export const registerElsewhereEn: Record<keyof typeof registerElsewhereZhCN, string> = {
  'register.elsewhere.otherName':
    'This identity number is registered on the platform under another name. Check the name and the identity number you typed; if the registered name is wrong, the organisation that registered the person corrects it.',
};
