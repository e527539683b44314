/** A signed-in user changing their own password (screens/me-password): its words in Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const myPasswordZhCN = {
  'myPassword.link': '修改密码',
  'myPassword.title': '修改密码',
  'myPassword.intro': '请先输入现在的密码，再把新密码输入两次。修改后，用旧密码登录的设备都会退出登录。',
  'myPassword.current': '现在的密码',
  'myPassword.new': '新密码',
  'myPassword.newHint': '至少 10 位。',
  'myPassword.newAgain': '再次输入新密码',
  'myPassword.currentRequired': '请输入现在的密码。',
  'myPassword.passwordShort': '密码至少需要 10 位。',
  'myPassword.passwordsDiffer': '两次输入的密码不一致。',
  'myPassword.submit': '修改密码',
  'myPassword.changed': '密码已修改，以后请用新密码登录。',
  'myPassword.signInAgain': '密码已修改，请用新密码重新登录。',
};

export const myPasswordEn: Record<keyof typeof myPasswordZhCN, string> = {
  'myPassword.link': 'Change password',
  'myPassword.title': 'Change password',
  'myPassword.intro': 'Enter your password now, then the new one twice. Once it is changed, every device signed in with the old password is signed out.',
  'myPassword.current': 'Current password',
  'myPassword.new': 'New password',
  'myPassword.newHint': 'At least 10 characters.',
  'myPassword.newAgain': 'New password again',
  'myPassword.currentRequired': 'Enter your password now.',
  'myPassword.passwordShort': 'The password needs at least 10 characters.',
  'myPassword.passwordsDiffer': 'The two passwords differ.',
  'myPassword.submit': 'Change password',
  'myPassword.changed': 'Your password is changed: sign in with the new one from now on.',
  'myPassword.signInAgain': 'Your password is changed. Please sign in again with the new one.',
};
