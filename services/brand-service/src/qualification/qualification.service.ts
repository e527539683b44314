import { Injectable } from '@nestjs/common';
import { Sql } from '@skills/postgres';
import { RegisteredBrand } from '../brands/brand.aggregate';
import { BrandFigures } from './brand-figures';
import { judge, Qualification } from './policy';

/**
 * A brand's qualification as of a business date: its figures judged against its own policy. The brand
 * comes from its stream (CommandPipeline.existing for a read, the pipeline's state for a decision).
 */
@Injectable()
export class Qualifications {
  constructor(private readonly figures: BrandFigures) {}

  /** `sql`: the pool for a read, the command's transaction for a decision. */
  async asOf(brand: RegisteredBrand, asOf: string, sql?: Sql): Promise<Qualification> {
    return judge(brand.brand.policy, await this.figures.figuresAsOf(brand.brand.brandId, asOf, sql), asOf);
  }

  /** For a decision, in its transaction: how far the facts had reached, then the figures read after. */
  async forDecision(brand: RegisteredBrand, asOf: string, tx: Sql): Promise<{ qualification: Qualification; basedOnFactSequence: number }> {
    const basedOnFactSequence = await this.figures.lastFactSequence(tx);
    return { qualification: await this.asOf(brand, asOf, tx), basedOnFactSequence };
  }
}
