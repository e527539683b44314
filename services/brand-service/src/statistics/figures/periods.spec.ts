import { isPeriod, lastMonthOf, monthsAfter, periodsOf, regionsCounting } from './periods';
import { median } from './region-figures';

describe('statistics periods and regions', () => {
  it('reads a month, a quarter or a year, and nothing else', () => {
    expect(['2025', '2025-07', '2025-12', '2025-Q1', '2025-Q4'].filter(isPeriod)).toHaveLength(5);
    expect(['2025-13', '2025-00', '2025-Q0', '2025-Q5', '25', '2025-7', '2025Q3', ''].filter(isPeriod)).toEqual([]);
  });

  it('puts a business date in its month, quarter and year, and ends each period with its last month', () => {
    expect(periodsOf('2025-09-30')).toEqual(['2025-09', '2025-Q3', '2025']);
    expect(periodsOf('2025-10-01')).toEqual(['2025-10', '2025-Q4', '2025']);
    expect(['2025', '2025-Q1', '2025-Q3', '2025-02'].map(lastMonthOf)).toEqual(['2025-12', '2025-03', '2025-09', '2025-02']);
  });

  it('counts an organisation in its district, city, province and the country', () => {
    expect(regionsCounting('430202')).toEqual(['430202', '430200', '430000', '000000']);
    expect(regionsCounting('430200')).toEqual(['430200', '430000', '000000']);
    expect(regionsCounting('430000')).toEqual(['430000', '000000']);
    expect(regionsCounting(null)).toEqual(['000000']);
  });

  it('adds calendar months, keeping to the last day of a shorter month', () => {
    expect(monthsAfter('2025-07-31', 3)).toBe('2025-10-31');
    expect(monthsAfter('2025-11-30', 3)).toBe('2026-02-28');
    expect(monthsAfter('2024-08-31', 6)).toBe('2025-02-28');
  });

  it('takes the median of a wage histogram, and shows no cell of fewer than 5 hires', () => {
    expect(median([{ wage: 5000, hires: 2 }, { wage: 9000, hires: 2 }])).toBeNull();
    expect(median([{ wage: 5000, hires: 2 }, { wage: 6000, hires: 1 }, { wage: 9000, hires: 2 }])).toBe(6000);
    expect(median([{ wage: 9000, hires: 3 }, { wage: 5000, hires: 3 }])).toBe(7000);
    expect(median([{ wage: 5000, hires: 5 }, { wage: 8000, hires: 0 }])).toBe(5000);
  });
});
