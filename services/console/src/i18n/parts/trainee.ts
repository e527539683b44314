/** A trainee's own pages (screens/me): its words in Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const traineeZhCN = {
  'nav.myArchive': '我的培训档案',
  'nav.myLadder': '我的技能等级',
  'nav.myCertificates': '我的证书',
} as const;

export const traineeEn: Record<keyof typeof traineeZhCN, string> = {
  'nav.myArchive': 'My archive',
  'nav.myLadder': 'My skill levels',
  'nav.myCertificates': 'My certificates',
};
