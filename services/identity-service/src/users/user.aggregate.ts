import { Caller, ORGANISATION_KIND_OF_ROLE, OrganisationKind, Role } from '@skills/contracts';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted } from '@skills/domain-kernel';

// One stream per user: who they are, what they act for, their password (hashed) and whether they may sign in.

// ---- events ---------------------------------------------------------------------------------

export interface UserCreated {
  type: 'UserCreated';
  data: {
    userId: string;
    username: string;
    role: Role;
    organisationId: string | null;
    organisationKind: OrganisationKind | null;
    orgAdmin: boolean;
    traineeId: string | null;
    /** scrypt, see passwords.ts; never the password. */
    passwordHash: string;
    createdOn: string;
  };
}

export interface UserDisabled {
  type: 'UserDisabled';
  data: { userId: string; disabledOn: string };
}

export interface PasswordChanged {
  type: 'PasswordChanged';
  data: { userId: string; passwordHash: string; changedOn: string };
}

/** An API key acting as this user; its secret's hash is kept in `api_keys`, never in the log. */
export interface ApiKeyCreated {
  type: 'ApiKeyCreated';
  data: { userId: string; clientId: string; name: string; createdOn: string };
}

export interface ApiKeyRevoked {
  type: 'ApiKeyRevoked';
  data: { userId: string; clientId: string; revokedOn: string };
}

/** A TOTP second factor was issued to the user; its secret is kept in `totp_secrets`, never in the log. */
export interface TotpEnrolled {
  type: 'TotpEnrolled';
  data: { userId: string; enrolledOn: string };
}

/** The user's first valid code confirmed the second factor: from now on sign-in asks for a code. */
export interface TotpConfirmed {
  type: 'TotpConfirmed';
  data: { userId: string; confirmedOn: string };
}

export type UserEvent = UserCreated | UserDisabled | PasswordChanged | ApiKeyCreated | ApiKeyRevoked | TotpEnrolled | TotpConfirmed;

// ---- commands -------------------------------------------------------------------------------

/** `by` is who asks: domain.md section 9 says who may manage which users. */
export interface CreateUser {
  type: 'CreateUser';
  user: Omit<UserCreated['data'], 'organisationKind' | 'createdOn'>;
  by: Caller;
}

export interface DisableUser {
  type: 'DisableUser';
  by: Caller;
}

export interface ChangePassword {
  type: 'ChangePassword';
  passwordHash: string;
  by: Caller;
}

export interface CreateApiKey {
  type: 'CreateApiKey';
  clientId: string;
  name: string;
}

/** Any staff user revokes its own keys; an organisation's administrator also its organisation's. */
export interface RevokeApiKey {
  type: 'RevokeApiKey';
  clientId: string;
  by: Caller;
}

/** Only the user themself enrols (or, before confirming, enrols again with a new secret). */
export interface EnrolTotp {
  type: 'EnrolTotp';
  by: Caller;
}

/** `codeValid`: whether the code matched the enrolled secret (checked by the handler, see totps.ts). */
export interface ConfirmTotp {
  type: 'ConfirmTotp';
  codeValid: boolean;
  by: Caller;
}

export type UserCommand = CreateUser | DisableUser | ChangePassword | CreateApiKey | RevokeApiKey | EnrolTotp | ConfirmTotp;

// ---- state ----------------------------------------------------------------------------------

export interface KnownUser {
  status: 'active' | 'disabled';
  user: UserCreated['data'];
  /** The user's API keys by client id, and whether each still works. */
  apiKeys: Map<string, { name: string; revoked: boolean }>;
  /** The TOTP second factor: none, enrolled but not yet confirmed, or confirmed (asked at sign-in). */
  totp: 'none' | 'pending' | 'confirmed';
}

export type User = { status: 'unknown' } | KnownUser;

export const userStreamId = (userId: string) => `user-${userId}`;

export const userAggregate = {
  initialState: (): User => ({ status: 'unknown' }),

  evolve(state: User, event: UserEvent): User {
    switch (event.type) {
      case 'UserCreated':
        return { status: 'active', user: event.data, apiKeys: new Map(), totp: 'none' };
      case 'UserDisabled':
        return { ...existing(state, 'user'), status: 'disabled' };
      case 'PasswordChanged': {
        const known = existing(state, 'user');
        return { ...known, user: { ...known.user, passwordHash: event.data.passwordHash } };
      }
      case 'ApiKeyCreated': {
        const known = existing(state, 'user');
        return { ...known, apiKeys: new Map(known.apiKeys).set(event.data.clientId, { name: event.data.name, revoked: false }) };
      }
      case 'ApiKeyRevoked': {
        const known = existing(state, 'user');
        const key = known.apiKeys.get(event.data.clientId);
        return key ? { ...known, apiKeys: new Map(known.apiKeys).set(event.data.clientId, { ...key, revoked: true }) } : known;
      }
      case 'TotpEnrolled':
        return { ...existing(state, 'user'), totp: 'pending' };
      case 'TotpConfirmed':
        return { ...existing(state, 'user'), totp: 'confirmed' };
      default:
        return assertNever(event);
    }
  },

  decide(command: UserCommand, state: User, now: Date): UserEvent[] {
    const today = businessDateOf(now);
    switch (command.type) {
      case 'CreateUser': {
        const organisationKind = organisationKindFor(command.user);
        mayManage(command.by, { role: command.user.role, organisationId: command.user.organisationId, organisationKind }, 'users:create');
        return [{ type: 'UserCreated', data: { ...command.user, organisationKind, createdOn: today } }];
      }
      case 'DisableUser': {
        const known = existing(state, 'user');
        mayManage(command.by, known.user, 'users:disable');
        if (known.status === 'disabled') throw new DomainRefusal('user_already_disabled', `user ${known.user.username} is already disabled`);
        return [{ type: 'UserDisabled', data: { userId: known.user.userId, disabledOn: today } }];
      }
      case 'ChangePassword': {
        const known = existing(state, 'user');
        if (command.by.userId !== known.user.userId) mayManage(command.by, known.user, 'users:password');
        if (known.status === 'disabled') throw new DomainRefusal('user_disabled', `user ${known.user.username} is disabled`);
        return [{ type: 'PasswordChanged', data: { userId: known.user.userId, passwordHash: command.passwordHash, changedOn: today } }];
      }
      case 'CreateApiKey': {
        const known = existing(state, 'user');
        if (known.status === 'disabled') throw new DomainRefusal('user_disabled', `user ${known.user.username} is disabled`);
        return [{ type: 'ApiKeyCreated', data: { userId: known.user.userId, clientId: command.clientId, name: command.name, createdOn: today } }];
      }
      case 'RevokeApiKey': {
        const known = existing(state, 'user');
        if (command.by.userId !== known.user.userId) mayManage(command.by, known.user, 'api-keys:revoke');
        if (known.apiKeys.get(command.clientId)?.revoked) throw new DomainRefusal('api_key_already_revoked', `API key ${command.clientId} is already revoked`);
        return [{ type: 'ApiKeyRevoked', data: { userId: known.user.userId, clientId: command.clientId, revokedOn: today } }];
      }
      case 'EnrolTotp': {
        const known = ownTotp(command.by, state);
        if (known.totp === 'confirmed') throw new DomainRefusal('totp_already_enrolled', `user ${known.user.username} already has a confirmed second factor`);
        return [{ type: 'TotpEnrolled', data: { userId: known.user.userId, enrolledOn: today } }];
      }
      case 'ConfirmTotp': {
        const known = ownTotp(command.by, state);
        if (known.totp === 'none') throw new DomainRefusal('totp_not_enrolled', `user ${known.user.username} has no second factor to confirm; enrol first`);
        if (known.totp === 'confirmed') throw new DomainRefusal('totp_already_enrolled', `user ${known.user.username} already has a confirmed second factor`);
        if (!command.codeValid) throw new FieldRefusal('code', 'totp_code_invalid', 'the code does not match the enrolled secret at this time');
        return [{ type: 'TotpConfirmed', data: { userId: known.user.userId, confirmedOn: today } }];
      }
      default:
        return assertNever(command);
    }
  },
};

/**
 * Who manages a user (domain.md section 9): a platform admin any; an organisation's administrator the
 * users of that organisation, with a role of its kind. (A bureau officer for the organisations of its
 * region needs their regions, which identity does not know yet.)
 */
function mayManage(by: Caller, user: { role: Role; organisationId: string | null; organisationKind: OrganisationKind | null }, permission: string): void {
  if (by.role === 'platform_admin') return;
  const ownOrganisation = by.orgAdmin && by.organisationId !== null && user.organisationId === by.organisationId && user.organisationKind === by.organisationKind;
  if (!ownOrganisation) throw new NotPermitted(permission, `${by.username} administers no organisation of this user`);
}

/** A second factor is the user's own: no one enrols or confirms it for them; a disabled user neither. */
function ownTotp(by: Caller, state: User): KnownUser {
  const known = existing(state, 'user');
  if (by.userId !== known.user.userId) throw new NotPermitted('users:totp', `${by.username} may enrol only their own second factor`);
  if (known.status === 'disabled') throw new DomainRefusal('user_disabled', `user ${known.user.username} is disabled`);
  return known;
}

/** A staff role acts for an organisation of its kind, a trainee user for a trainee, an admin for neither. */
function organisationKindFor(user: CreateUser['user']): OrganisationKind | null {
  const kind = ORGANISATION_KIND_OF_ROLE[user.role];
  if (kind && !user.organisationId) throw new FieldRefusal('organisationId', 'organisation_required', `a ${user.role} user acts for an organisation (${kind})`);
  if (!kind && user.organisationId) throw new FieldRefusal('organisationId', 'organisation_not_allowed', `a ${user.role} user acts for no organisation`);
  if (user.role === 'trainee' && !user.traineeId) throw new FieldRefusal('traineeId', 'trainee_required', 'a trainee user is linked to one trainee');
  if (user.role !== 'trainee' && user.traineeId) throw new FieldRefusal('traineeId', 'trainee_not_allowed', `a ${user.role} user is linked to no trainee`);
  if (user.orgAdmin && !kind) throw new FieldRefusal('orgAdmin', 'org_admin_needs_organisation', 'only staff of an organisation can administer it');
  return kind;
}
