import { Controller, Get, Inject, Param, Query, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiServiceUnavailableResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { type Caller, verificationUrlOf } from '@skills/contracts';
import { Clock, UnknownEntity } from '@skills/domain-kernel';
import { CLOCK, ConsistentQuery, CurrentCaller, inFlightRefusal, InFlightPerUser, isConsistent, Permission, RUNTIME_CONFIG, RuntimeConfig, UuidParam } from '@skills/service-runtime';
import { ArchiveReads } from '../archive-reads';
import { CertificateNumberPipe } from './certificate-number.pipe';
import { archivePdf, certificatePdf, certificatesOf } from './pdf-documents';
import { PdfFont } from './pdf-font';

const PDF_ANSWER = { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };
const ATTACHMENT = { 'Content-Disposition': { description: 'attachment; filename=… (the document is to be saved)', schema: { type: 'string' } } };
const UNAVAILABLE =
  "pdf_font_missing: the CJK font of the PDFs (PDF_FONT, by default Debian's fonts-noto-cjk) is not installed, or has not the face PDF_FONT_FACE names; or, with ?consistent=true, training's, certification's and placement's facts (the entries, and what relates the caller to the trainee) did not catch up within CATCH_UP_WAIT_MS, or one of those relating the caller waits here as a dead letter (facts_not_caught_up; repeat after Retry-After)";
/** The pattern of certification-service's RECORDED_CERTIFICATE_NUMBER_PATTERN (a service does not import another's code). */
const CERTIFICATE_NUMBER_PARAM = {
  name: 'number',
  schema: { type: 'string', pattern: '^[0-9A-Za-z-]{6,40}$', example: 'S000143430200215000001' },
  description: 'A certificate number of this trainee (or one of an earlier format an import kept as issued), in any case',
} as const;

/** A PDF takes a core for a while (a CJK font subset, the layout): two at a time per user, for both routes. */
const PDFS_AT_A_TIME = 2;
const pdfsInFlight = new InFlightPerUser(PDFS_AT_A_TIME, 'PDFs');
const TOO_MANY_PDFS = inFlightRefusal(PDFS_AT_A_TIME, 'PDFs');

/**
 * The trainee's archive and certificates as PDFs to keep, print or hand on: the same reading and the
 * same permission as GET /api/v1/trainees/{id}/archive, set in a CJK font so the Chinese is real text.
 */
@ApiTags('trainees')
@Controller('api/v1/trainees/:id')
@UseInterceptors(pdfsInFlight)
export class ArchivePdfController {
  constructor(
    private readonly archives: ArchiveReads,
    private readonly font: PdfFont,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {}

  private readonly verificationUrlOf = (number: string) => verificationUrlOf(this.config.publicOrigin, number);

  @Get('archive/pdf')
  @ApiOperation({ summary: "A trainee's archive as a PDF", description: "The person (identity number masked), every entry in business-date order in Chinese (a hire's monthly wage and an employment end's reason only for the trainee, platform_admin and that employer's staff, as in the archive), and each certificate's number and verification URL. When the read is not complete (freshness.completeUpTo null: facts still arriving, or parked as dead letters), a line says the archive may be incomplete as of the instant it was made (Beijing time) and how many facts it lacks." })
  @Permission('trainees:read-archive')
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The archive as an A4 PDF', headers: ATTACHMENT, ...PDF_ANSWER })
  @ApiNotFoundResponse({ description: 'No trainee with this id that the caller may read (the trainee, a related organisation, platform_admin)' })
  @ApiServiceUnavailableResponse({ description: UNAVAILABLE })
  @ApiTooManyRequestsResponse({ description: TOO_MANY_PDFS })
  async archive(@UuidParam('id') traineeId: string, @Query() query: ConsistentQuery, @CurrentCaller() caller: Caller): Promise<StreamableFile> {
    // Who may read first: a caller not entitled is answered 404 whether or not the font is installed.
    const archive = await this.archives.read(caller, traineeId, isConsistent(query));
    const font = this.font.file();
    const pdf = await archivePdf(font, archive, this.verificationUrlOf, this.clock.now());
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="archive-${traineeId}.pdf"`, length: pdf.length });
  }

  @Get('certificates/:number/pdf')
  @ApiOperation({ summary: 'One of a trainee\'s certificates as a printable PDF', description: 'An A4 page: holder, occupation, level, evaluator, date, number, whether it was revoked, and the QR code of its verification URL.' })
  @Permission('trainees:read-archive')
  @ApiParam(CERTIFICATE_NUMBER_PARAM)
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The certificate as an A4 PDF', headers: ATTACHMENT, ...PDF_ANSWER })
  @ApiNotFoundResponse({ description: "No trainee with this id that the caller may read, or no certificate with this number in the trainee's archive" })
  @ApiServiceUnavailableResponse({ description: UNAVAILABLE })
  @ApiTooManyRequestsResponse({ description: TOO_MANY_PDFS })
  async certificate(@UuidParam('id') traineeId: string, @Param('number', CertificateNumberPipe) number: string, @Query() query: ConsistentQuery, @CurrentCaller() caller: Caller): Promise<StreamableFile> {
    const { trainee, entries } = await this.archives.read(caller, traineeId, isConsistent(query));
    const font = this.font.file();
    const certificate = certificatesOf(entries, this.verificationUrlOf).find((candidate) => candidate.number === number);
    if (!certificate) throw new UnknownEntity('certificate', number);
    const pdf = await certificatePdf(font, trainee.name, certificate);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="certificate-${number}.pdf"`, length: pdf.length });
  }
}
