import { createCipheriv, createDecipheriv, createHash, randomFillSync } from 'node:crypto';

/**
 * AES-256-GCM ciphertext of a JSON value, as the platform keeps secrets at rest (base64 parts): a
 * trainee's personal data under its own key, a command's stored answer under its idempotency key.
 */
export interface Sealed {
  alg: 'A256GCM';
  iv: string;
  tag: string;
  ciphertext: string;
}

/** A fresh AES-256 key, e.g. a trainee's data key. */
export function newSealingKey(): Buffer {
  return randomFromPool(32);
}

export function seal(key: Buffer, value: unknown): Sealed {
  const iv = randomFromPool(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** Throws if the key is not the one it was sealed with or the text was altered (GCM tag). */
export function unseal<Value>(key: Buffer, sealed: Sealed): Value {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Value;
}

/** What PERSONAL_DATA_KEY stands for when unset: public in this source, so for development data only. */
export const DEVELOPMENT_PERSONAL_DATA_KEY = 'skills-ladder-development-personal-data-key';

/**
 * The master key that seals the keys of sealed data (trainees' personal data keys, evaluators' signing
 * keys): PERSONAL_DATA_KEY, any string, hashed to 256 bits. The default is for development only.
 */
export function masterKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): Buffer {
  const secret = env.PERSONAL_DATA_KEY || DEVELOPMENT_PERSONAL_DATA_KEY;
  return createHash('sha256').update(secret).digest();
}

const pool = Buffer.alloc(4096);
let used = pool.length;

/**
 * Keys and IVs drawn from the CSPRNG 4 KiB at a time: one call into OpenSSL for a hundred keys rather
 * than one each (~6 µs a call, and an import seals three times a row). What is handed out is a copy,
 * wiped from the pool at once, so no key stays behind in it.
 */
function randomFromPool(size: number): Buffer {
  if (used + size > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  // A backing store of its own (as randomBytes gave): Buffer.from would copy into Node's shared slab.
  const bytes = Buffer.allocUnsafeSlow(size);
  pool.copy(bytes, 0, used, used + size);
  pool.fill(0, used, used + size);
  used += size;
  return bytes;
}
