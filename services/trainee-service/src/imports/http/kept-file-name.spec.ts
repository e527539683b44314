// The name of an uploaded file as its job keeps it for the list of jobs.
import { keptFileName } from './kept-file-name';

describe('keptFileName', () => {
  it('keeps a name as uploaded, Chinese and all', () => {
    expect(keptFileName('2026年秋季学员 (第二批).xlsx')).toBe('2026年秋季学员 (第二批).xlsx');
  });

  it('keeps no name that holds an identity or mobile number, nor one with nothing storable', () => {
    expect(keptFileName('张三_430202199001011233.xlsx')).toBeNull();
    expect(keptFileName('联系 138 1234 5678.csv')).toBeNull();
    expect(keptFileName('a\u0000b.csv')).toBeNull();
    expect(keptFileName('\u202e\u0007')).toBeNull();
    // A number split by what is taken out is the number still.
    expect(keptFileName('张三_430202\u0007199001011233.xlsx')).toBeNull();
    expect(keptFileName('联系138\u200b1234\u200b5678.csv')).toBeNull();
  });

  it('takes out what shows as something else, and cuts a long name to what a list shows', () => {
    expect(keptFileName('名单\u202evsc.csv')).toBe('名单vsc.csv');
    expect(keptFileName('名单\r\n.csv')).toBe('名单.csv');
    expect(Array.from(keptFileName(`${'𠮷'.repeat(300)}.csv`) ?? '')).toHaveLength(120);
  });
});
