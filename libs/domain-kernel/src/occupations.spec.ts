import { occupationLabel, occupationName } from './occupations';

describe('occupation names of the classification', () => {
  it('names a known code in Chinese by default and in English on request', () => {
    expect(occupationName('6-18-02-04')).toBe('焊工');
    expect(occupationName('6-18-02-04', 'en')).toBe('Welder');
    expect(occupationName('6-31-01-03', 'zh-CN')).toBe('电工');
  });

  it('has no name for a code it does not know, which is then shown as the code', () => {
    expect(occupationName('8-00-00-00')).toBeUndefined();
    expect(occupationName('constructor')).toBeUndefined();
    expect(occupationLabel('8-00-00-00', 'en')).toBe('8-00-00-00');
  });
});
