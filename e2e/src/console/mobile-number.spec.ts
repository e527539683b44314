// The register page's mobile number as sent, from what a clerk pastes (components/mobile-number.ts).
import { mobileNumberTyped } from '@skills/console';

describe('a mobile number typed or pasted', () => {
  it.each([
    ['13800003333', '13800003333'],
    ['138 0000 3333', '13800003333'],
    ['138-0000-3333', '13800003333'],
    ['+86 138 0000 3333', '13800003333'],
    ['0086 13800003333', '13800003333'],
    ['１３８００００３３３３', '13800003333'],
  ])('reads %j as %s', (typed, sent) => {
    expect(mobileNumberTyped(typed)).toBe(sent);
  });

  it('keeps what is no mobile number as it is, for the rule to refuse', () => {
    expect(mobileNumberTyped('1380000333')).toBe('1380000333');
    expect(mobileNumberTyped('+8612')).toBe('+8612');
  });
});
