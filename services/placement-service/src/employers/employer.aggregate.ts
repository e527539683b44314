import { assertNever, DomainRefusal } from '@skills/domain-kernel';

export interface EmployerRegistered {
  type: 'EmployerRegistered';
  data: { employerId: string; name: string; creditCode: string; industryCode: string; regionCode: string };
}

export type EmployerEvent = EmployerRegistered;

export interface RegisterEmployer {
  type: 'RegisterEmployer';
  employer: EmployerRegistered['data'];
}

export type Employer = { status: 'unknown' } | ({ status: 'registered' } & EmployerRegistered['data']);

export const employerStreamId = (employerId: string) => `employer-${employerId}`;

export const employerAggregate = {
  initialState: (): Employer => ({ status: 'unknown' }),

  evolve(_state: Employer, event: EmployerEvent): Employer {
    switch (event.type) {
      case 'EmployerRegistered':
        return { status: 'registered', ...event.data };
      default:
        return assertNever(event.type);
    }
  },

  decide(command: RegisterEmployer, state: Employer): EmployerEvent[] {
    if (state.status !== 'unknown') throw new DomainRefusal('employer_already_registered', `employer ${command.employer.employerId} is already registered`);
    return [{ type: 'EmployerRegistered', data: { ...command.employer, creditCode: command.employer.creditCode.toUpperCase() } }];
  },
};
