// The decision for IDENTITY_HASH_KEY alone (judgeIdentityHashKey), as the all-in-one's start, a restore and
// trainee-service on its own ask it; their checks on real data are in tools/backup/backup-refusals.int-spec.ts.
import { DEVELOPMENT_IDENTITY_HASH_KEY, identityHashCheckValue, identityHashKeyFrom, judgeIdentityHashKey, MasterKeyRefusal, refuseOneKeyWithoutTheOther, usesDevelopmentIdentityHashKey } from './master-key-check';

const KEY = { IDENTITY_HASH_KEY: 'the-data-s-identity-hash-key' };
const stored = identityHashCheckValue(KEY);

describe('judgeIdentityHashKey', () => {
  it('takes an empty IDENTITY_HASH_KEY for unset: the development default, never a key of its own', () => {
    expect(identityHashKeyFrom({ IDENTITY_HASH_KEY: '' })).toBe(DEVELOPMENT_IDENTITY_HASH_KEY);
    expect(identityHashCheckValue({ IDENTITY_HASH_KEY: '' })).toBe(identityHashCheckValue({}));
    expect([{}, { IDENTITY_HASH_KEY: '' }, { IDENTITY_HASH_KEY: DEVELOPMENT_IDENTITY_HASH_KEY }, KEY].map(usesDevelopmentIdentityHashKey)).toEqual([true, true, true, false]);
  });

  it('refuses the development key on data that holds identity numbers’ hashes, unless ALLOW_DEVELOPMENT_KEY=1, whatever else it knows', () => {
    const development = { storedCheckValue: identityHashCheckValue({}), holdsIdentityHashes: true };
    expect(() => judgeIdentityHashKey(development, {})).toThrow(
      new MasterKeyRefusal(
        "refusing to start: this data holds identity numbers' hashes and IDENTITY_HASH_KEY is not set (the development default would be used); set it to the key they were hashed with (ALLOW_DEVELOPMENT_KEY=1 only for development data)",
      ),
    );
    expect(() => judgeIdentityHashKey({ holdsIdentityHashes: true, registeredNumberMatches: true }, { IDENTITY_HASH_KEY: '' }, 'refusing to restore')).toThrow(
      /^refusing to restore: this data holds identity numbers' hashes and IDENTITY_HASH_KEY is not set/,
    );
    expect(() => judgeIdentityHashKey(development, { IDENTITY_HASH_KEY: DEVELOPMENT_IDENTITY_HASH_KEY })).toThrow(/IDENTITY_HASH_KEY is the development default;/);
    // Allowed: development data (the demo, tests), hashed with that key.
    expect(judgeIdentityHashKey(development, { ALLOW_DEVELOPMENT_KEY: '1' })).toEqual({});
    // Without such hashes, any key may become the data's.
    expect(judgeIdentityHashKey({ holdsIdentityHashes: false }, {})).toEqual({ storeCheckValue: identityHashCheckValue({}) });
  });

  it('without a check value, refuses a key under which a registered identity number hashes otherwise, and takes one that matches or that nothing judges', () => {
    expect(() => judgeIdentityHashKey({ holdsIdentityHashes: true, registeredNumberMatches: false }, KEY)).toThrow(
      /^refusing to start: IDENTITY_HASH_KEY is not the key this data's identity numbers were hashed with \(a registered identity number hashes otherwise\); use that key, nothing was changed$/,
    );
    expect(judgeIdentityHashKey({ holdsIdentityHashes: true, registeredNumberMatches: true }, KEY)).toEqual({ storeCheckValue: stored });
    expect(judgeIdentityHashKey({ holdsIdentityHashes: true }, KEY)).toEqual({ storeCheckValue: stored });
    // A check value, where there is one, decides.
    expect(judgeIdentityHashKey({ storedCheckValue: stored, holdsIdentityHashes: true, registeredNumberMatches: false }, KEY)).toEqual({});
    expect(() => judgeIdentityHashKey({ storedCheckValue: stored, holdsIdentityHashes: true }, { IDENTITY_HASH_KEY: 'another' })).toThrow(/\(the key check value stored with it differs\)/);
  });
});

describe('refuseOneKeyWithoutTheOther', () => {
  it('refuses one key set and the other left to its public default, on a first start too, unless ALLOW_DEVELOPMENT_KEY=1; both set, or neither, pass', () => {
    expect(() => refuseOneKeyWithoutTheOther({ PERSONAL_DATA_KEY: 'a-real-key' })).toThrow(
      new MasterKeyRefusal('refusing to start: PERSONAL_DATA_KEY is set and IDENTITY_HASH_KEY is not (or is the development default); set both (README, "Keep the keys"), nothing was changed'),
    );
    expect(() => refuseOneKeyWithoutTheOther({ PERSONAL_DATA_KEY: 'a-real-key', IDENTITY_HASH_KEY: DEVELOPMENT_IDENTITY_HASH_KEY }, 'refusing to restore')).toThrow(/^refusing to restore: PERSONAL_DATA_KEY is set and IDENTITY_HASH_KEY is not/);
    expect(() => refuseOneKeyWithoutTheOther({ IDENTITY_HASH_KEY: 'a-real-key', PERSONAL_DATA_KEY: '' })).toThrow(/IDENTITY_HASH_KEY is set and PERSONAL_DATA_KEY is not/);
    for (const env of [{}, { PERSONAL_DATA_KEY: 'a', IDENTITY_HASH_KEY: 'b' }, { PERSONAL_DATA_KEY: 'a-real-key', ALLOW_DEVELOPMENT_KEY: '1' }]) expect(() => refuseOneKeyWithoutTheOther(env)).not.toThrow();
  });
});
