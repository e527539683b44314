import { creditCheckCharacter, identityCheckCharacter } from '@skills/domain-kernel';

/** A valid, unique identity number for the n-th test person (born 1990-01-01 + n days). */
export function testIdentityNumber(n: number): string {
  // Born from 1970 on, one day per n: adults on every date the tests hire them (under 16 cannot be hired).
  const birth = new Date(Date.UTC(1970, 0, 1) + n * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430202${birth}${String(100 + (n % 800)).padStart(3, '0')}`;
  return first17 + identityCheckCharacter(first17);
}

/**
 * A valid, unique identity number of an adult for the n-th person of a large range (n < 8 000 000), where
 * testIdentityNumber's "1970 + n days" would be born in the future: born 1980-01-01 + (n mod 10 000) days,
 * in 天元区 (430211), which testIdentityNumber never uses, so the two never give the same number.
 */
export function testAdultIdentityNumber(n: number): string {
  const birth = new Date(Date.UTC(1980, 0, 1) + (n % 10_000) * 86400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430211${birth}${String(100 + (Math.floor(n / 10_000) % 800)).padStart(3, '0')}`;
  return first17 + identityCheckCharacter(first17);
}

/** A valid, unique unified social credit code for the n-th test organisation (n < 10 000 000). */
export function testCreditCode(n: number): string {
  const first17 = `91430200MA${String(n).padStart(7, '0')}`;
  return first17 + creditCheckCharacter(first17);
}
