import { Injectable } from '@nestjs/common';
import { Database } from '@skills/postgres';
import { RegisteredBrand } from '../../brands/brand.aggregate';
import { Qualification } from '../policy';
import { Qualifications } from '../qualification.service';

/**
 * A brand's qualification as of each of several days, by the code that answers one day
 * (Qualifications.asOf): two indexed queries a day. All days are read in one read-only snapshot, so
 * facts arriving meanwhile cannot make a later point count what an earlier one missed.
 */
@Injectable()
export class QualificationSeries {
  constructor(
    private readonly database: Database,
    private readonly qualifications: Qualifications,
  ) {}

  asOf(brand: RegisteredBrand, days: string[]): Promise<Qualification[]> {
    return this.database.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const points: Qualification[] = [];
      // One after another: a transaction's client runs one query at a time.
      for (const day of days) points.push(await this.qualifications.asOf(brand, day, tx));
      return points;
    });
  }
}
