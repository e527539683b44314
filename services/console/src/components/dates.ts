import { businessDateOf } from '@skills/domain-kernel';

/**
 * Today as the server judges business dates: the day in China (UTC+8), whatever the browser's zone, so a
 * form's default and its "not after today" agree with the server's date_in_future at any hour.
 */
export const today = (): string => businessDateOf(new Date());
