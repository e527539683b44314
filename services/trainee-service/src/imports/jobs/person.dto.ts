import { IsIdentityNumber, IsPersonName } from '@skills/service-runtime';

/** The person a results or certificates row names, checked by the same rules as a registration's. */
export class PersonDto {
  @IsPersonName({ maxLength: 50 })
  name: string;

  @IsIdentityNumber()
  idNumber: string;
}
