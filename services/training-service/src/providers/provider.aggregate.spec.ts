import { aggregateSpec } from '@skills/testing';
import { providerAggregate, ProviderRegistered, RegisterProvider } from './provider.aggregate';

const given = aggregateSpec(providerAggregate);

const register: RegisterProvider = { type: 'RegisterProvider', providerId: 'p-1', name: '株洲新希望焊接培训学校', creditCode: '91430200ma4l00001p', regionCode: '430200', by: { role: 'platform_admin', regionCode: null } };
const registered: ProviderRegistered = {
  type: 'ProviderRegistered',
  data: { providerId: 'p-1', name: '株洲新希望焊接培训学校', creditCode: '91430200MA4L00001P', regionCode: '430200' },
};

describe('registering a training provider', () => {
  it('registers it under its credit code, in capitals (the natural key across services)', () => {
    given().when(register).then([registered]);
  });

  it('lets a bureau officer register one inside its region only (domain.md section 9)', () => {
    given().when({ ...register, by: { role: 'bureau_officer', regionCode: '430200' } }).then([registered]);
    given().when({ ...register, by: { role: 'bureau_officer', regionCode: '000000' } }).then([registered]);
    given().when({ ...register, by: { role: 'bureau_officer', regionCode: '430100' } }).thenForbids('providers:register');
  });
  // A second registration of the same stream is the pipeline's mustNotExist; of the same credit code, its claim.
});
