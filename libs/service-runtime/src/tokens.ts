export const RUNTIME_CONFIG = Symbol('RUNTIME_CONFIG');
