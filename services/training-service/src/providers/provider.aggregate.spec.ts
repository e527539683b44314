import { aggregateSpec } from '@skills/testing';
import { providerAggregate, ProviderRegistered, RegisterProvider } from './provider.aggregate';

const given = aggregateSpec(providerAggregate);

const register: RegisterProvider = { type: 'RegisterProvider', providerId: 'p-1', name: '株洲新希望焊接培训学校', creditCode: '91430200ma4l00001p', regionCode: '430200' };
const registered: ProviderRegistered = {
  type: 'ProviderRegistered',
  data: { providerId: 'p-1', name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430200' },
};

describe('registering a training provider', () => {
  it('registers it under its credit code, in capitals (the natural key across services)', () => {
    given().when(register).then([registered]);
  });
  // A second registration of the same stream is the pipeline's mustNotExist; of the same credit code, its claim.
});
