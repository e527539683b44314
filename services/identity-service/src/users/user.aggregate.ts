import { Caller, ORGANISATION_KIND_OF_ROLE, OrganisationKind, Role } from '@skills/contracts';
import type { KnownOrganisation } from '@skills/service-runtime';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted } from '@skills/domain-kernel';
import { mayAdminister, mayManage } from './who-manages-users';

// One stream per user: what they act for, their password (hashed) and whether they may sign in. Not
// their username: that is kept in `username_claims` only (see users.ts), because a trainee's username is
// often their phone number or name, and must be erasable with their personal data; the log is not.

// ---- events ---------------------------------------------------------------------------------

export interface UserCreated {
  type: 'UserCreated';
  data: {
    userId: string;
    role: Role;
    organisationId: string | null;
    organisationKind: OrganisationKind | null;
    orgAdmin: boolean;
    traineeId: string | null;
    /** scrypt, see passwords.ts; never the password. */
    passwordHash: string;
    /** Set by someone else, to be changed at the first sign-in (passwordChangeRequired); absent in events of before it: false. */
    temporaryPassword?: boolean;
    createdOn: string;
  };
}

export interface UserDisabled {
  type: 'UserDisabled';
  data: { userId: string; disabledOn: string };
}

/**
 * `changedAt`: the instant, which ends the sessions signed in before it (sessionsEndedAt); absent in events of before it.
 * `temporaryPassword`: set by whoever manages the user, to be changed at the next sign-in; absent in events of before it: false.
 */
export interface PasswordChanged {
  type: 'PasswordChanged';
  data: { userId: string; passwordHash: string; changedOn: string; changedAt?: string; temporaryPassword?: boolean };
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

/**
 * The user's second factor was taken away by whoever manages them (a phone lost): its secret is deleted,
 * and sign-in asks for no code until they enrol another.
 */
export interface TotpReset {
  type: 'TotpReset';
  /** `resetAt`: the instant, as PasswordChanged's `changedAt`. */
  data: { userId: string; resetOn: string; resetAt?: string };
}

/**
 * How the user likes the console: its language and the larger, simpler "elder mode". Kept on the user's
 * stream so it follows them to another device; the whole preferences after the change.
 */
export interface PreferencesChanged {
  type: 'PreferencesChanged';
  data: { userId: string; locale: Locale; elderMode: boolean; changedOn: string };
}

/** The trainee this user is had their personal data erased: the user is gone for good, its username forgotten. */
export interface UserErased {
  type: 'UserErased';
  data: { userId: string; erasedOn: string };
}

export type UserEvent = UserErased | UserCreated | UserDisabled | PasswordChanged | ApiKeyCreated | ApiKeyRevoked | TotpEnrolled | TotpConfirmed | TotpReset | PreferencesChanged;

// ---- preferences ----------------------------------------------------------------------------

/** The console's languages. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export interface UserPreferences {
  locale: Locale;
  elderMode: boolean;
}

/** What a user who never chose has: the console in Chinese, elder mode off. */
export const DEFAULT_PREFERENCES: UserPreferences = { locale: 'zh-CN', elderMode: false };

// ---- commands -------------------------------------------------------------------------------

/**
 * `by` is who asks: domain.md section 9 says who may manage which users; `organisation` is what the
 * register knows of the managed user's organisation, by which a bureau officer's region is judged.
 */
export interface CreateUser {
  type: 'CreateUser';
  user: Omit<UserCreated['data'], 'organisationKind' | 'createdOn'>;
  organisation: KnownOrganisation | null;
  by: Caller;
}

/**
 * `lastPlatformAdmin`: whether the user is the only active platform admin (counted by the handler under
 * the platform admins' lock, see isLastActivePlatformAdmin): nobody would be left to administer the platform.
 */
export interface DisableUser {
  type: 'DisableUser';
  organisation: KnownOrganisation | null;
  lastPlatformAdmin: boolean;
  by: Caller;
}

/**
 * The user themself changes their password with the one they have now: `currentPasswordMatched` is the
 * hash of the user's password that the current password they sent matched (checked by the handler, as
 * sign-in checks it), undefined when it did not. Whoever manages the user sets it without.
 */
export interface ChangePassword {
  type: 'ChangePassword';
  passwordHash: string;
  /** Only whoever manages the user sets a temporary one: one's own password is one's own choice. */
  temporaryPassword: boolean;
  currentPasswordMatched?: string;
  /** One's own change: whether the new password is the current one (judged by its hash, which this cannot: scrypt is slow and asynchronous). */
  newIsCurrent?: boolean;
  organisation: KnownOrganisation | null;
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

/**
 * Only the user themself enrols (or, before confirming, enrols again with a new secret), with their
 * password: `currentPasswordMatched` as for ChangePassword; not asked with the enrolment-only token
 * (purpose totp_enrolment), got with the password at sign-in a moment before.
 */
export interface EnrolTotp {
  type: 'EnrolTotp';
  currentPasswordMatched?: string;
  by: Caller;
}

/** `codeValid`: whether the code matched the enrolled secret (checked by the handler, see totps.ts). */
export interface ConfirmTotp {
  type: 'ConfirmTotp';
  codeValid: boolean;
  by: Caller;
}

/**
 * A platform admin takes a user's second factor away (not the user: a session of theirs in other hands
 * could). Not whoever manages the user: they may set the user's password too, and with both could enrol a
 * second factor of their own and be the user.
 */
export interface ResetTotp {
  type: 'ResetTotp';
  by: Caller;
}

/**
 * A trainee creates their own user with an activation code: no caller, the code is the authority
 * (the handler found it unused, see activation-codes.ts); it is judged here only against `now`.
 */
export interface ActivateTraineeUser {
  type: 'ActivateTraineeUser';
  /** The trainee's own password: never temporary. */
  user: Pick<UserCreated['data'], 'userId' | 'passwordHash'> & { traineeId: string };
  codeExpiresAt: string;
}

/** Only the user themself changes their preferences; what is left out stays as it was. */
export interface ChangePreferences {
  type: 'ChangePreferences';
  preferences: Partial<UserPreferences>;
  by: Caller;
}

/** The erasure of a trainee's personal data reached identity: their users go with it (the platform acts). */
export interface EraseTraineeUser {
  type: 'EraseTraineeUser';
  traineeId: string;
}

export type UserCommand = EraseTraineeUser | CreateUser | DisableUser | ChangePassword | CreateApiKey | RevokeApiKey | EnrolTotp | ConfirmTotp | ResetTotp | ActivateTraineeUser | ChangePreferences;

// ---- state ----------------------------------------------------------------------------------

export interface KnownUser {
  /** `erased`: disabled, and the username forgotten (UserErased). */
  status: 'active' | 'disabled' | 'erased';
  user: UserCreated['data'];
  /** The user's API keys by client id, and whether each still works. */
  apiKeys: Map<string, { name: string; revoked: boolean }>;
  /** The TOTP second factor: none, enrolled but not yet confirmed, or confirmed (asked at sign-in). */
  totp: 'none' | 'pending' | 'confirmed';
  /** How often the second factor was reset: a session opened before a reset does not renew (RefreshTokens). */
  totpResets: number;
  /**
   * When password changes and second factor's resets ended the user's sessions (ISO instants, oldest first):
   * a token of a sign-in before one neither sets a credential (SessionInForce) nor issued an activation
   * code that redeems. Events of before the instant was recorded add none: their sessions renew no more
   * (RefreshTokens), and the access tokens they left lived out their minutes long since.
   */
  sessionEnds: string[];
  /**
   * Whether the password now was set by someone else (temporaryPassword): the user's tokens then carry
   * password_change_required, and every service lets them do little but choose their own (AuthGuard).
   */
  passwordChangeRequired: boolean;
  preferences: UserPreferences;
  /** Whether the user ever chose their preferences (PreferencesChanged): until then they are the defaults. */
  preferencesChosen: boolean;
}

export type User = { status: 'unknown' } | KnownUser;

export const userStreamId = (userId: string) => `user-${userId}`;

/** The user's session ends with the instant of a change that ended them (none when its event did not record one). */
const endedAt = (known: KnownUser, instant: string | undefined): string[] => (instant ? [...known.sessionEnds, instant] : known.sessionEnds);

/** The organisation a user acts for: whose administrator sees what is done to the user (the audit log). */
export const organisationOfUser = (user: User): string | null => (user.status === 'unknown' ? null : user.user.organisationId);

export const userAggregate = {
  initialState: (): User => ({ status: 'unknown' }),

  evolve(state: User, event: UserEvent): User {
    switch (event.type) {
      case 'UserCreated':
        return {
          status: 'active',
          user: event.data,
          apiKeys: new Map(),
          totp: 'none',
          totpResets: 0,
          sessionEnds: [],
          passwordChangeRequired: event.data.temporaryPassword === true,
          preferences: DEFAULT_PREFERENCES,
          preferencesChosen: false,
        };
      case 'UserDisabled':
        return { ...existing(state, 'user'), status: 'disabled' };
      case 'UserErased':
        return { ...existing(state, 'user'), status: 'erased' };
      case 'PasswordChanged': {
        const known = existing(state, 'user');
        return {
          ...known,
          user: { ...known.user, passwordHash: event.data.passwordHash },
          sessionEnds: endedAt(known, event.data.changedAt),
          passwordChangeRequired: event.data.temporaryPassword === true,
        };
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
      case 'TotpReset': {
        const known = existing(state, 'user');
        return { ...known, totp: 'none', totpResets: known.totpResets + 1, sessionEnds: endedAt(known, event.data.resetAt) };
      }
      case 'PreferencesChanged':
        return { ...existing(state, 'user'), preferences: { locale: event.data.locale, elderMode: event.data.elderMode }, preferencesChosen: true };
      default:
        return assertNever(event);
    }
  },

  decide(command: UserCommand, state: User, now: Date): UserEvent[] {
    const today = businessDateOf(now);
    switch (command.type) {
      case 'CreateUser': {
        const organisationKind = organisationKindFor(command.user);
        // An organisation the register does not hold yet may arrive later; one it holds must be of the role's kind.
        if (command.organisation && command.organisation.kind !== organisationKind) {
          throw new FieldRefusal('organisationId', 'organisation_kind_mismatch', `a ${command.user.role} user acts for a ${organisationKind}, and this organisation is a ${command.organisation.kind}`);
        }
        mayManage(command.by, { organisationId: command.user.organisationId, organisationKind }, command.organisation, 'users:create');
        const { userId, role, organisationId, traineeId, orgAdmin, passwordHash } = command.user;
        const temporaryPassword = command.user.temporaryPassword === true;
        return [{ type: 'UserCreated', data: { userId, role, organisationId, organisationKind, orgAdmin, traineeId, passwordHash, temporaryPassword, createdOn: today } }];
      }
      case 'ActivateTraineeUser': {
        if (now.getTime() >= Date.parse(command.codeExpiresAt)) {
          throw new DomainRefusal('activation_code_expired', `the activation code expired at ${command.codeExpiresAt}; ask for a new one`, { expiresAt: command.codeExpiresAt });
        }
        const { userId, traineeId, passwordHash } = command.user;
        return [{ type: 'UserCreated', data: { userId, role: 'trainee', organisationId: null, organisationKind: null, orgAdmin: false, traineeId, passwordHash, temporaryPassword: false, createdOn: today } }];
      }
      case 'EraseTraineeUser': {
        const known = existing(state, 'user');
        if (known.user.traineeId !== command.traineeId || known.status === 'erased') return [];
        const erased: UserErased = { type: 'UserErased', data: { userId: known.user.userId, erasedOn: today } };
        // UserDisabled first: every service already refuses the tokens of a disabled user.
        return known.status === 'active' ? [{ type: 'UserDisabled', data: { userId: known.user.userId, disabledOn: today } }, erased] : [erased];
      }
      case 'DisableUser': {
        const known = existing(state, 'user');
        mayManage(command.by, known.user, command.organisation, 'users:disable');
        if (known.status !== 'active') throw new DomainRefusal('user_already_disabled', `user ${known.user.userId} is already disabled`);
        if (command.lastPlatformAdmin) throw new DomainRefusal('last_platform_admin', 'this is the only active platform admin: create another platform admin before disabling this one');
        // A disabled user is never enabled again: an administrator disabling themself would leave the organisation
        // (or the platform) without the one who manages it. Another of its administrators or a platform admin does it.
        if (command.by.userId === known.user.userId) {
          throw new DomainRefusal('cannot_disable_self', 'a user cannot disable themself: another administrator of the organisation, or a platform admin, disables this user');
        }
        return [{ type: 'UserDisabled', data: { userId: known.user.userId, disabledOn: today } }];
      }
      case 'ChangePassword': {
        const known = existing(state, 'user');
        const own = command.by.userId === known.user.userId;
        if (!own) mayManage(command.by, known.user, command.organisation, 'users:password');
        // Matched against the password as it is now: one changed meanwhile (a change at once with the same old one) is not it.
        else if (command.currentPasswordMatched !== known.user.passwordHash) throw new FieldRefusal('currentPassword', 'current_password_wrong', 'currentPassword is not the user’s password');
        // A temporary password is one someone else knows: one's own choice never is.
        if (own && command.temporaryPassword) throw new FieldRefusal('temporaryPassword', 'own_password_not_temporary', 'a password one chooses oneself is not temporary: leave temporaryPassword out or false');
        // "Chosen" again as it was, a temporary password would be the user's own while the one who set it still knows it.
        if (own && command.newIsCurrent) throw new FieldRefusal('password', 'password_not_new', 'the new password is the current one: choose another');
        if (known.status !== 'active') throw new DomainRefusal('user_disabled', `user ${known.user.userId} is disabled`);
        const changed: PasswordChanged['data'] = { userId: known.user.userId, passwordHash: command.passwordHash, changedOn: today, changedAt: now.toISOString(), temporaryPassword: command.temporaryPassword };
        return [{ type: 'PasswordChanged', data: changed }];
      }
      case 'CreateApiKey': {
        const known = existing(state, 'user');
        if (known.status !== 'active') throw new DomainRefusal('user_disabled', `user ${known.user.userId} is disabled`);
        return [{ type: 'ApiKeyCreated', data: { userId: known.user.userId, clientId: command.clientId, name: command.name, createdOn: today } }];
      }
      case 'RevokeApiKey': {
        const known = existing(state, 'user');
        if (command.by.userId !== known.user.userId) {
          // An orgAdmin's leaked key must not cut off the organisation's other integrations: that needs them signed in.
          if (command.by.via === 'apiKey') throw new NotPermitted('api-keys:revoke', "an API key revokes its own user's keys only; another user's need a user signed in, not an API key");
          mayAdminister(command.by, known.user, 'api-keys:revoke');
        }
        if (known.apiKeys.get(command.clientId)?.revoked) throw new DomainRefusal('api_key_already_revoked', `API key ${command.clientId} is already revoked`);
        return [{ type: 'ApiKeyRevoked', data: { userId: known.user.userId, clientId: command.clientId, revokedOn: today } }];
      }
      case 'EnrolTotp': {
        const known = ownTotp(command.by, state);
        if (command.by.purpose !== 'totp_enrolment' && command.currentPasswordMatched !== known.user.passwordHash) {
          throw new FieldRefusal('currentPassword', 'current_password_wrong', 'currentPassword is not the user’s password');
        }
        if (known.totp === 'confirmed') throw new DomainRefusal('totp_already_enrolled', `user ${known.user.userId} already has a confirmed second factor`);
        return [{ type: 'TotpEnrolled', data: { userId: known.user.userId, enrolledOn: today } }];
      }
      case 'ConfirmTotp': {
        const known = ownTotp(command.by, state);
        if (known.totp === 'none') throw new DomainRefusal('totp_not_enrolled', `user ${known.user.userId} has no second factor to confirm; enrol first`);
        if (known.totp === 'confirmed') throw new DomainRefusal('totp_already_enrolled', `user ${known.user.userId} already has a confirmed second factor`);
        if (!command.codeValid) throw new FieldRefusal('code', 'totp_code_invalid', 'the code does not match the enrolled secret at this time');
        return [{ type: 'TotpConfirmed', data: { userId: known.user.userId, confirmedOn: today } }];
      }
      case 'ResetTotp': {
        const known = existing(state, 'user');
        if (command.by.role !== 'platform_admin' || command.by.userId === known.user.userId) throw new NotPermitted('users:totp-reset', 'a second factor is reset by a platform admin, not by its user');
        if (known.totp === 'none') throw new DomainRefusal('totp_not_enrolled', `user ${known.user.userId} has no second factor to reset`);
        return [{ type: 'TotpReset', data: { userId: known.user.userId, resetOn: today, resetAt: now.toISOString() } }];
      }
      case 'ChangePreferences': {
        const known = existing(state, 'user');
        if (command.by.userId !== known.user.userId) throw new NotPermitted('me:preferences', 'a user changes only their own preferences');
        if (known.status !== 'active') throw new DomainRefusal('user_disabled', `user ${known.user.userId} is disabled`);
        const next: UserPreferences = { ...known.preferences, ...definedOnly(command.preferences) };
        // The same preferences again (a second device saving what it loaded) records nothing; a first
        // choice is recorded even when it is the defaults, so the user is known to have chosen them.
        if (known.preferencesChosen && next.locale === known.preferences.locale && next.elderMode === known.preferences.elderMode) return [];
        return [{ type: 'PreferencesChanged', data: { userId: known.user.userId, ...next, changedOn: today } }];
      }
      default:
        return assertNever(command);
    }
  },
};

/** A second factor is the user's own: no one enrols or confirms it for them; a disabled user neither. */
function ownTotp(by: Caller, state: User): KnownUser {
  const known = existing(state, 'user');
  if (by.userId !== known.user.userId) throw new NotPermitted('users:totp', 'a user enrols only their own second factor');
  if (known.status !== 'active') throw new DomainRefusal('user_disabled', `user ${known.user.userId} is disabled`);
  return known;
}

/** The preferences a command names; one left out (undefined) is not a change. */
const definedOnly = (preferences: Partial<UserPreferences>): Partial<UserPreferences> =>
  Object.fromEntries(Object.entries(preferences).filter(([, value]) => value !== undefined)) as Partial<UserPreferences>;

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
