import { createHmac } from 'node:crypto';

/**
 * A keyed hash of the identity number for the uniqueness claim. The key comes from
 * IDENTITY_HASH_KEY so a leaked table cannot be reversed by hashing every possible number.
 */
export function identityHash(idNumber: string): string {
  const key = process.env.IDENTITY_HASH_KEY ?? 'skills-ladder-development-key';
  return createHmac('sha256', key).update(idNumber.toUpperCase()).digest('hex');
}
