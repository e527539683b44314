import { mayRead, Reader } from './may-read';

const traineeId = 'c0ffee00-0000-4000-8000-000000000001';
const school = 'c0ffee00-0000-4000-8000-0000000000a1';
const otherSchool = 'c0ffee00-0000-4000-8000-0000000000a2';
const staff = (role: Reader['role'], organisationId: string | null): Reader => ({ role, organisationId, traineeId: null });

describe('mayRead (domain.md section 9: reading a trainee in full, their archive and their ladder)', () => {
  it('lets platform_admin read any trainee, related to none', () => {
    expect(mayRead(staff('platform_admin', null), traineeId, [])).toBe(true);
  });

  it('lets the trainee read themself and no other trainee', () => {
    expect(mayRead({ role: 'trainee', organisationId: null, traineeId }, traineeId, [])).toBe(true);
    expect(mayRead({ role: 'trainee', organisationId: null, traineeId: 'c0ffee00-0000-4000-8000-000000000002' }, traineeId, [])).toBe(false);
    expect(mayRead({ role: 'trainee', organisationId: null, traineeId: null }, traineeId, [])).toBe(false);
  });

  it.each(['school_staff', 'evaluator_staff', 'employer_staff', 'bureau_officer'] as const)('lets %s read only for a related organisation', (role) => {
    expect(mayRead(staff(role, school), traineeId, [otherSchool, school])).toBe(true);
    expect(mayRead(staff(role, otherSchool), traineeId, [school])).toBe(false);
    expect(mayRead(staff(role, school), traineeId, [])).toBe(false);
    expect(mayRead(staff(role, null), traineeId, [school])).toBe(false);
  });

  it('does not let a trainee user read through an organisation it claims', () => {
    expect(mayRead({ role: 'trainee', organisationId: school, traineeId: null }, traineeId, [school])).toBe(false);
  });
});
