/**
 * Temporary passwords (a password someone else set, changed at the first sign-in): the box on the admin's
 * create-user form and reset-password step, and the line on /me/password saying why the user is there.
 * Simplified Chinese (the keys) and English; terms follow docs/console.md.
 */
export const temporaryPasswordsZhCN = {
  'temporaryPasswords.mustChange': '用户首次登录须修改密码',
  'temporaryPasswords.mustChangeHint': '勾选后，对方用这个密码登录后必须先设置自己的新密码，才能继续使用。',
  'temporaryPasswords.why': '您现在的密码是别人（管理员）为您设置的。请先设置一个只有您自己知道的新密码，然后才能继续使用。',
  'rule.password_change_required': '您的密码是别人为您设置的，请先修改密码再继续。',
  'fieldRule.own_password_not_temporary': '不能把自己设置的密码标为临时密码',
  'fieldRule.password_not_new': '新密码不能与当前密码相同',
  'field.temporaryPassword': '首次登录须修改密码',
};

export const temporaryPasswordsEn: Record<keyof typeof temporaryPasswordsZhCN, string> = {
  'temporaryPasswords.mustChange': 'The user must change it at first sign-in',
  'temporaryPasswords.mustChangeHint': 'When checked, the person signing in with this password must first choose a new one of their own to go on.',
  'temporaryPasswords.why': 'Your password was set by someone else (an administrator). Choose a new one that only you know to go on.',
  'rule.password_change_required': 'Your password was set by someone else: change it first to go on.',
  'fieldRule.own_password_not_temporary': 'cannot be set on a password you choose yourself',
  'fieldRule.password_not_new': 'must differ from your current password',
  'field.temporaryPassword': 'Must change at first sign-in',
};
