import { ACTIVATION_CODE_DAYS, Caller } from '@skills/contracts';
import type { Sealed } from '@skills/service-runtime';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted, readIdentityNumber, UnknownEntity } from '@skills/domain-kernel';

// ---- events ---------------------------------------------------------------------------------

/**
 * Name, identity number, phone and what the number tells (birth date, gender) and the region travel
 * only inside `personalData` (PersonalData), sealed with the trainee's key. Events recorded before
 * carried birth date, gender and region in clear; they are read but never shown once erased.
 */
export interface TraineeRegistered {
  type: 'TraineeRegistered';
  data: {
    traineeId: string;
    personalData: Sealed;
    categories: string[];
    registeredOn: string;
    /** The registering user's organisation (null: a platform admin), who may correct and void it. */
    registeredBy?: string | null;
    regionCode?: string;
    birthDate?: string;
    gender?: 'male' | 'female';
  };
}

/** A correction of name or phone (PIPL article 46): the whole personal data as it now reads, sealed anew. */
export interface TraineeCorrected {
  type: 'TraineeCorrected';
  data: { traineeId: string; personalData: Sealed; fields: ('name' | 'phone')[]; correctedOn: string };
}

/**
 * A registration made in error, voided while nothing referred to it. The reason is the caller's own
 * words (the API asks them not to repeat personal data); the sealed fields died with the key.
 */
export interface TraineeRegistrationVoided {
  type: 'TraineeRegistrationVoided';
  data: { traineeId: string; reason: string; voidedOn: string };
}

/** The key of `personalData` was destroyed; the rest of the record stands. Who did it is in the metadata. */
export interface PersonalDataErased {
  type: 'PersonalDataErased';
  data: { traineeId: string; erasedOn: string };
}

/**
 * A code the trainee creates their own user with (identity-service redeems it): only its hash, since
 * the log is kept forever and anyone holding the code could become the trainee. Who issued it is in the
 * metadata, and in `issuedBy` with the sign-in of their token (identity judges whether that session had
 * been ended when the code was issued); absent in events of before it.
 */
export interface ActivationCodeIssued {
  type: 'ActivationCodeIssued';
  data: { traineeId: string; codeHash: string; expiresAt: string; issuedOn: string; issuedBy?: CodeIssuer };
}

/**
 * Who issued an activation code: their user, and of the token they did it with, when they signed in and how
 * many session ends their user had then (AccessTokenClaims.sessions_ended); null when the token did not say.
 */
export interface CodeIssuer {
  userId: string;
  signedInAt: string | null;
  sessionsEnded?: number | null;
}

export type TraineeEvent = TraineeRegistered | TraineeCorrected | TraineeRegistrationVoided | PersonalDataErased | ActivationCodeIssued;

// ---- commands -------------------------------------------------------------------------------

export interface RegisterTrainee {
  type: 'RegisterTrainee';
  traineeId: string;
  /** In clear only to be checked; it is kept, with what it tells, only inside `personalData`. */
  idNumber: string;
  personalData: Sealed;
  categories: string[];
  registeredBy: string | null;
}

/** Who asks, for the rules of who may correct or void (domain.md section 9). */
type By = Pick<Caller, 'role' | 'traineeId' | 'organisationId'>;

/** The handler seals the corrected personal data; the aggregate judges who may and whether it still can. */
export interface CorrectTrainee {
  type: 'CorrectTrainee';
  traineeId: string;
  /** Absent only when there is nothing left to seal (erased). */
  personalData?: Sealed;
  fields: ('name' | 'phone')[];
  by: By;
}

/** `referred`: an enrolment, certificate or employment names the trainee (their archive holds an entry no void, of a certificate, an employment or an enrolment, cancelled). */
export interface VoidRegistration {
  type: 'VoidRegistration';
  traineeId: string;
  reason: string;
  referred: boolean;
  by: By;
}

/** Registered and erased on the day the command is decided (the pipeline's clock). */
/** The trainee themself or a platform admin (domain.md section 9): `by` says who asks. */
export interface EraseTraineePersonalData {
  type: 'EraseTraineePersonalData';
  traineeId: string;
  by: Pick<Caller, 'role' | 'traineeId'>;
}

/** Whether the caller may read the trainee (and so issue them a code) is judged before, as for a read. */
export interface IssueActivationCode {
  type: 'IssueActivationCode';
  traineeId: string;
  codeHash: string;
  issuedBy: CodeIssuer;
}

export type TraineeCommand = RegisterTrainee | CorrectTrainee | VoidRegistration | EraseTraineePersonalData | IssueActivationCode;

// ---- state ----------------------------------------------------------------------------------

export type TraineeProfile = Omit<TraineeRegistered['data'], 'personalData'>;

/** A voided registration is as if it never was: reads and commands answer 404. */
export type Trainee =
  | { status: 'unknown' }
  | { status: 'registered'; profile: TraineeProfile; personalData: Sealed }
  | { status: 'erased'; profile: TraineeProfile; erasedOn: string }
  | { status: 'voided'; profile: TraineeProfile };

export const traineeStreamId = (traineeId: string) => `trainee-${traineeId}`;

export const traineeAggregate = {
  initialState: (): Trainee => ({ status: 'unknown' }),

  evolve(state: Trainee, event: TraineeEvent): Trainee {
    switch (event.type) {
      case 'TraineeRegistered': {
        const { personalData, ...profile } = event.data;
        return { status: 'registered', profile, personalData };
      }
      case 'TraineeCorrected':
        return state.status === 'registered' ? { ...state, personalData: event.data.personalData } : state;
      case 'TraineeRegistrationVoided':
        return state.status === 'unknown' ? state : { status: 'voided', profile: state.profile };
      case 'PersonalDataErased':
        if (state.status === 'unknown' || state.status === 'voided') return state;
        return { status: 'erased', profile: state.profile, erasedOn: event.data.erasedOn };
      case 'ActivationCodeIssued':
        return state;
      default:
        return assertNever(event);
    }
  },

  /** Registration is sent to a new stream (mustNotExist), every other command to an existing one (mustExist). */
  decide(command: TraineeCommand, state: Trainee, now: Date): TraineeEvent[] {
    if (command.type !== 'RegisterTrainee' && existing(state, 'trainee').status === 'voided') throw new UnknownEntity('trainee', command.traineeId);
    switch (command.type) {
      case 'RegisterTrainee': {
        const registeredOn = businessDateOf(now);
        // The number judged whole, a birth date after the day of registration included.
        const identity = readIdentityNumber(command.idNumber, registeredOn);
        if (!identity.ok) throw new FieldRefusal('idNumber', 'identity_number_invalid', `identity number is invalid: ${identity.problem}`);
        return [
          {
            type: 'TraineeRegistered',
            data: {
              traineeId: command.traineeId,
              personalData: command.personalData,
              categories: [...new Set(command.categories)].sort(),
              registeredOn,
              registeredBy: command.registeredBy,
            },
          },
        ];
      }
      case 'CorrectTrainee': {
        const trainee = existing(state, 'trainee');
        mayChangeRegistration(trainee, command.by, 'trainees:correct', { trainee: true });
        if (trainee.status === 'erased' || !command.personalData) throw erasedRefusal(command.traineeId, 'nothing is left to correct');
        return [{ type: 'TraineeCorrected', data: { traineeId: command.traineeId, personalData: command.personalData, fields: command.fields, correctedOn: businessDateOf(now) } }];
      }
      case 'VoidRegistration': {
        mayChangeRegistration(existing(state, 'trainee'), command.by, 'trainees:void', { trainee: false });
        if (command.referred) {
          throw new DomainRefusal('trainee_referred', `trainee ${command.traineeId} is referred to by an enrolment, certificate or employment; a registration is voided only while nothing refers to it`, { traineeId: command.traineeId });
        }
        return [{ type: 'TraineeRegistrationVoided', data: { traineeId: command.traineeId, reason: command.reason, voidedOn: businessDateOf(now) } }];
      }
      case 'EraseTraineePersonalData':
        if (command.by.role !== 'platform_admin' && command.by.traineeId !== command.traineeId) {
          throw new NotPermitted('trainees:erase-personal-data', 'a trainee erases only their own personal data');
        }
        // Erasing twice changes nothing: the first erasure already destroyed the key.
        if (existing(state, 'trainee').status === 'erased') return [];
        return [{ type: 'PersonalDataErased', data: { traineeId: command.traineeId, erasedOn: businessDateOf(now) } }];
      case 'IssueActivationCode':
        // Erasure is the trainee asking to be forgotten: no new user is linked to them afterwards.
        if (existing(state, 'trainee').status === 'erased') {
          throw erasedRefusal(command.traineeId, 'no user can be created for them');
        }
        return [
          {
            type: 'ActivationCodeIssued',
            data: {
              traineeId: command.traineeId,
              codeHash: command.codeHash,
              expiresAt: new Date(now.getTime() + ACTIVATION_CODE_DAYS * 86_400_000).toISOString(),
              issuedOn: businessDateOf(now),
              issuedBy: command.issuedBy,
            },
          },
        ];
      default:
        return assertNever(command);
    }
  },
};

const erasedRefusal = (traineeId: string, consequence: string) =>
  new DomainRefusal('personal_data_erased', `trainee ${traineeId}'s personal data was erased; ${consequence}`, { traineeId });

/**
 * Corrections and voids (domain.md section 9): staff of the registering organisation and platform
 * admins; for a correction also the trainee themself. Who may not even read the trainee was answered
 * 404 before; here the rest are refused 403. Registrations recorded before `registeredBy` existed have
 * no known registering organisation: only a platform admin (or the trainee) changes them.
 */
function mayChangeRegistration(trainee: Exclude<Trainee, { status: 'unknown' }>, by: By, permission: 'trainees:correct' | 'trainees:void', rules: { trainee: boolean }): void {
  if (by.role === 'platform_admin') return;
  if (by.role === 'trainee') {
    if (rules.trainee && by.traineeId === trainee.profile.traineeId) return;
    throw new NotPermitted(permission, rules.trainee ? 'a trainee corrects only their own data' : 'a trainee does not void a registration');
  }
  if (by.organisationId && trainee.profile.registeredBy === by.organisationId) return;
  throw new NotPermitted(permission, 'only the organisation that registered the trainee');
}
