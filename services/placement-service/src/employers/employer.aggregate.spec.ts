import { aggregateSpec } from '@skills/testing';
import { employerAggregate, EmployerRegistered } from './employer.aggregate';

const given = aggregateSpec(employerAggregate);
const employer = { employerId: 'e-1', name: '株洲九方装备', creditCode: '91430200ma4l00001p', industryCode: 'C37', regionCode: '430200' };
const registered: EmployerRegistered = { type: 'EmployerRegistered', data: { ...employer, creditCode: '91430200MA4L00001P' } };

describe('registering an employer', () => {
  it('registers it under its credit code, in capitals', () => {
    given().when({ type: 'RegisterEmployer', employer }).then([registered]);
  });
  // A second registration of the same stream is the pipeline's mustNotExist; of the same credit code, its claim.
});
