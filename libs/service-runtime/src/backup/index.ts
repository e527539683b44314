export * from './backup-schedule';
export * from './copy-files';
export * from './manifest';
export * from './take-backup';
export * from './erasure-ledger';
export * from './erasures-owed';
export * from './keep-backups-private';
