/** The personal fields of a trainee (PIPL): stored only sealed (`seal` of @skills/service-runtime), so deleting the key erases them. */
export interface PersonalData {
  name: string;
  idNumber: string;
  phone: string;
}
