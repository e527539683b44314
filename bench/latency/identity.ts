import { identityCheckCharacter, readIdentityNumber } from '@skills/domain-kernel';

const DAY_MS = 86_400_000;
const FIRST_BIRTH = Date.UTC(1960, 0, 1);
/** 1960-01-01 plus this many days stays a past date (before 2014). */
const DAYS = 20_000;

/**
 * The n-th distinct, valid resident identity number (GB 11643): region 430202, a birth date and a
 * 3-digit sequence that together are unique for n < 20 000 × 900, and the ISO 7064 MOD 11-2 check
 * character. `salt` shifts the sequence so separate runs against a kept database do not collide.
 */
export function identityNumber(n: number, salt = 0): string {
  const day = n % DAYS;
  const sequence = 100 + ((Math.floor(n / DAYS) + salt) % 900);
  const birth = new Date(FIRST_BIRTH + day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `430202${birth}${String(sequence).padStart(3, '0')}`;
  const value = first17 + identityCheckCharacter(first17);
  const check = readIdentityNumber(value, '2026-01-01');
  if (!check.ok) throw new Error(`generated an invalid identity number ${value}: ${check.problem}`);
  return value;
}
