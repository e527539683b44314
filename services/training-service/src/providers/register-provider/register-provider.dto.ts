import { OrganisationFields } from '@skills/service-runtime';

/** A training provider (培训机构 / 职业院校): name, credit code, region. */
export class RegisterProviderDto extends OrganisationFields {}
