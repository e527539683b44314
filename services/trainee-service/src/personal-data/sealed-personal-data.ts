import { FieldRefusal, readIdentityNumber } from '@skills/domain-kernel';

/**
 * The personal fields of a trainee (PIPL): stored only sealed (`seal` of @skills/service-runtime), so
 * deleting the key erases them. Birth date and gender are what the identity number tells, the region
 * where the trainee is registered (the number's unless the registering organisation said otherwise):
 * as personal as the number itself. Registrations sealed before kept those three in clear beside
 * the sealed fields (TraineeRegistered), hence optional here.
 */
export interface PersonalData {
  name: string;
  idNumber: string;
  phone: string;
  birthDate?: string;
  gender?: 'male' | 'female';
  regionCode?: string;
}

/** The personal data of a new registration: the number (already validated) read for what it tells. */
export function personalDataOf(registration: { name: string; idNumber: string; phone: string; regionCode?: string }): Required<PersonalData> {
  const identity = readIdentityNumber(registration.idNumber);
  if (!identity.ok) throw new FieldRefusal('idNumber', 'identity_number_invalid', `identity number is invalid: ${identity.problem}`);
  const { regionCode, birthDate, gender } = identity.facts;
  return { name: registration.name, idNumber: registration.idNumber, phone: registration.phone, birthDate, gender, regionCode: registration.regionCode ?? regionCode };
}
