/**
 * The certify form's word on the evaluator's kind (screens/evaluator/certify-form.tsx): why a social training
 * evaluation organisation is offered no direct certification or appointment (domain.md section 2: an
 * employer's alone). Terms follow docs/console.md (用人单位, 直接认定, 聘任).
 */
export const evaluatorKindZhCN = {
  'evaluator.kind.employerOnlyRoutes': '本机构是社会培训评价组织，不能直接认定或聘任（特级技师、首席技师）：这两种方式只由用人单位进行。',
  'evaluator.kind.noRouteForKind': '本机构不能为该人员在此职业（工种）认定更高等级：特级技师、首席技师只由用人单位聘任。',
} as const;

export const evaluatorKindEn: Record<keyof typeof evaluatorKindZhCN, string> = {
  'evaluator.kind.employerOnlyRoutes': 'Your organisation is a social training evaluation organisation: it does not certify directly or appoint (special or chief technician). Only an employer does.',
  'evaluator.kind.noRouteForKind': 'Your organisation cannot certify this person to a higher level in this occupation: special and chief technicians are appointed by an employer only.',
};
