import { assertNever, RegionalActor, refuseOutsideBureauRegion } from '@skills/domain-kernel';

export interface EmployerRegistered {
  type: 'EmployerRegistered';
  data: { employerId: string; name: string; creditCode: string; industryCode: string; regionCode: string };
}

export type EmployerEvent = EmployerRegistered;

export interface RegisterEmployer {
  type: 'RegisterEmployer';
  employer: EmployerRegistered['data'];
  /** Who registers: a platform admin, or a bureau officer of a region containing the employer's. */
  by: RegionalActor;
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

  /** A new stream (mustNotExist); one employer per credit code is the pipeline's claim. */
  decide(command: RegisterEmployer): EmployerEvent[] {
    refuseOutsideBureauRegion('employers:register', command.by, command.employer.regionCode);
    return [{ type: 'EmployerRegistered', data: { ...command.employer, creditCode: command.employer.creditCode.toUpperCase() } }];
  },
};
