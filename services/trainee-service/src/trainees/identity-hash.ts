import { identityHashKeyFrom } from '@skills/service-runtime';
import { createHmac } from 'node:crypto';

/**
 * The secret of the service's keyed hashes of personal data (IDENTITY_HASH_KEY), so a leaked table
 * cannot be reversed by hashing every possible number or name. The default is for development only.
 */
export const identityHashSecret = (): string => identityHashKeyFrom(process.env);

/** A keyed hash of the identity number for the uniqueness claim. */
export function identityHash(idNumber: string): string {
  return identityHashWith(identityHashSecret(), idNumber);
}

/** The same under a given secret (the start's key check judges the one the environment gives). */
export function identityHashWith(secret: string, idNumber: string): string {
  return createHmac('sha256', secret).update(idNumber.toUpperCase()).digest('hex');
}
