export const RUNTIME_CONFIG = Symbol('RUNTIME_CONFIG');
/** The Clock of the host (domain-kernel): the system clock, or a fixed one in tests. */
export const CLOCK = Symbol('CLOCK');
