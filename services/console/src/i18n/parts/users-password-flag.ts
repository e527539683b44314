/**
 * Who still has to change a password someone else set (GET /api/v1/users, passwordChangeRequired): the
 * column of the administrator's list of users and the tag in it. Simplified Chinese (the keys) and English;
 * terms follow docs/console.md.
 */
export const usersPasswordFlagZhCN = {
  'admin.users.passwordState': '密码状态',
  'admin.users.mustChangePassword': '待修改密码',
};

export const usersPasswordFlagEn: Record<keyof typeof usersPasswordFlagZhCN, string> = {
  'admin.users.passwordState': 'Password',
  'admin.users.mustChangePassword': 'Must change password',
};
