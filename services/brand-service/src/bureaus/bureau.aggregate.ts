import { assertNever } from '@skills/domain-kernel';

/** A labour bureau (人社局) of a region: it registers brands and certifies them. */
export interface BureauRegistered {
  type: 'BureauRegistered';
  data: { bureauId: string; name: string; regionCode: string };
}

export type BureauEvent = BureauRegistered;

export interface RegisterBureau {
  type: 'RegisterBureau';
  bureau: BureauRegistered['data'];
}

export type BureauCommand = RegisterBureau;

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
  /** A new stream (mustNotExist): a bureau has no rule of its own. */
  decide(command: BureauCommand): BureauEvent[] {
    switch (command.type) {
      case 'RegisterBureau':
        return [{ type: 'BureauRegistered', data: command.bureau }];
      default:
        return assertNever(command.type);
    }
  },
};
