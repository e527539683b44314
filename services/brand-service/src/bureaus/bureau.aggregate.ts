import { assertNever, DomainRefusal } from '@skills/domain-kernel';

/** A labour bureau (人社局) of a region: it registers brands and certifies them. */
export interface BureauRegistered {
  type: 'BureauRegistered';
  data: { bureauId: string; name: string; regionCode: string };
}

export type BureauEvent = BureauRegistered;

export type Bureau = { status: 'unknown' } | ({ status: 'registered' } & BureauRegistered['data']);

export const bureauStreamId = (bureauId: string) => `bureau-${bureauId}`;

export const bureauAggregate = {
  initialState: (): Bureau => ({ status: 'unknown' }),
  evolve(_state: Bureau, event: BureauEvent): Bureau {
    switch (event.type) {
      case 'BureauRegistered':
        return { status: 'registered', ...event.data };
      default:
        return assertNever(event.type);
    }
  },
  decide(command: { type: 'RegisterBureau'; bureau: BureauRegistered['data'] }, state: Bureau): BureauEvent[] {
    if (state.status !== 'unknown') throw new DomainRefusal('bureau_already_registered', `bureau ${command.bureau.bureauId} is already registered`);
    return [{ type: 'BureauRegistered', data: command.bureau }];
  },
};
