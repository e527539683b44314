/**
 * A brand's tier inside a sentence ("certified as a city labour brand", "revoke the provincial
 * certification?"): in English without the capital the tier takes alone, as a column's value or at the
 * start of a heading (`tier.<tier>`). Chinese says them alike.
 */
export const tierInTextZhCN = {
  'tierInText.city': '市级',
  'tierInText.provincial': '省级',
  'tierInText.national': '国家级',
} as const;

export const tierInTextEn: Record<keyof typeof tierInTextZhCN, string> = {
  'tierInText.city': 'city',
  'tierInText.provincial': 'provincial',
  'tierInText.national': 'national',
};
