import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Role } from '@skills/contracts';

/**
 * Every permission a route can require, and the roles that hold it (domain.md section 9). Whether the
 * role's organisation owns the resource is checked against the aggregate's state in the pipeline.
 */
export const PERMISSIONS = {
  'users:create': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'users:disable': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'users:password': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'api-keys:create': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'api-keys:revoke': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff'],
  'me:read': ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'],
  'signing-keys:rotate': ['platform_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type PermissionName = keyof typeof PERMISSIONS;

export const PERMISSION_KEY = 'skills:permission';
export const PUBLIC_KEY = 'skills:public';

/** The permission a route needs, beside the route and in its OpenAPI operation (x-permission, bearer). */
export const Permission = (permission: PermissionName) =>
  applyDecorators(
    SetMetadata(PERMISSION_KEY, permission),
    ApiBearerAuth(),
    ApiExtension('x-permission', permission),
    ApiUnauthorizedResponse({ description: 'No valid access token' }),
    ApiForbiddenResponse({ description: `The caller's role does not hold ${permission}` }),
  );

/** A route anyone may call without a token (api.md lists them). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-permission', 'public'));

export const allows = (permission: PermissionName, role: Role): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(role);
