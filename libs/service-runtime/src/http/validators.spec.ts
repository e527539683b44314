// The field rules of free texts: what a text kept for good may not hold, and what a person's name may not.
import { IsOptional } from 'class-validator';
import { InvalidInput } from './problem-details.filter';
import { validationPipe } from './validation';
import { IsDecimal, IsKeptText, IsPersonName, IsText } from './validators';

/** The digits as a full-width keyboard types them (１３８…). */
const fullWidth = (digits: string) => digits.replace(/\d/g, (digit) => String.fromCharCode(0xff10 + Number(digit)));

class Revocation {
  @IsKeptText({ maxLength: 500 })
  reason: string;

  @IsOptional()
  @IsKeptText({ maxLength: 2000 })
  justification?: string;
}

class Placement {
  @IsText({ maxLength: 100 })
  title: string;
}

class Person {
  @IsPersonName({ maxLength: 50 })
  name: string;
}

class Assessment {
  @IsDecimal({ min: 0, max: 100, decimals: 2 })
  score: number;
}

/** The 400's errors for `body` read as `type`, or [] when it passes. */
async function refusals(type: new () => object, body: object): Promise<Array<{ field: string; rule: string; message: string }>> {
  try {
    await validationPipe.transform(body, { type: 'body', metatype: type });
    return [];
  } catch (error) {
    if (error instanceof InvalidInput) return error.errors;
    throw error;
  }
}

describe('a text kept for good (IsKeptText)', () => {
  it('refuses an identity number or a mobile number in it, naming the field and never repeating the text', async () => {
    const texts = [
      '持证人王伟 身份证430202199001011233 电话13800000000',
      '身份证430202199001011233',
      '证件号 43020219900101109x，材料造假',
      '联系电话13800000000',
      `电话：${fullWidth('13800000000')}`,
      'ID 11010519491231002X',
      // As numbers are written to be read: with the country code, spaced, hyphenated.
      '电话 +8613812345678',
      '电话 008613812345678',
      '电话 138 1234 5678',
      '电话 138-1234-5678',
      '身份证 430202 19900101 1233',
      '身份证 430202-19900101-1233',
      // Any number the platform takes as a mobile (MOBILE_NUMBER), 12x included.
      '电话 12012345678',
      // Beside other numbers, which do not merge into one longer run.
      '电话 13812345678 2021-07-01 来访',
      '电话13800000000 13900000000',
      '联系 13800000000 1次',
      '身份证 430202199001011233 13800000000',
      '身份证430202199001011233 2021-07-01',
      // A number mistyped in its check character, or without it: the 17 digits before it are the whole number.
      '批次 430202199001011234',
      '上官误录 身份证 43020219870808444 末位录错',
      '身份证 430202 19870808 444',
    ];
    for (const reason of texts) {
      const errors = await refusals(Revocation, { reason });
      expect({ reason, errors: errors.map(({ field, rule }) => ({ field, rule })) }).toEqual({ reason, errors: [{ field: 'reason', rule: 'personal_data_in_text' }] });
      expect(errors[0].message).not.toMatch(/\d{6}|王伟|电话|证件/);
    }
  });

  it('passes certificate numbers, dates, document numbers and numbers that only look like one, and says which field held one', async () => {
    const texts = [
      '材料造假 (falsified documents)',
      '证书 S000143430200215000024 系伪造材料取得',
      'Y00A143430200214000017 与 S000143430200215000024 重复',
      '2021-07-01 复核不合格，20210701 通知',
      '湘人社函〔2021〕12号',
      // 17 or 18 digits without a region or a birth date: not an identity number.
      '批次 999999199001011233',
      '批次 43020219901301123',
      '批次 9999991990010112',
      // A run of digits longer than a number: a slice of it is not one.
      '流水号 4302021990010112330',
      '流水号 138000000001',
      '2021-07-01 至 2021-09-30 的课程',
      // Numbers side by side, spaced: none is a number's group.
      '12.1 12.15 12.30 三次缺勤',
      '课程 1001 1002 103',
      '1 2021.07.01 10',
      '金额 1,234.50，时间 08:00-17:00',
    ];
    for (const reason of texts) expect({ reason, errors: await refusals(Revocation, { reason }) }).toEqual({ reason, errors: [] });
    expect((await refusals(Revocation, { reason: '材料造假', justification: '联系 15912345678 了解详情' })).map((error) => `${error.field}:${error.rule}`)).toEqual([
      'justification:personal_data_in_text',
    ]);
  });
});

describe('a free text (IsText)', () => {
  it('refuses what shows as something else: controls, direction overrides, embeddings and isolates left open, stacks of combining marks', async () => {
    const titles = ['焊工\u202eecnavda yap\u202c', '焊工\u202dX', '焊工\u202bX', '\u2067ئۇيغۇر ABC', '\u2066\u202aX\u2069\u202a', '\u202bX\u2069', '焊工\u0007', '焊工\u001b[31m', '焊工\u0085', `焊${'\u0301'.repeat(40)}`, `焊${'\u0301'.repeat(11)}`, '焊工\u000bX'];
    for (const title of titles) {
      const errors = await refusals(Placement, { title });
      expect({ title, errors: errors.map(({ field, rule }) => ({ field, rule })) }).toEqual({ title, errors: [{ field: 'title', rule: 'hidden_characters' }] });
      // The message never repeats the text (a problem is logged and shown).
      expect(errors[0].message).not.toContain(title);
    }
  });

  it('passes line breaks and tabs (a reason over lines), the middle dot, marks on letters, embeddings and isolates, zero-width joiners; a blank text is blank alone', async () => {
    const texts = [
      '材料造假\n第二行',
      '一\t二',
      '买买提·艾力',
      'Café Zoë',
      'ế',
      '👩\u200d🔧 焊工',
      // Uyghur wrapped as tools wrap right-to-left text: an embedding, an isolate.
      '\u202bئۇيغۇر تېخنىكا مەكتىپى\u202c',
      'شىنجاڭ \u2067ئۇيغۇر\u2069 ABC',
      // An isolate closes the embeddings inside it; a closer with nothing to close changes nothing.
      '\u2066\u202aX\u2069 Y',
      '焊工\u202c\u2069',
      // A Burmese word and a Tibetan stack: several marks on one letter.
      'လျှော့',
      'ཀྵྲཱུྃ',
      `焊${'\u0301'.repeat(10)}`,
    ];
    for (const title of texts) expect({ title, errors: await refusals(Placement, { title }) }).toEqual({ title, errors: [] });
    expect((await refusals(Placement, { title: '\u200b ' })).map((error) => error.rule)).toEqual(['blank']);
  });
});

describe("a person's name (IsPersonName)", () => {
  it('refuses control and format characters: line breaks, bells, bidirectional overrides, zero-width joiners', async () => {
    for (const name of ['王\n伟', '\u0007王', '\u202e王伟', '王\t伟', '王\u200b伟', '王\u2028伟', '王\u0085伟']) {
      const errors = await refusals(Person, { name });
      expect({ name, errors: errors.map(({ field, rule }) => ({ field, rule })) }).toEqual({ name, errors: [{ field: 'name', rule: 'control_characters' }] });
    }
  });

  it('passes names with the middle dot, spaces and letters, trimmed; a blank one is blank alone; a tab inside is refused', async () => {
    expect((await refusals(Person, { name: ' 买买提\t艾力 ' })).map((error) => error.rule)).toEqual(['control_characters']);
    for (const name of ['王伟', '买买提·艾力', 'Ali Hasan', '王伟\n']) expect({ name, errors: await refusals(Person, { name }) }).toEqual({ name, errors: [] });
    expect((await refusals(Person, { name: '\u200b\u200b' })).map((error) => error.rule)).toEqual(['blank']);
  });
});

describe('a number with at most 2 decimal places (IsDecimal)', () => {
  const rulesOf = async (score: number) => (await refusals(Assessment, { score })).map((error) => `${error.field}: ${error.rule}`);

  it('takes a value of at most 2 decimal places whatever binary floating point makes of it', async () => {
    // 86.57 * 100 is 8657.000000000001, 86.15 * 100 is 8615.000000000002: still 2 decimal places as sent.
    for (const score of [0, 1, 86, 86.5, 86.57, 86.15, 99.99, 100, 0.01, 0.29, 8.55e1, JSON.parse('86.50'), JSON.parse('8.615e1')]) expect({ score, rules: await rulesOf(score) }).toEqual({ score, rules: [] });
  });

  it('refuses any value with more decimals, however close to a hundredth it is', async () => {
    // 0.1 + 0.2 is 0.30000000000000004, sent so by JSON.stringify: 17 decimals, stored as such if taken.
    for (const score of [86.505, 99.999999999, 86.50000000000001, 86.5000001, 0.001, 1e-7, 99.99999999999, 0.1 + 0.2, 1.1 * 3]) {
      expect({ score, rules: await rulesOf(score) }).toEqual({ score, rules: ['score: isDecimal'] });
    }
  });
});
