/**
 * Who acts on the platform (domain.md section 9, api.md "Identity and access"): one role per user; staff
 * act for one organisation, a trainee user for one trainee, platform admins for the platform.
 */
export const ROLES = ['platform_admin', 'bureau_officer', 'school_staff', 'evaluator_staff', 'employer_staff', 'trainee'] as const;
export type Role = (typeof ROLES)[number];

export const ORGANISATION_KINDS = ['bureau', 'provider', 'evaluator', 'employer'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** The organisation kind a staff role acts for; null for roles without an organisation. */
export const ORGANISATION_KIND_OF_ROLE: Record<Role, OrganisationKind | null> = {
  platform_admin: null,
  bureau_officer: 'bureau',
  school_staff: 'provider',
  evaluator_staff: 'evaluator',
  employer_staff: 'employer',
  trainee: null,
};

/** How the caller reached the platform; `system` is work the platform does by itself. */
export type Via = 'token' | 'apiKey' | 'system';

/**
 * What a token is for, when it is not everything its role holds: `totp_enrolment`, enrolling and
 * confirming the second factor REQUIRE_TOTP_ROLES asks a user for, before they may sign in.
 */
export type TokenPurpose = 'totp_enrolment';

/** The audience of the platform's access tokens (and the default expected of an external issuer's). */
export const ACCESS_TOKEN_AUDIENCE = 'skills-ladder';

/**
 * The claims of an access token as the platform issues it (`sub` is the user id). An external OpenID
 * Connect provider's tokens are mapped onto the same `Caller` by configured claim names.
 */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  role: Role;
  /** The organisation the user acts for (a bureau's, provider's, evaluator's or employer's id), or null. */
  org: string | null;
  orgKind: OrganisationKind | null;
  orgAdmin: boolean;
  /** The trainee a `trainee` user is, or null. */
  trainee: string | null;
  /** The region code of the organisation the user acts for (a bureau's decides "its region"), or null. */
  region: string | null;
  via: Exclude<Via, 'system'>;
  /** Absent on a token for everything the role holds. */
  purpose?: TokenPurpose;
  /**
   * How many times the user's sessions had been ended (password changes and resets, second factor's resets)
   * when the token was issued, as identity read the user to check the password or the session: one ended
   * since ends the token's session too, whatever `auth_time` says (a sign-in that read the old password while
   * a reset committed signs in after the reset's instant). Absent on tokens of before it, and of other issuers.
   */
  sessions_ended?: number;
  /**
   * The API key a token of the client-credentials grant was got with (RFC 9068): its revocation refuses the
   * token at once in every service (ApiKeyRevoked). Absent on sign-in tokens and on key tokens of before it.
   */
  client_id?: string;
  /**
   * true: the user's password was set by someone else (a temporary one), and the token does little but let
   * them choose their own (AuthGuard: 403 `password_change_required` elsewhere). Absent otherwise.
   */
  password_change_required?: true;
}

/** The authenticated caller of a request, as every service sees it; recorded in event metadata as the actor. */
export interface Caller {
  userId: string;
  username: string;
  role: Role;
  organisationId: string | null;
  organisationKind: OrganisationKind | null;
  orgAdmin: boolean;
  traineeId: string | null;
  /** The region of the caller's organisation, as the organisations register knows it; null when unknown or none. */
  regionCode: string | null;
  via: Via;
  /** A token got for one purpose only (AuthGuard allows it that alone); absent for everything the role holds. */
  purpose?: TokenPurpose;
  /** The user must choose their own password before anything else (AccessTokenClaims.password_change_required); absent otherwise. */
  passwordChangeRequired?: true;
}

/** Who made a change, as every event's metadata records it (domain.md section 9). */
export interface Actor {
  userId: string | null;
  role: Role | null;
  organisationId: string | null;
  via: Via;
  /** With `via: system`: the part of the platform that acted (a consumer applying a message). */
  component?: string;
}

/** Work the platform does by itself, named by the component that does it. */
export const systemActor = (component: string): Actor => ({ userId: null, role: null, organisationId: null, via: 'system', component });

export const actorOf = (caller: Caller): Actor => ({ userId: caller.userId, role: caller.role, organisationId: caller.organisationId, via: caller.via });
