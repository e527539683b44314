import { identityCheckCharacter, maskIdentityNumber, readIdentityNumber } from './identity-number';
import { isValidCreditCode } from './credit-code';
import { isRealDate } from './business-date';

const withCheck = (first17: string) => first17 + identityCheckCharacter(first17);

describe('identity number (GB 11643)', () => {
  it.each(['11010519491231002X', '430202199001011233'])('accepts %s', (value) => {
    expect(readIdentityNumber(value, '2026-01-01').ok).toBe(true);
  });

  it('derives birth date and gender', () => {
    expect(readIdentityNumber('11010519491231002X', '2026-01-01')).toEqual({
      ok: true,
      facts: { regionCode: '110105', birthDate: '1949-12-31', gender: 'female' },
    });
    expect(readIdentityNumber('430202199001011233', '2026-01-01')).toMatchObject({ facts: { gender: 'male' } });
  });

  it.each([
    ['110105194912310021', 'checksum'],
    ['11010519491231002', 'format'],
    ['11010519491231002Y', 'format'],
    [withCheck('11010519490230002'), 'birth_date'],
  ])('refuses %s (%s)', (value, problem) => {
    expect(readIdentityNumber(value, '2026-01-01')).toEqual({ ok: false, problem });
  });

  it('refuses a birth date after today', () => {
    expect(readIdentityNumber('11010519491231002X', '1949-12-30')).toEqual({ ok: false, problem: 'birth_date_in_future' });
  });

  it('masks all but the region and the last four', () => {
    expect(maskIdentityNumber('430202199001011233')).toBe('430202********1233');
  });
});

describe('credit code (GB 32100)', () => {
  it.each(['91350100M000100Y43', '91110108551385082Q', '91430200MA4L00001P'])('accepts %s', (value) => {
    expect(isValidCreditCode(value)).toBe(true);
  });
  it.each(['91350100M000100Y44', '91350100M000100Y4', '91350100M000100I43'])('refuses %s', (value) => {
    expect(isValidCreditCode(value)).toBe(false);
  });
});

describe('business dates', () => {
  it('knows real calendar days', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-2-1')).toBe(false);
  });
});
