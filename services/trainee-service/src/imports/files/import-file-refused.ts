import { FieldRefusal } from '@skills/domain-kernel';

/**
 * The file as a whole cannot be imported (not a CSV or .xlsx, unreadable, empty, columns missing, too many
 * rows, a cell longer than any roster's field). A FieldRefusal on `file`, so the HTTP layer answers it as
 * 400 naming the field and the rule.
 * The detail never quotes the file's cells: they hold personal data.
 */
export class ImportFileRefused extends FieldRefusal {
  declare readonly field: 'file';

  constructor(rule: 'unsupported_file_type' | 'unreadable_file' | 'empty_file' | 'missing_columns' | 'too_many_rows' | 'too_many_columns' | 'cell_too_long' | 'file_too_large', detail: string) {
    super('file', rule, detail);
    this.name = 'ImportFileRefused';
  }
}
