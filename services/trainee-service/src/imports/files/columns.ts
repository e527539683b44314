// The columns of each import kind and how a header a person typed is matched to one of them.
// Templates, documentation and the reader all use these lists, so a column is described once.
import { TRAINEE_CATEGORY_TITLES } from '@skills/contracts';
import { toHalfWidth } from './normalise';

export type ImportKind = 'trainees' | 'enrolments_and_results' | 'certificates';

export const IMPORT_KINDS: readonly ImportKind[] = ['trainees', 'enrolments_and_results', 'certificates'];

export interface ImportColumn {
  /** The canonical field the row's value goes to (the API's name for it). */
  field: string;
  /** The header the template writes. */
  zh: string;
  en: string;
  required: boolean;
  description: string;
  /** Other headers people use for this column (matched like zh and en). */
  synonyms: readonly string[];
  /** The template's example value. */
  example: string;
}

const name: ImportColumn = {
  field: 'name',
  zh: '姓名',
  en: 'name',
  required: true,
  description: 'As on the identity document (买买提·艾力 may keep its middle dot)',
  synonyms: [],
  example: '张三',
};

const idNumber: ImportColumn = {
  field: 'idNumber',
  zh: '身份证号',
  en: 'idNumber',
  required: true,
  description: '18-character resident identity number; format the column as text in Excel, or it loses the last digits',
  synonyms: ['身份证号码', '证件号码', '公民身份号码'],
  example: '430202199001011233',
};

const date = (field: string, zh: string, required: boolean, description: string, synonyms: readonly string[], example: string): ImportColumn => ({
  field,
  zh,
  en: field,
  required,
  description: `${description}; YYYY-MM-DD, YYYY/M/D, YYYY年M月D日 or an Excel date`,
  synonyms,
  example,
});

export const IMPORT_COLUMNS: Record<ImportKind, ImportColumn[]> = {
  trainees: [
    name,
    idNumber,
    {
      field: 'phone',
      zh: '手机号',
      en: 'phone',
      required: true,
      description: '11-digit mobile number',
      synonyms: ['手机号码', '联系电话', '电话'],
      example: '13800000000',
    },
    {
      field: 'regionCode',
      zh: '地区代码',
      en: 'regionCode',
      required: false,
      description: '6-digit administrative region code (GB/T 2260), e.g. 430200 for Zhuzhou',
      synonyms: ['行政区划代码'],
      example: '430200',
    },
    {
      field: 'categories',
      zh: '人员类别',
      en: 'categories',
      required: false,
      description: `${Object.values(TRAINEE_CATEGORY_TITLES).join(', ')} (as the bureaus' forms name them; the shorter names offices write, or the API values, too), separated by 、 or ;`,
      synonyms: [],
      example: TRAINEE_CATEGORY_TITLES.rural_migrant,
    },
  ],
  enrolments_and_results: [
    name,
    idNumber,
    date('enrolledOn', '报名日期', false, 'The day the trainee enrolled', [], '2025-03-01'),
    {
      field: 'passed',
      zh: '是否合格',
      en: 'passed',
      required: false,
      description: '是/合格/通过 or 否/不合格/未通过 (also true/false, 1/0); empty when not assessed yet',
      synonyms: ['考核结果'],
      example: '是',
    },
    { field: 'score', zh: '成绩', en: 'score', required: false, description: 'Assessment score, 0–100', synonyms: ['考核成绩', '分数'], example: '86' },
    date('assessedOn', '考核日期', false, 'The day of the assessment', [], '2025-03-20'),
  ],
  certificates: [
    name,
    idNumber,
    {
      field: 'certificateNumber',
      zh: '证书编号',
      en: 'certificateNumber',
      required: true,
      description: '22-character certificate number',
      synonyms: [],
      example: 'Y00A143430200255000017',
    },
    {
      field: 'occupationCode',
      zh: '职业编码',
      en: 'occupationCode',
      required: true,
      description: 'National occupation classification code D-DD-DD-DD, e.g. 6-18-02-04 (焊工)',
      synonyms: ['职业代码'],
      example: '6-18-02-04',
    },
    {
      field: 'level',
      zh: '等级',
      en: 'level',
      required: true,
      description: '学徒工, 初级工 (五级), 中级工 (四级), 高级工 (三级), 技师 (二级), 高级技师 (一级), 特级技师, 首席技师, or the API value',
      synonyms: ['技能等级'],
      example: '初级工',
    },
    date('certifiedOn', '发证日期', true, 'The day the certificate was issued, before the evaluator began certifying on the platform (its first certification through POST /api/v1/certifications)', ['颁证日期'], '2025-03-20'),
    {
      field: 'occupationEdition',
      zh: '职业分类版本',
      en: 'occupationEdition',
      required: false,
      description: 'Edition of the occupation classification, e.g. 2022',
      synonyms: [],
      example: '2022',
    },
  ],
};

/**
 * A header as compared: half-width, no spaces, underscores, dashes or `*`, no bracketed hint such as
 * （必填） or (YYYY-MM-DD), lower case (only English letters have case).
 */
export function headerKey(header: string): string {
  return toHalfWidth(header)
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[\s_*-]/g, '')
    .toLowerCase();
}

/**
 * Which column of the file feeds which field: the first column whose header matches wins, so a second
 * matching column stays an ordinary (ignored) cell. Throws nothing: the caller decides what is missing.
 */
export function matchColumns(headers: readonly string[], kind: ImportKind): { fieldAt: Map<number, ImportColumn>; missing: ImportColumn[] } {
  const columnByKey = new Map<string, ImportColumn>();
  for (const column of IMPORT_COLUMNS[kind]) {
    for (const header of [column.zh, column.en, ...column.synonyms]) columnByKey.set(headerKey(header), column);
  }
  const fieldAt = new Map<number, ImportColumn>();
  const found = new Set<string>();
  headers.forEach((header, index) => {
    const column = columnByKey.get(headerKey(header));
    if (!column || found.has(column.field)) return;
    found.add(column.field);
    fieldAt.set(index, column);
  });
  const missing = IMPORT_COLUMNS[kind].filter((column) => column.required && !found.has(column.field));
  return { fieldAt, missing };
}
