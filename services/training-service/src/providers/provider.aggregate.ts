import { assertNever, RegionalActor, refuseOutsideBureauRegion } from '@skills/domain-kernel';

export interface ProviderRegistered {
  type: 'ProviderRegistered';
  data: { providerId: string; name: string; creditCode: string; regionCode: string };
}

export type ProviderEvent = ProviderRegistered;

export interface RegisterProvider {
  type: 'RegisterProvider';
  providerId: string;
  name: string;
  creditCode: string;
  regionCode: string;
  /** Who registers: a platform admin, or a bureau officer of a region containing the provider's. */
  by: RegionalActor;
}

export type ProviderCommand = RegisterProvider;

export type Provider = { status: 'unknown' } | { status: 'registered'; providerId: string; name: string; creditCode: string; regionCode: string };

export const providerStreamId = (providerId: string) => `provider-${providerId}`;

export const providerAggregate = {
  initialState: (): Provider => ({ status: 'unknown' }),

  evolve(_state: Provider, event: ProviderEvent): Provider {
    switch (event.type) {
      case 'ProviderRegistered':
        return { status: 'registered', ...event.data };
      default:
        return assertNever(event.type);
    }
  },

  /** A new stream (mustNotExist); one provider per credit code is the pipeline's claim. */
  decide(command: ProviderCommand): ProviderEvent[] {
    switch (command.type) {
      case 'RegisterProvider':
        refuseOutsideBureauRegion('providers:register', command.by, command.regionCode);
        return [{ type: 'ProviderRegistered', data: { providerId: command.providerId, name: command.name, creditCode: command.creditCode.toUpperCase(), regionCode: command.regionCode } }];
      default:
        return assertNever(command.type);
    }
  },
};
