// Sealing at rest: what is sealed opens with its key alone, and the keys and IVs drawn from the pool are
// fresh each time, across the pool's refills too.
import { newSealingKey, seal, unseal } from './sealing';

describe('sealing', () => {
  it('opens what it sealed with the same key, and refuses another key', () => {
    const key = newSealingKey();
    const sealed = seal(key, { name: '张三', phone: '13900000000' });
    expect(unseal(key, sealed)).toEqual({ name: '张三', phone: '13900000000' });
    expect(() => unseal(newSealingKey(), sealed)).toThrow();
  });

  it('draws a new key and a new IV every time, 1,000 of each (the pool refilled several times), none all zeros', () => {
    const keys = Array.from({ length: 1000 }, () => newSealingKey());
    const ivs = Array.from({ length: 1000 }, () => seal(keys[0], 'x').iv);
    expect(keys.every((key) => key.length === 32 && !key.equals(Buffer.alloc(32)))).toBe(true);
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(1000);
    expect(new Set(ivs).size).toBe(1000);
    expect(ivs.every((iv) => Buffer.from(iv, 'base64').length === 12)).toBe(true);
  });
});
