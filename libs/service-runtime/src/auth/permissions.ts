import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from '@skills/contracts';
import { PASSWORD_CHANGE_ONLY } from './password-change-required';

/**
 * Every permission a route can require, and the roles that hold it (domain.md section 9). Whether the
 * role's organisation owns the resource is checked against the aggregate's state in the pipeline.
 * Every route names one of these or is @Public() (proved by e2e/src/route-permissions.e2e-spec.ts).
 */
export const PERMISSIONS = {
  'users:create': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'users:disable': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  // The users of an organisation, as those who create and disable them see them (the read checks which organisation).
  'users:read': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'users:password': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'users:totp': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  // A platform admin alone: whoever manages a user may set their password, and with both could be the user.
  'users:totp-reset': ['platform_admin'],
  // Staff users for themselves (domain.md section 9), not a platform admin: a key asks for no second factor and
  // outlives password changes, and one acting as a platform admin would hold every platform-wide power for good.
  // A platform admin keeps revoking and reading keys (an incident). Keys of a role without it get no token (invalid_client).
  'api-keys:create': ['bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'api-keys:revoke': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  // A staff user's own keys; an organisation's administrator also its organisation's (never a secret).
  'api-keys:read': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'me:read': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  // Every signed-in user, for themself only (the user aggregate checks it is their own stream).
  'me:preferences': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'signing-keys:rotate': ['platform_admin'],
  // The audit log: platform admins all of it; an organisation's administrator (orgAdmin, checked by the read) its organisation's.
  'audit:read': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  // Organisations.
  'bureaus:register': ['platform_admin'],
  'providers:register': ['platform_admin', 'bureau_officer'],
  'evaluators:register': ['platform_admin', 'bureau_officer'],
  // One evaluator as registered (its kind): its own staff, a bureau of its region, a platform admin (the read checks which; others get 404).
  'evaluators:read': ['platform_admin', 'bureau_officer', 'evaluator_staff'],
  'employers:register': ['platform_admin', 'bureau_officer'],
  // Trainees: "related" staff are those of a provider, evaluator or employer that registered, enrolled, certified or employed them.
  'trainees:register': ['platform_admin', 'school_staff', 'employer_staff'],
  'trainees:lookup': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'trainees:read': ['platform_admin', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'trainees:read-archive': ['platform_admin', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'trainees:erase-personal-data': ['platform_admin', 'trainee'],
  // The trainee; staff of the registering organisation (checked by the aggregate); a platform admin.
  'trainees:correct': ['platform_admin', 'school_staff', 'employer_staff', 'trainee'],
  // A registration made in error: the registering organisation's staff (the aggregate), a platform admin.
  'trainees:void': ['platform_admin', 'school_staff', 'employer_staff'],
  // Staff of a related organisation (checked against the trainee's relations), or a platform admin.
  'trainees:issue-activation-code': ['platform_admin', 'school_staff', 'evaluator_staff', 'employer_staff'],
  // Training: the course's provider; a bureau of its region may read (domain.md section 9: no platform admin).
  'courses:schedule': ['school_staff'],
  'courses:read': ['school_staff', 'bureau_officer'],
  'courses:enrol': ['school_staff'],
  'courses:withdraw': ['school_staff'],
  'courses:record-results': ['school_staff'],
  // Certification: the evaluator (revoke: the issuing one); a trainee's ladder like their archive.
  'certificates:certify': ['evaluator_staff'],
  'certificates:revoke': ['evaluator_staff'],
  // The list of certificates: the issuing evaluator's staff, the holder, the platform admin (the read checks which).
  'certificates:read': ['platform_admin', 'evaluator_staff', 'trainee'],
  'ladders:read': ['platform_admin', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'ladders:read-distribution': ['platform_admin', 'bureau_officer'],
  // Statistics: a bureau its region; a school its own outcomes (a bureau those of its region's schools); a platform admin all.
  'statistics:read-region': ['platform_admin', 'bureau_officer'],
  'statistics:read-outcomes': ['platform_admin', 'bureau_officer', 'school_staff'],
  // Placements: the employer.
  'placements:post': ['employer_staff'],
  'placements:close': ['employer_staff'],
  'placements:hire': ['employer_staff'],
  'employments:end': ['employer_staff'],
  // Its employments: the employer's staff (checked by the read), a platform admin.
  // An employer's staff, their own employer's (domain.md section 9: no platform admin, as for courses:read).
  'employments:read': ['employer_staff'],
  // Labour brands: a bureau whose region (and level, for the tier) fits; readers also the building units (providers, employers).
  'brands:register': ['bureau_officer'],
  'brands:read': ['platform_admin', 'bureau_officer', 'school_staff', 'employer_staff'],
  'brands:read-qualification': ['platform_admin', 'bureau_officer', 'school_staff', 'employer_staff'],
  'brands:certify': ['bureau_officer'],
  'brands:revoke': ['bureau_officer'],
  // Imports (api.md): staff of the organisation the rows are for; the kind's own permission is checked too.
  // An evaluator's signing key: its administrators (orgAdmin), or a platform admin.
  'credentials:rotate-key': ['platform_admin', 'evaluator_staff'],
  'imports:create': ['school_staff', 'evaluator_staff', 'employer_staff'],
  'imports:read': ['school_staff', 'evaluator_staff', 'employer_staff'],
  // Operators: /admin/* and /metrics.
  'admin:operate': ['platform_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type PermissionName = keyof typeof PERMISSIONS;

/**
 * What a token got with an API key may not do, though its creator may: make another key or user (an
 * activation code makes a trainee's user), set a password, enrol a second factor, disable a user. A key is
 * for an integration's work; were these open to it, a leaked key would outlive its revocation in a key or a
 * user of its own, take its creator's account (or strip another user's second factor), or lock every other
 * administrator of the organisation out for good (a disabled user is never enabled again, and their keys die),
 * or close a trainee's own account by voiding their registration.
 * A key revokes keys of its own creator only (the user aggregate's RevokeApiKey).
 */
export const SIGNED_IN_ONLY: readonly PermissionName[] = [
  'api-keys:create',
  'users:create',
  'users:disable',
  'users:password',
  'users:totp',
  'users:totp-reset',
  'trainees:issue-activation-code',
  // A registration's void also erases the trainee's own account, for good: a person decides it, not an integration.
  'trainees:void',
];

/**
 * What a token for enrolling a second factor (purpose `totp_enrolment`, got with the password by a user
 * REQUIRE_TOTP_ROLES asks one of) may do: read who it is, enrol and confirm. Nothing else until the user
 * signs in with the code.
 */
export const TOTP_ENROLMENT_ONLY: readonly PermissionName[] = ['me:read', 'users:totp'];

export const PERMISSION_KEY = 'skills:permission';
export const PUBLIC_KEY = 'skills:public';

/** The permission a route needs, beside the route and in its OpenAPI operation (x-permission, bearer). */
export const Permission = (permission: PermissionName) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiExtension('x-permission', permission),
    ApiUnauthorizedResponse({ description: 'No valid access token' }),
    ApiForbiddenResponse({ description: forbiddenDescription(permission) }),
  );

/**
 * Every reason a route answers 403 (rule permission_denied, the detail saying which): the role, the
 * resource (the command or read judges whose it is), an API key's token where a user must sign in, and
 * the enrolment-only token anywhere but where it enrols.
 */
function forbiddenDescription(permission: PermissionName): string {
  return [
    `The caller's role does not hold ${permission}, or the resource is not one the caller may act on (another organisation's, one outside a bureau officer's region, another user's own)`,
    ...(SIGNED_IN_ONLY.includes(permission) ? ['or its token was got with an API key (a user signed in in person only)'] : []),
    ...(TOTP_ENROLMENT_ONLY.includes(permission) ? [] : ['or its token only enrols a second factor (scope totp_enrolment)']),
    // Rule password_change_required, not permission_denied: the user's password was set by someone else.
    ...(PASSWORD_CHANGE_ONLY.includes(permission) && permission !== 'users:password' ? [] : ['or (rule `password_change_required`) its user must first change a password someone else set (GET /api/v1/me says passwordChangeRequired)']),
  ].join(', ');
}

/** A route anyone may call without a token (api.md lists them). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-permission', 'public'));

export const allows = (permission: PermissionName, role: Role): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);
