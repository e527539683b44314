import { Injectable } from '@nestjs/common';
import { UnknownEntity } from '@skills/domain-kernel';
import { CommandHandler } from '@skills/event-sourcing';
import { brandAggregate, brandStreamId, RegisteredBrand } from '../brands/brand.aggregate';
import { BrandFigures } from './brand-figures';
import { judge, Qualification } from './policy';

/** A brand's qualification as of a business date: its figures judged against its own policy. */
@Injectable()
export class Qualifications {
  constructor(
    private readonly commands: CommandHandler,
    private readonly figures: BrandFigures,
  ) {}

  async brand(brandId: string): Promise<RegisteredBrand> {
    const { state } = await this.commands.load(brandStreamId(brandId), brandAggregate);
    if (state.status !== 'registered') throw new UnknownEntity('brand', brandId);
    return state;
  }

  async asOf(brand: RegisteredBrand, asOf: string): Promise<Qualification> {
    return judge(brand.brand.policy, await this.figures.figuresAsOf(brand.brand.brandId, asOf), asOf);
  }

  /** For a decision: the figures, and how far the facts had reached when they were read. */
  async forDecision(brand: RegisteredBrand, asOf: string): Promise<{ qualification: Qualification; basedOnFactSequence: number }> {
    const basedOnFactSequence = await this.figures.lastFactSequence();
    return { qualification: await this.asOf(brand, asOf), basedOnFactSequence };
  }
}
