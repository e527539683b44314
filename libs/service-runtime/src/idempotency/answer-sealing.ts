import { createHash } from 'node:crypto';
import { seal, Sealed, unseal } from '../sealing';

/**
 * What `idempotency_keys` keeps instead of the key and the answer (IdempotencyAnswersSealed): the key's
 * digest to find the row, and the answer sealed under a key derived from the idempotency key and the
 * caller. Reading the table does not give back a secret an answer carried; a client repeating its
 * request with its key does. (As strong as the client's key: a UUID, as clients are told to send.)
 */
export const keyDigest = (key: string): string => createHash('sha256').update(`idempotency-key:${key}`, 'utf8').digest('hex');

const answerKey = (key: string, caller: string): Buffer => createHash('sha256').update(`idempotency-answer:${caller}:${key}`, 'utf8').digest();

/**
 * The key of the request's fingerprint (an HMAC), derived as the answer's is: the table's reader, without
 * the client's key, cannot test guesses of what a request held (a new password, a corrected name) against it.
 */
export const fingerprintKey = (key: string, caller: string): Buffer => createHash('sha256').update(`idempotency-fingerprint:${caller}:${key}`, 'utf8').digest();

export const sealAnswer = (body: string, key: string, caller: string): string => JSON.stringify(seal(answerKey(key, caller), body));

export const unsealAnswer = (stored: string, key: string, caller: string): string => unseal<string>(answerKey(key, caller), JSON.parse(stored) as Sealed);
