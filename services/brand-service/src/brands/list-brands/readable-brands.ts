import { NotPermitted, refuseOutsideBureauRegion } from '@skills/domain-kernel';
import { BrandReader } from '../brand.aggregate';

/**
 * Which brands a list shows: those inside `regionCode` (null: anywhere) and, for staff, those with
 * `buildingUnit` among their building units; `none` when the caller may read no brand at all.
 */
export type ReadableBrands = { none: true } | { none: false; regionCode: string | null; buildingUnit: string | null };

/**
 * domain.md section 9, "read a brand and its qualification", as a filter (refuseBrandReader judges one
 * brand the same way): a platform admin reads every brand, in the region asked for if any; a bureau
 * officer those of its region (by default all of it), and asking for a region outside it is a 403
 * naming the permission; school and employer staff those their organisation builds.
 */
export function readableBrands(by: BrandReader, regionCode: string | undefined, permission: string): ReadableBrands {
  switch (by.role) {
    case 'platform_admin':
      return { none: false, regionCode: regionCode ?? null, buildingUnit: null };
    case 'bureau_officer': {
      if (by.bureauRegion === null) throw new NotPermitted(permission, `user ${by.userId ?? '(none)'} acts for no registered bureau`);
      const asked = regionCode ?? by.bureauRegion;
      refuseOutsideBureauRegion(permission, { role: by.role, regionCode: by.bureauRegion }, asked);
      return { none: false, regionCode: asked, buildingUnit: null };
    }
    case 'school_staff':
    case 'employer_staff':
      // An organisation not known here (yet) builds no brand: an empty list, as for one that builds none.
      return by.creditCode === null ? { none: true } : { none: false, regionCode: regionCode ?? null, buildingUnit: by.creditCode };
    default:
      throw new NotPermitted(permission, `a ${by.role ?? 'caller without a role'} reads no brand`);
  }
}
