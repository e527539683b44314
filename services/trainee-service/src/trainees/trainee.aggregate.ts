import { ACTIVATION_CODE_DAYS, Caller } from '@skills/contracts';
import type { Sealed } from '@skills/service-runtime';
import { assertNever, businessDateOf, DomainRefusal, existing, FieldRefusal, NotPermitted, readIdentityNumber } from '@skills/domain-kernel';

// ---- events ---------------------------------------------------------------------------------

/** Name, identity number and phone travel only inside `personalData`, sealed with the trainee's key. */
export interface TraineeRegistered {
  type: 'TraineeRegistered';
  data: {
    traineeId: string;
    personalData: Sealed;
    regionCode: string;
    birthDate: string;
    gender: 'male' | 'female';
    categories: string[];
    registeredOn: string;
  };
}

/** The key of `personalData` was destroyed; the rest of the record stands. Who did it is in the metadata. */
export interface PersonalDataErased {
  type: 'PersonalDataErased';
  data: { traineeId: string; erasedOn: string };
}

/**
 * A code the trainee creates their own user with (identity-service redeems it): only its hash, since
 * the log is kept forever and anyone holding the code could become the trainee. Who issued it is in the metadata.
 */
export interface ActivationCodeIssued {
  type: 'ActivationCodeIssued';
  data: { traineeId: string; codeHash: string; expiresAt: string; issuedOn: string };
}

export type TraineeEvent = TraineeRegistered | PersonalDataErased | ActivationCodeIssued;

// ---- commands -------------------------------------------------------------------------------

export interface RegisterTrainee {
  type: 'RegisterTrainee';
  traineeId: string;
  /** In clear only to be checked and to derive birth date and gender; it is kept only inside `personalData`. */
  idNumber: string;
  personalData: Sealed;
  regionCode?: string;
  categories: string[];
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
}

export type TraineeCommand = RegisterTrainee | EraseTraineePersonalData | IssueActivationCode;

// ---- state ----------------------------------------------------------------------------------

export type TraineeProfile = Omit<TraineeRegistered['data'], 'personalData'>;

export type Trainee =
  | { status: 'unknown' }
  | { status: 'registered'; profile: TraineeProfile; personalData: Sealed }
  | { status: 'erased'; profile: TraineeProfile; erasedOn: string };

export const traineeStreamId = (traineeId: string) => `trainee-${traineeId}`;

export const traineeAggregate = {
  initialState: (): Trainee => ({ status: 'unknown' }),

  evolve(state: Trainee, event: TraineeEvent): Trainee {
    switch (event.type) {
      case 'TraineeRegistered': {
        const { personalData, ...profile } = event.data;
        return { status: 'registered', profile, personalData };
      }
      case 'PersonalDataErased':
        if (state.status === 'unknown') return state;
        return { status: 'erased', profile: state.profile, erasedOn: event.data.erasedOn };
      case 'ActivationCodeIssued':
        return state;
      default:
        return assertNever(event);
    }
  },

  /** Registration is sent to a new stream (mustNotExist), erasure and codes to an existing one (mustExist). */
  decide(command: TraineeCommand, state: Trainee, now: Date): TraineeEvent[] {
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
              // Where the trainee is registered; the identity number's region is where they were born.
              regionCode: command.regionCode ?? identity.facts.regionCode,
              birthDate: identity.facts.birthDate,
              gender: identity.facts.gender,
              categories: [...new Set(command.categories)].sort(),
              registeredOn,
            },
          },
        ];
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
          throw new DomainRefusal('personal_data_erased', `trainee ${command.traineeId}'s personal data was erased; no user can be created for them`, { traineeId: command.traineeId });
        }
        return [
          {
            type: 'ActivationCodeIssued',
            data: { traineeId: command.traineeId, codeHash: command.codeHash, expiresAt: new Date(now.getTime() + ACTIVATION_CODE_DAYS * 86_400_000).toISOString(), issuedOn: businessDateOf(now) },
          },
        ];
      default:
        return assertNever(command);
    }
  },
};
