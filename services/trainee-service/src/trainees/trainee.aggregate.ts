import { assertNever, DomainRefusal, readIdentityNumber } from '@skills/domain-kernel';

// ---- events ---------------------------------------------------------------------------------

export interface TraineeRegistered {
  type: 'TraineeRegistered';
  data: {
    traineeId: string;
    name: string;
    idNumber: string;
    phone: string;
    regionCode: string;
    birthDate: string;
    gender: 'male' | 'female';
    categories: string[];
    registeredOn: string;
  };
}

export type TraineeEvent = TraineeRegistered;

// ---- commands -------------------------------------------------------------------------------

export interface RegisterTrainee {
  type: 'RegisterTrainee';
  traineeId: string;
  name: string;
  idNumber: string;
  phone: string;
  regionCode?: string;
  categories: string[];
  registeredOn: string;
}

export type TraineeCommand = RegisterTrainee;

// ---- state ----------------------------------------------------------------------------------

export type Trainee = { status: 'unknown' } | { status: 'registered'; profile: TraineeRegistered['data'] };

export const traineeStreamId = (traineeId: string) => `trainee-${traineeId}`;

export const traineeAggregate = {
  initialState: (): Trainee => ({ status: 'unknown' }),

  evolve(state: Trainee, event: TraineeEvent): Trainee {
    switch (event.type) {
      case 'TraineeRegistered':
        return { status: 'registered', profile: event.data };
      default:
        return assertNever(event.type);
    }
  },

  decide(command: TraineeCommand, state: Trainee): TraineeEvent[] {
    switch (command.type) {
      case 'RegisterTrainee': {
        if (state.status !== 'unknown') throw new DomainRefusal('trainee_already_registered', `trainee ${command.traineeId} is already registered`);
        const identity = readIdentityNumber(command.idNumber, command.registeredOn);
        if (!identity.ok) throw new DomainRefusal('identity_number_invalid', `identity number is invalid: ${identity.problem}`);
        return [
          {
            type: 'TraineeRegistered',
            data: {
              traineeId: command.traineeId,
              name: command.name,
              idNumber: command.idNumber.toUpperCase(),
              phone: command.phone,
              // Where the trainee is registered; the identity number's region is where they were born.
              regionCode: command.regionCode ?? identity.facts.regionCode,
              birthDate: identity.facts.birthDate,
              gender: identity.facts.gender,
              categories: [...new Set(command.categories)].sort(),
              registeredOn: command.registeredOn,
            },
          },
        ];
      }
      default:
        return assertNever(command.type);
    }
  },
};
