import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The page size of every list (api.md: `?limit=&cursor=` → `{items, nextCursor}`); each list adds its own cursor. */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/**
 * Reads one row more than the page holds (`LIMIT size + 1`): the page, and the cursor of its last row
 * when more follow (null on the last page).
 */
export function pageOf<Row, Cursor>(rows: Row[], query: PageQuery, cursorOf: (last: Row) => Cursor): { page: Row[]; nextCursor: Cursor | null } {
  const size = pageSize(query);
  const page = rows.slice(0, size);
  return { page, nextCursor: rows.length > size ? cursorOf(page[page.length - 1]) : null };
}

/** The rows to ask the database for: one more than the page, to know whether another follows. */
export const rowsForPage = (query: PageQuery) => pageSize(query) + 1;

const pageSize = (query: PageQuery) => query.limit ?? 20;
