import { FieldRefusal } from '@skills/domain-kernel';
import { auditWindow } from './audit-window';

describe('the window of an audit read', () => {
  it('reads days as whole days in China Standard Time, `to` included', () => {
    expect(auditWindow({ from: '2021-03-01', to: '2021-03-01' })).toEqual({ from: new Date('2021-02-28T16:00:00Z'), before: new Date('2021-03-01T16:00:00Z') });
  });

  it('reads instants with their offset, `to` included to the millisecond', () => {
    expect(auditWindow({ from: '2021-03-01T08:00:00+08:00', to: '2021-03-01T02:00:00.500Z' })).toEqual({
      from: new Date('2021-03-01T00:00:00Z'),
      before: new Date('2021-03-01T02:00:00.501Z'),
    });
  });

  it('leaves out a bound not given', () => {
    expect(auditWindow({})).toEqual({ from: null, before: null });
    expect(auditWindow({ to: '2021-03-01' }).from).toBeNull();
  });

  it.each([
    ['from', 'notadate'],
    ['from', '2021-02-30'],
    ['to', '2021-03-01T08:00:00'],
    ['to', '2021-02-30T08:00:00Z'],
    ['to', '2021-03-01T25:00:00Z'],
  ])('refuses %s=%s naming the field', (field, value) => {
    const refusal = (() => {
      try {
        return auditWindow({ [field]: value });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(FieldRefusal);
    expect(refusal).toMatchObject({ field, rule: 'date_or_instant' });
  });

  it('refuses a window that ends before it starts', () => {
    expect(() => auditWindow({ from: '2021-03-02', to: '2021-03-01' })).toThrow(expect.objectContaining({ field: 'to', rule: 'window_ends_before_it_starts' }));
  });
});
