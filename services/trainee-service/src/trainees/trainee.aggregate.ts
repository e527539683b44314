import { Caller } from '@skills/contracts';
import { assertNever, businessDateOf, existing, FieldRefusal, NotPermitted, readIdentityNumber } from '@skills/domain-kernel';
import { Sealed } from '../personal-data/sealed-personal-data';

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

export type TraineeEvent = TraineeRegistered | PersonalDataErased;

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

export type TraineeCommand = RegisterTrainee | EraseTraineePersonalData;

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
      default:
        return assertNever(event);
    }
  },

  /** Registration is sent to a new stream (mustNotExist), erasure to an existing one (mustExist). */
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
      default:
        return assertNever(command);
    }
  },
};
