/** A TOTP code as the API takes it: 6 digits (an app may show them as `123 456`: spaces are dropped). */
export const CODE = /^[0-9]{6}$/;
export const codeOf = (typed: string) => typed.replace(/\s/g, '');
/**
 * What a one-time code field is: the phone offers the code the app or a message holds, the keypad shows
 * digits, and room is left for the space an app shows in the middle (`123 456`).
 */
export const CODE_FIELD = { autoComplete: 'one-time-code', inputMode: 'numeric', maxLength: 7, required: true } as const;

/** A character no code has (spaces aside): said at the field at once, before any submit. */
export const notACode = (typed: string) => /[^0-9\s]/.test(typed);

/** A base32 secret in groups of four, for reading it aloud or typing it into an app (which ignores the spaces). */
export const groupedSecret = (secret: string) => (secret.match(/.{1,4}/g) ?? []).join(' ');
