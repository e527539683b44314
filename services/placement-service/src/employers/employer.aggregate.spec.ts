import { aggregateSpec } from '@skills/testing';
import { employerAggregate, EmployerRegistered } from './employer.aggregate';

const given = aggregateSpec(employerAggregate);
const admin = { role: 'platform_admin', regionCode: null };
const employer = { employerId: 'e-1', name: '株洲九方装备', creditCode: '91430200ma4l00001p', industryCode: 'C37', regionCode: '430200' };
const registered: EmployerRegistered = { type: 'EmployerRegistered', data: { ...employer, creditCode: '91430200MA4L00001P' } };

describe('registering an employer', () => {
  it('registers it under its credit code, in capitals', () => {
    given().when({ type: 'RegisterEmployer', employer, by: admin }).then([registered]);
  });

  it('lets a bureau officer register one inside its region only (domain.md section 9)', () => {
    given().when({ type: 'RegisterEmployer', employer, by: { role: 'bureau_officer', regionCode: '430000' } }).then([registered]);
    given().when({ type: 'RegisterEmployer', employer, by: { role: 'bureau_officer', regionCode: '430100' } }).thenForbids('employers:register');
    given().when({ type: 'RegisterEmployer', employer, by: { role: 'bureau_officer', regionCode: null } }).thenForbids('employers:register');
  });
  // A second registration of the same stream is the pipeline's mustNotExist; of the same credit code, its claim.
});
