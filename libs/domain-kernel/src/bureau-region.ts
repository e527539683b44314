import { regionContains } from './codes';
import { NotPermitted } from './domain-refusal';

/** Who acts, as far as "its region" goes: the role, and the region of the organisation acted for (null if unknown). */
export interface RegionalActor {
  role: string | null;
  regionCode: string | null;
}

/**
 * A bureau officer acts only inside its bureau's region (domain.md section 9: "a bureau_officer for an
 * organisation in its region"); a bureau whose region is not known yet acts nowhere. Other roles are
 * not judged here: what they may do is the guard's and the aggregate's other rules'.
 */
export function refuseOutsideBureauRegion(permission: string, by: RegionalActor, regionCode: string): void {
  if (by.role !== 'bureau_officer') return;
  if (by.regionCode === null) throw new NotPermitted(permission, 'the bureau this officer acts for has no known region');
  if (!regionContains(by.regionCode, regionCode)) throw new NotPermitted(permission, `region ${regionCode} is outside the bureau's region ${by.regionCode}`);
}
