const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID in any case: what Postgres's uuid type takes (ids, event ids). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
