import { ageOnDate, identityCheckCharacter, maskIdentityNumber, maskName, readIdentityNumber, workingAgeFrom } from './identity-number';

const TODAY = '2026-01-01';
const withCheck = (first17: string) => first17 + identityCheckCharacter(first17);

describe('identity number (GB 11643, domain.md section 1)', () => {
  it.each(['11010519491231002X', '430202199001011233'])('accepts %s', (value) => {
    expect(readIdentityNumber(value, TODAY).ok).toBe(true);
  });

  it('accepts a lowercase x as the check character', () => {
    expect(readIdentityNumber('11010519491231002x', TODAY).ok).toBe(true);
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(identityCheckCharacter('11010519491231002')).toBe('X');
    expect(identityCheckCharacter('43020219900101123')).toBe('3');
  });

  it('derives region, birth date and gender (odd sequence = male)', () => {
    expect(readIdentityNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      facts: { regionCode: '110105', birthDate: '1949-12-31', gender: 'female' },
    });
    expect(readIdentityNumber('430202199001011233', TODAY)).toEqual({
      ok: true,
      facts: { regionCode: '430202', birthDate: '1990-01-01', gender: 'male' },
    });
  });

  it.each([
    ['110105194912310021', 'checksum', 'the check character of the domain.md example, wrong'],
    ['430202199001011234', 'checksum', 'a wrong check digit'],
    ['11010519491231002', 'format', '17 characters'],
    ['11010519491231002X1', 'format', '19 characters'],
    ['11010519491231002Y', 'format', 'a check character other than a digit or X'],
    ['1101051949123100X2', 'format', 'an X before the last place'],
    ['', 'format', 'nothing'],
    [withCheck('11010519490230002'), 'birth_date', 'February 30'],
    [withCheck('11010519490229002'), 'birth_date', 'February 29 of a common year'],
    [withCheck('11010519491301002'), 'birth_date', 'month 13'],
    [withCheck('11010519490100002'), 'birth_date', 'day 0'],
  ])('refuses %s as %s (%s)', (value, problem) => {
    expect(readIdentityNumber(value, TODAY)).toEqual({ ok: false, problem });
  });

  it.each([
    ['Hong Kong', '810000'],
    ['Macao', '820000'],
    ['Taiwan', '830000'],
  ])('accepts a residence permit of a %s resident (%s…, same check character)', (_, region) => {
    const permit = withCheck(`${region}19900101123`);
    expect(readIdentityNumber(permit, TODAY)).toEqual({ ok: true, facts: { regionCode: region, birthDate: '1990-01-01', gender: 'male' } });
  });

  it.each([
    [withCheck('81000119900101123'), 'a Hong Kong code below the SAR level'],
    [withCheck('71000019900101123'), 'Taiwan under its province code'],
    [withCheck('99000019900101123'), 'no province'],
    [withCheck('00000019900101123'), 'zeros'],
  ])('refuses %s as region (%s)', (value) => {
    expect(readIdentityNumber(value, TODAY)).toEqual({ ok: false, problem: 'region' });
  });

  it('accepts February 29 of a leap year', () => {
    expect(readIdentityNumber(withCheck('11010520000229002'), TODAY)).toMatchObject({ ok: true, facts: { birthDate: '2000-02-29' } });
  });

  it('refuses a birth date after today, and accepts one born today', () => {
    expect(readIdentityNumber('11010519491231002X', '1949-12-30')).toEqual({ ok: false, problem: 'birth_date_in_future' });
    expect(readIdentityNumber(withCheck('11010521000101002'), TODAY)).toEqual({ ok: false, problem: 'birth_date_in_future' });
    expect(readIdentityNumber('11010519491231002X', '1949-12-31').ok).toBe(true);
  });

  it('masks all but the region and the last four (section 7)', () => {
    expect(maskIdentityNumber('430202199001011233')).toBe('430202********1233');
    expect(maskIdentityNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('masks a name down to its surname', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName(' 李四 ')).toBe('李*');
    expect(maskName('王')).toBe('*');
  });

  it('says the 16th birthday only while it is still to come (domain.md section 4)', () => {
    expect(workingAgeFrom('2010-06-15', '2026-01-01')).toBe('2026-06-15');
    expect(workingAgeFrom('2010-06-15', '2026-06-15')).toBeNull();
    expect(workingAgeFrom('1990-01-01', '2026-01-01')).toBeNull();
    expect(workingAgeFrom('2012-02-29', '2026-01-01')).toBe('2028-02-29');
  });

  it('tells an age on a date as one of three answers, from the day of birth and the 16th birthday on', () => {
    expect(['1990-05-31', '1990-06-01', '2006-05-31', '2006-06-01'].map((date) => ageOnDate('1990-06-01', date))).toEqual([
      'not_yet_born',
      'under_working_age',
      'under_working_age',
      'of_working_age',
    ]);
  });
});
