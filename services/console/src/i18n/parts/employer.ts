/** The employer's workspace and the public placements board (screens/employer): its words in Simplified Chinese (the keys) and English. Terms follow docs/console.md. */
export const employerZhCN = {
  'nav.employerPlacements': '招聘岗位',
  'nav.employerEmployments': '在职人员',
  'nav.placementsBoard': '岗位信息',
} as const;

export const employerEn: Record<keyof typeof employerZhCN, string> = {
  'nav.employerPlacements': 'Placements',
  'nav.employerEmployments': 'Employments',
  'nav.placementsBoard': 'Placements board',
};
