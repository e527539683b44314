import { FieldRefusal, samePersonName } from '@skills/domain-kernel';
import { createHash } from 'node:crypto';
import { matches, searchKeyFingerprint, searchTermOf, searchTokensOf, tokensOfTerm } from './search-tokens';

const wang = { name: '王建国', idNumber: '430202199001011233' };
const ayi = { name: '阿依古丽·买买提', idNumber: '11010519491231002X' };
const finds = (q: string, person = wang) => {
  const term = searchTermOf(q);
  return tokensOfTerm(term).some((token) => searchTokensOf(person).includes(token)) && matches(term, person);
};
/** Runs `use` as a service started with this IDENTITY_HASH_KEY would. */
const withKey = <T>(key: string, use: () => T): T => {
  const before = process.env.IDENTITY_HASH_KEY;
  process.env.IDENTITY_HASH_KEY = key;
  try {
    return use();
  } finally {
    if (before === undefined) delete process.env.IDENTITY_HASH_KEY;
    else process.env.IDENTITY_HASH_KEY = before;
  }
};
const refusal = (q: string) => {
  try {
    searchTermOf(q);
  } catch (error) {
    return error instanceof FieldRefusal ? { field: error.field, rule: error.rule } : error;
  }
  return undefined;
};

describe('the blind index of a trainee’s name and identity number', () => {
  it('finds a whole name, however typed, exactly when the lookup and certificate verification take it for the name', () => {
    const ali = { name: 'Ali Hasan', idNumber: '430202199001011233' };
    const typed: [string, typeof ali][] = [
      [' 王 建国 ', wang],
      ['阿依古丽•买买提', ayi],
      ['阿依古丽・买买提', ayi],
      ['ali hasan', ali],
      ['ＡＬＩ　ＨＡＳＡＮ', ali],
      ['Ali Hassan', ali],
      ['阿依古丽买买提', ayi],
    ];
    expect(typed.map(([q, person]) => [q, finds(q, person)])).toEqual(typed.map(([q, person]) => [q, samePersonName(person.name, q)]));
    expect(typed.filter(([q, person]) => finds(q, person))).toHaveLength(5);
  });

  it('makes the same tokens as when the index was written: a change needs a new TOKEN_SCHEME, which re-indexes', () => {
    withKey('pinned-spec-key', () => {
      const tokens = searchTokensOf({ name: ' 阿依古丽•买买提', idNumber: '11010519491231002x' });
      expect(createHash('sha256').update(tokens.join(',')).digest('hex')).toBe('eb13a5509eabde9ab34440ceeacfd54e74faa1abce26dc70edaf0f60e69d6e8a');
    });
  });

  it('names the key the tokens were made with by a fingerprint that tells keys apart and is not the key', () => {
    const [one, again, another] = [withKey('one key', searchKeyFingerprint), withKey('one key', searchKeyFingerprint), withKey('another key', searchKeyFingerprint)];
    expect(one).toMatch(/^[0-9a-f]{16}$/);
    expect(again).toBe(one);
    expect(another).not.toBe(one);
    expect(withKey('one key', () => searchTokensOf(wang))).not.toEqual(withKey('another key', () => searchTokensOf(wang)));
    expect(one).not.toBe(createHash('sha256').update('search-index-key-check:1').digest('hex').slice(0, 16));
  });

  it('holds keyed hashes only, none of them the value or its plain SHA-256', () => {
    const tokens = searchTokensOf(wang);
    expect(tokens.every((token) => /^[0-9a-f]{64}$/.test(token))).toBe(true);
    expect(new Set(tokens).size).toBe(tokens.length);
    const plain = ['王建国', '王建', '1233', '011233', wang.idNumber].map((value) => createHash('sha256').update(value).digest('hex'));
    expect(tokens.filter((token) => plain.includes(token))).toEqual([]);
  });

  it('finds a person by the whole name or its beginning, and by the last 4 or more characters of the number', () => {
    expect(['王建国', '王建', '王 建 国', '1233', '11233', '011233', '199001011233', wang.idNumber].map((q) => [q, finds(q)])).toEqual(
      ['王建国', '王建', '王 建 国', '1233', '11233', '011233', '199001011233', wang.idNumber].map((q) => [q, true]),
    );
    expect(finds('002x', ayi)).toBe(true);
    expect(finds('阿依古丽', ayi)).toBe(true);
  });

  it('does not find a person by another name, a name’s middle, or digits that only end the same', () => {
    expect(finds('王建华')).toBe(false);
    expect(finds('建国')).toBe(false);
    expect(finds('2233')).toBe(false);
    // The same last 6 (the index's candidate), not the same last 7: confirmed on the record.
    expect(finds('9011233')).toBe(false);
  });

  it('takes full-width digits (a Chinese input method’s) and a full-width X for the same digits, not a name', () => {
    expect(searchTermOf('０１１２３３')).toEqual({ kind: 'digits', text: '011233' });
    expect(finds('０１１２３３')).toBe(true);
    expect(finds('１　２３３')).toBe(true);
    expect(finds('００２ｘ', ayi)).toBe(true);
    expect(finds('００２Ｘ', ayi)).toBe(true);
    expect(refusal('１２')).toEqual({ field: 'q', rule: 'too_few_digits' });
    expect(refusal('４３０２０２１９９００１０１１２３３１')).toEqual({ field: 'q', rule: 'too_many_digits' });
  });

  it('refuses a term too short to be a name or the end of a number', () => {
    expect(refusal('王')).toEqual({ field: 'q', rule: 'too_short' });
    expect(refusal('123')).toEqual({ field: 'q', rule: 'too_few_digits' });
    expect(refusal('12X')).toEqual({ field: 'q', rule: 'too_few_digits' });
    expect(refusal('4302021990010112331')).toEqual({ field: 'q', rule: 'too_many_digits' });
    expect(refusal('王建')).toBeUndefined();
  });
});
