import {
  CURRENT_OCCUPATION_EDITION,
  INDUSTRY_CODE,
  INDUSTRY_SECTIONS,
  isOccupationEdition,
  isProvincePrefix,
  MOBILE_NUMBER,
  OCCUPATION_CODE,
  OCCUPATION_EDITIONS,
  PROVINCE_PREFIXES,
  readIndustryCode,
  readOccupationCode,
  readRegionCode,
  REGION_CODE,
  NATIONAL_REGION,
  regionContains,
  regionPrefix,
} from './codes';

describe('classification code shapes (domain.md section 1)', () => {
  it.each([
    [REGION_CODE, 'region code (GB/T 2260)', ['430200', '430000'], ['43020', '4302000', '43O200']],
    [OCCUPATION_CODE, 'occupation code (D-DD-DD-DD)', ['6-18-02-04', '4-10-01-01'], ['6-18-2-4', '61-8-02-04', '6180204']],
    [INDUSTRY_CODE, 'industry code (GB/T 4754 section + division)', ['C34', 'O80'], ['c34', 'C3', 'Z34', '34C']],
    [MOBILE_NUMBER, 'mobile number', ['13800000000'], ['1380000000', '23800000000', '138000000001']],
  ])('%s: %s', (shape, _name, valid, invalid) => {
    for (const value of valid) expect(shape.test(value)).toBe(true);
    for (const value of invalid) expect(shape.test(value)).toBe(false);
  });
});

describe('region codes (GB/T 2260)', () => {
  it.each([
    ['430000', '43', 'province'],
    ['430200', '43', 'city'],
    ['430202', '43', 'district'],
    ['110105', '11', 'district'],
    ['429004', '42', 'district'],
    ['820000', '82', 'province'],
  ])('reads %s: province %s, a %s', (code, province, level) => {
    expect(readRegionCode(code)).toEqual({ ok: true, facts: { code, province, level } });
  });

  it.each([
    ['43020', /6 digits/],
    ['4302000', /6 digits/],
    ['43O200', /6 digits/],
    ['', /6 digits/],
    ['000000', /province/],
    ['100000', /province/],
    ['240000', /province/],
    ['470000', /province/],
    ['550000', /province/],
    ['660000', /province/],
    ['720000', /province/],
    ['830000', /province/],
    ['990000', /province/],
    ['430012', /city digits/],
  ])('refuses %s', (code, problem) => {
    const reading = readRegionCode(code);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toMatch(problem);
  });

  it('knows the 34 province prefixes, 11 to 82', () => {
    expect(PROVINCE_PREFIXES).toHaveLength(34);
    expect(new Set(PROVINCE_PREFIXES).size).toBe(34);
    expect(PROVINCE_PREFIXES[0]).toBe('11');
    expect(PROVINCE_PREFIXES[PROVINCE_PREFIXES.length - 1]).toBe('82');
    expect([...PROVINCE_PREFIXES].sort()).toEqual([...PROVINCE_PREFIXES]);
    expect(isProvincePrefix('43')).toBe(true);
    expect(isProvincePrefix('10')).toBe(false);
  });

  it('selects a province, a city or a single district by its leading digits', () => {
    expect(regionPrefix('430000')).toBe('43');
    expect(regionPrefix('430200')).toBe('4302');
    expect(regionPrefix('430202')).toBe('430202');
  });

  it('tells whether a region contains another: itself and every code inside it, and the whole country every code', () => {
    expect(regionContains('430200', '430202')).toBe(true);
    expect(regionContains('430200', '430200')).toBe(true);
    expect(regionContains('430000', '430202')).toBe(true);
    expect(regionContains('430200', '430100')).toBe(false);
    expect(regionContains('430202', '430200')).toBe(false);
    expect(regionContains(NATIONAL_REGION, '650102')).toBe(true);
    expect(regionContains('430000', NATIONAL_REGION)).toBe(false);
  });
});

describe('occupation codes with their classification edition', () => {
  it('reads a code against the current (2022) edition by default', () => {
    expect(CURRENT_OCCUPATION_EDITION).toBe('2022');
    expect(readOccupationCode('6-18-02-04')).toEqual({ ok: true, facts: { code: '6-18-02-04', edition: '2022', majorGroup: 6 } });
  });

  it('reads a code against the 2015 edition', () => {
    expect(readOccupationCode('4-10-01-01', '2015')).toEqual({ ok: true, facts: { code: '4-10-01-01', edition: '2015', majorGroup: 4 } });
  });

  it.each(['1-01-00-00', '8-00-00-00'])('accepts the major groups 1 to 8 (%s)', (code) => {
    expect(readOccupationCode(code).ok).toBe(true);
  });

  it.each([
    ['6-18-2-4', '2022', /D-DD-DD-DD/],
    ['61-8-02-04', '2022', /D-DD-DD-DD/],
    ['6180204', '2022', /D-DD-DD-DD/],
    ['6-18-02-04 ', '2022', /D-DD-DD-DD/],
    ['0-18-02-04', '2022', /major group/],
    ['9-18-02-04', '2022', /major group/],
    ['6-18-02-04', '1999', /edition 1999/],
    ['6-18-02-04', '', /edition/],
  ])('refuses %s (edition %s)', (code, edition, problem) => {
    const reading = readOccupationCode(code, edition);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toMatch(problem);
  });

  it('knows the editions 2015 and 2022', () => {
    expect(OCCUPATION_EDITIONS).toEqual(['2015', '2022']);
    expect(isOccupationEdition('2015')).toBe(true);
    expect(isOccupationEdition('2022')).toBe(true);
    expect(isOccupationEdition('1999')).toBe(false);
    expect(isOccupationEdition(2022)).toBe(false);
  });
});

describe('industry codes (GB/T 4754-2017)', () => {
  it.each([
    ['C34', 'C', 34],
    ['O80', 'O', 80],
    ['A01', 'A', 1],
    ['C13', 'C', 13],
    ['C43', 'C', 43],
    ['T97', 'T', 97],
  ])('reads %s: section %s, division %i', (code, section, division) => {
    expect(readIndustryCode(code)).toEqual({ ok: true, facts: { code, section, division } });
  });

  it.each([
    ['c34', /section letter/],
    ['C3', /section letter/],
    ['C345', /section letter/],
    ['Z34', /section letter/],
    ['U99', /section letter/],
    ['34C', /section letter/],
    ['C12', /division 12 is not in section C \(13–43\)/],
    ['C44', /not in section C/],
    ['O34', /not in section O \(80–82\)/],
    ['A00', /not in section A/],
    ['T98', /not in section T/],
  ])('refuses %s', (code, problem) => {
    const reading = readIndustryCode(code);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.problem).toMatch(problem);
  });

  it('gives every division 01–97 to exactly one section, in order', () => {
    const divisions = Object.values(INDUSTRY_SECTIONS).flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, index) => first + index));
    expect(divisions).toEqual(Array.from({ length: 97 }, (_, index) => index + 1));
    expect(Object.keys(INDUSTRY_SECTIONS)).toEqual([...'ABCDEFGHIJKLMNOPQRST']);
  });
});
