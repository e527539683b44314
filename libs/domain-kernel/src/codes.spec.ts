import { INDUSTRY_CODE, MOBILE_NUMBER, OCCUPATION_CODE, REGION_CODE, regionPrefix } from './codes';

describe('classification codes (domain.md section 1)', () => {
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

describe('region nesting', () => {
  it('selects a province, a city or a single district by its leading digits', () => {
    expect(regionPrefix('430000')).toBe('43');
    expect(regionPrefix('430200')).toBe('4302');
    expect(regionPrefix('430202')).toBe('430202');
  });
});
