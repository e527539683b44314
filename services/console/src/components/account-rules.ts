/** Identity's rule for a username (create-user.dto.ts), checked by the console before sending. */
export const USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;

/** Identity's shortest password (create-user.dto.ts, change-password.dto.ts, as at activation), checked by the console before sending wherever one is set. */
export const PASSWORD_MIN = 10;
