import { Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';

/** Employment facts from placement events, judged at a business date: active when start ≤ D < end. */
@Injectable()
export class Employments {
  constructor(private readonly database: Database) {}

  async employs(employerCreditCode: string, traineeId: string, on: string): Promise<boolean> {
    const { rowCount } = await this.database.query(
      `SELECT 1 FROM employments
       WHERE trainee_id = $1 AND employer_credit_code = $2 AND start_date <= $3 AND (end_date IS NULL OR end_date > $3)`,
      [traineeId, employerCreditCode.toUpperCase(), on],
    );
    return (rowCount ?? 0) > 0;
  }
}
