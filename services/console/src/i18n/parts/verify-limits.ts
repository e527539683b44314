/**
 * The verify page when the holder's name is checked no more today (POST /api/v1/certificates/verification's
 * 429 once too many wrong names were given for the number, from this network or from everywhere): when the
 * name check resumes, and that the number alone still verifies the certificate, with the way to it.
 */
export const verifyLimitsZhCN = {
  'verify.namesPaused': '今天用这个证书编号填错的姓名过多，{time} 以后才能再核对姓名。只凭证书编号仍然可以查询这张证书。',
  'verify.byNumberAlone': '只凭编号查询 {number}',
} as const;

export const verifyLimitsEn: Record<keyof typeof verifyLimitsZhCN, string> = {
  'verify.namesPaused': 'Too many wrong names were given with this certificate number today: names can be checked with it again after {time}. The certificate can still be verified by its number alone.',
  'verify.byNumberAlone': 'Verify {number} by its number alone',
};
