/**
 * A 409 that a repeat may well pass (rule concurrent_modification, answered with Retry-After): the record
 * changed while the command ran, nothing was recorded. Simplified Chinese (the keys) and English; terms
 * follow docs/console.md.
 */
export const retryableConflictsZhCN = {
  'rule.concurrent_modification': '这条记录刚被其他操作同时修改，本次未做任何更改，请稍后重试。',
};

export const retryableConflictsEn: Record<keyof typeof retryableConflictsZhCN, string> = {
  'rule.concurrent_modification': 'The record was changed by another action at the same moment; nothing was changed: try again shortly.',
};
