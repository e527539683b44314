export * from './master-key-check';
export * from './rotate-master-key';
