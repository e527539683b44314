import { monthEndOf, seriesDates } from './series-dates';

describe('the days of a qualification series', () => {
  it('knows the month ends, February of leap years included', () => {
    expect(['2021-02-03', '2024-02-29', '2100-02-01', '2021-04-30', '2021-12-01'].map(monthEndOf)).toEqual(['2021-02-28', '2024-02-29', '2100-02-28', '2021-04-30', '2021-12-31']);
  });

  it('takes every month end of the Zhuzhou 2021 window, which ends on one', () => {
    expect(seriesDates('2020-11-01', '2021-09-30', 60)).toEqual([
      '2020-11-30',
      '2020-12-31',
      '2021-01-31',
      '2021-02-28',
      '2021-03-31',
      '2021-04-30',
      '2021-05-31',
      '2021-06-30',
      '2021-07-31',
      '2021-08-31',
      '2021-09-30',
    ]);
  });

  it('ends on the last day asked for when that is no month end, and starts on a month end that is the first', () => {
    expect(seriesDates('2021-08-31', '2021-10-15', 60)).toEqual(['2021-08-31', '2021-09-30', '2021-10-15']);
    expect(seriesDates('2021-10-02', '2021-10-15', 60)).toEqual(['2021-10-15']);
  });

  it('has no day when from is after to, and stops one past the limit', () => {
    expect(seriesDates('2021-10-16', '2021-10-15', 60)).toEqual([]);
    expect(seriesDates('1950-01-01', '2099-12-31', 60)).toHaveLength(61);
    expect(seriesDates('2016-01-01', '2020-12-31', 60)).toHaveLength(60);
  });
});
