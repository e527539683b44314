import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandPipeline, mustExist } from '@skills/event-sourcing';
import { Permission } from '@skills/service-runtime';
import { brandAggregate, brandStreamId } from '../brands/brand.aggregate';
import { BrandFigures } from './brand-figures';

@ApiTags('admin')
@Controller('admin/brands/:id/figures/rebuild')
export class RebuildFiguresController {
  constructor(
    private readonly commands: CommandPipeline,
    private readonly figures: BrandFigures,
  ) {}

  /** Operators recompute a brand's figures from the recorded facts; the old ones answer until the swap. */
  @Post()
  @Permission('admin:operate')
  @HttpCode(200)
  @ApiOkResponse({ description: '{brandId, rebuilt: true}' })
  async rebuild(@Param('id', new ParseUUIDPipe()) brandId: string) {
    await this.commands.existing(mustExist(brandStreamId(brandId), 'brand', brandId), brandAggregate);
    await this.figures.rebuild(brandId);
    return { brandId, rebuilt: true };
  }
}
