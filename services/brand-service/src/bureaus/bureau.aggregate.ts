import { assertNever, NATIONAL_REGION } from '@skills/domain-kernel';

/** The region code of the national ministry (人社部): it contains every code (api.md: bureaus accept it). */
export const MINISTRY_REGION = NATIONAL_REGION;

/** A bureau's level follows its region code (domain.md section 9): `000000`, `xx0000`, `xxxx00`, else a county. */
export type BureauLevel = 'national' | 'provincial' | 'city' | 'county';

export function bureauLevel(regionCode: string): BureauLevel {
  if (regionCode === MINISTRY_REGION) return 'national';
  if (regionCode.endsWith('0000')) return 'provincial';
  if (regionCode.endsWith('00')) return 'city';
  return 'county';
}

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
