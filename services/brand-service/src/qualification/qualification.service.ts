import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Sql } from '@skills/postgres';
import { FactsParked } from '@skills/service-runtime';
import { RegisteredBrand } from '../brands/brand.aggregate';
import { BrandFigures } from './brand-figures';
import { judge, Qualification } from './policy';

/**
 * The brand's figures are not counted by the current rule yet: its backfill after the registration has not
 * finished (or was cut short, and is being counted again), or an upgrade of the counting rule has not
 * rebuilt them yet (FiguresUpgrade). The facts are here but not all in its figures: answered as facts that
 * have not caught up are (CatchUp's FactsNotCaughtUp), 503 with Retry-After, nothing decided.
 */
export class FiguresNotCounted extends HttpException {
  constructor(brandId: string) {
    super(
      {
        message: `brand ${brandId}'s figures are still being counted from the facts applied here (after its registration, or after a change to how they are counted); nothing was decided, repeat the request`,
        rule: 'facts_not_caught_up',
        retryAfter: 5,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

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

  /**
   * Whether the brand's figures hold every fact applied here, counted by the current rule (see
   * BrandFigures.counted). Asked before the figures are read: once true it stays true.
   */
  counted(brandId: string, sql?: Sql): Promise<boolean> {
    return this.figures.counted(brandId, sql);
  }

  /** `counted`, and how many facts the figures may lack wait here as dead letters (BrandFigures.readiness): for a read's freshness. */
  readiness(brandId: string): Promise<{ counted: boolean; factsParked: number }> {
    return this.figures.readiness(brandId);
  }

  /** FiguresNotCounted (503) unless the brand's figures are counted (`counted`). */
  async refuseUncounted(brandId: string): Promise<void> {
    if (!(await this.counted(brandId))) throw new FiguresNotCounted(brandId);
  }

  /**
   * For a decision, in its transaction: refused (503) while the brand's figures are not counted by the
   * current rule (FiguresNotCounted) or a fact they may lack waits as a dead letter (FactsParked); then the
   * highest fact number seen (for information, see BrandFigures.lastFactSequence), and the figures.
   */
  async forDecision(brand: RegisteredBrand, asOf: string, tx: Sql): Promise<{ qualification: Qualification; basedOnFactSequence: number }> {
    const brandId = brand.brand.brandId;
    const { counted, factsParked } = await this.figures.readiness(brandId, tx);
    if (!counted) throw new FiguresNotCounted(brandId);
    if (factsParked > 0) throw new FactsParked(`brand ${brandId}'s results or employments from training and placement`);
    const basedOnFactSequence = await this.figures.lastFactSequence(tx);
    return { qualification: await this.asOf(brand, asOf, tx), basedOnFactSequence };
  }
}
