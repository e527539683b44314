import { formatCertificateNumber, nationalGradeOf } from '@skills/domain-kernel';
import { testAdultIdentityNumber } from '@skills/testing';

/** The n-th trainee of the run: the same person in the raw insert, the trainees file and the certificates file. */
export interface TraineeRow {
  name: string;
  idNumber: string;
  phone: string;
  regionCode: string;
}

export function traineeRows(count: number): TraineeRow[] {
  return Array.from({ length: count }, (_, n) => ({
    name: `学员${n}`,
    idNumber: testAdultIdentityNumber(n),
    phone: `139${String(n).padStart(8, '0')}`,
    regionCode: '430200',
  }));
}

/** The evaluator that issued the certificates, as certification-service registered it. */
export interface CertificateIssuer {
  kind: 'employer' | 'social_organisation';
  evaluatorCode: string;
  regionCode: string;
}

/**
 * Every holder born by 2007-05 (testAdultIdentityNumber): of working age on this day, which is in the
 * past, so no row is refused for its date.
 */
const CERTIFIED_ON = '2024-06-15';
const WELDER = '6-18-02-04';

export type ImportFile = { bytes: Buffer; name: string };

const csv = (rows: string[][]) => Buffer.from(rows.map((row) => row.join(',')).join('\r\n') + '\r\n');

/** A trainees file with the template's Chinese headers (UTF-8), as a school exports it. */
export function traineesFile(rows: TraineeRow[]): ImportFile {
  return { name: '学员名单.csv', bytes: csv([['姓名', '身份证号', '手机号', '地区代码'], ...rows.map((row) => [row.name, row.idNumber, row.phone, row.regionCode])]) };
}

/**
 * One 初级工 welder certificate of 2024 per trainee, numbered in the current 22-character format with
 * the evaluator's own code (domain.md section 1), serials from 1 in file order.
 */
export function certificatesFile(rows: TraineeRow[], issuer: CertificateIssuer): ImportFile {
  const number = (serial: number) =>
    formatCertificateNumber({
      evaluatorKind: issuer.kind,
      evaluatorCode: issuer.evaluatorCode,
      province: issuer.regionCode.slice(0, 2),
      site: issuer.regionCode,
      year: CERTIFIED_ON.slice(2, 4),
      nationalGrade: nationalGradeOf('junior'),
      serial,
    });
  return {
    name: '历年证书.csv',
    bytes: csv([['姓名', '身份证号', '证书编号', '职业编码', '等级', '发证日期'], ...rows.map((row, n) => [row.name, row.idNumber, number(n + 1), WELDER, '初级工', CERTIFIED_ON])]),
  };
}

/**
 * Every row of a course's past roster with its result (a school's 报名 and 考核 records of 2021): enrolled
 * on the course's first day, passed with 80 near its end.
 */
export function enrolmentsFile(rows: TraineeRow[]): ImportFile {
  return {
    name: '报名与成绩.csv',
    bytes: csv([['姓名', '身份证号', '报名日期', '是否合格', '成绩', '考核日期'], ...rows.map((row) => [row.name, row.idNumber, '2021-03-01', '是', '80', '2021-05-28'])]),
  };
}
