/**
 * The archive page's words for an activation code refused (screens/archive/activation-code; POST
 * /api/v1/trainees/{id}/activation-codes answers 409 trainee_has_user): said to the staff who asked, not
 * to the person as rule.trainee_has_user is at /activate. Whose account it is is not said.
 */
export const activationRefusalsZhCN = {
  'activation.refused.traineeHasUser':
    '这位学员已经有自己的账号，本次没有发放激活码。请告诉学员用该账号登录；忘记密码的，由平台管理员应本单位的请求为其设置新密码。如果这个账号不是学员本人开通的，请先请平台管理员停用它，再发放激活码。',
} as const;

export const activationRefusalsEn: Record<keyof typeof activationRefusalsZhCN, string> = {
  'activation.refused.traineeHasUser':
    'This trainee already has an account of their own: no code was issued. Tell them to sign in with it; if they forgot its password, a platform administrator sets a new one at your organisation’s request. If the person did not open the account themself, ask a platform administrator to disable it first, then issue a code.',
};
