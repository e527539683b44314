import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { Caller } from '@skills/contracts';
import { NotPermitted, UnknownEntity } from '@skills/domain-kernel';
import { ProjectionRunner } from '@skills/event-sourcing';
import { Database } from '@skills/postgres';
import { ApiWaitsForFacts, AuditTrail, CatchUp, ConsistentQuery, CurrentCaller, InvalidInput, isConsistent, Permission, Public, QuestionByPost, RUNTIME_CONFIG, RuntimeConfig, UuidParam } from '@skills/service-runtime';
import { Response } from 'express';
import QRCode from 'qrcode';
import { CERTIFICATE_NUMBER_EXAMPLE, RECORDED_CERTIFICATE_NUMBER_DESCRIPTION, RECORDED_CERTIFICATE_NUMBER_PATTERN } from '../../certification-answers';
import { CertificateNumberPipe } from '../../ladder/verify-certificate/certificate-number.pipe';
import { VerificationRateLimit } from '../../ladder/verify-certificate/verification-rate-limit';
import { issuedCredential } from '../issue/credentials.projection';
import { StatusLists } from '../issue/status-lists';
import { SigningKeys } from '../keys/signing-keys';
import { CredentialVerification } from '../verify/credential-verification';
import { CredentialVerificationAnswer, RotatedKeyAnswer, VerifyCredentialDto } from './credentials.dto';

const NUMBER_PARAMETER = ApiParam({ name: 'number', schema: { type: 'string', pattern: RECORDED_CERTIFICATE_NUMBER_PATTERN, example: CERTIFICATE_NUMBER_EXAMPLE }, description: RECORDED_CERTIFICATE_NUMBER_DESCRIPTION });
/** A JSON-LD document: its shape is the W3C's and 1EdTech's (linked in the description), not this API's. */
const JSON_LD = { schema: { type: 'object', additionalProperties: true } } as const;

const VERIFICATIONS_PER_MINUTE =
  'rate_limited: more than VERIFY_RATE_LIMIT_PER_MINUTE verifications (60 by default) in the current minute from this client address, counted with those of a certificate by number and by name and the credential verifications; nothing was read. Repeat after Retry-After seconds.';

/** Status lists change only on a revocation: caches may keep one a few minutes (verifiers are told how stale it may be). */
const STATUS_LIST_CACHE = 'public, max-age=300';

/**
 * Certificates as verifiable credentials (api.md, Credentials): the signed credential of a certificate
 * and its QR code, each evaluator's DID document and status lists (public: what an offline verifier
 * needs), verification of a credential, and the rotation of an evaluator's signing key.
 */
@ApiTags('credentials')
@Controller()
export class CredentialsController {
  constructor(
    private readonly database: Database,
    private readonly keys: SigningKeys,
    private readonly lists: StatusLists,
    private readonly verification: CredentialVerification,
    private readonly catchUp: CatchUp,
    private readonly projections: ProjectionRunner,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    private readonly audit: AuditTrail,
  ) {}

  @Get('api/v1/certificates/:number/credential')
  @Public()
  @ApiOperation({
    summary: "A certificate's verifiable credential",
    description:
      'The W3C Verifiable Credential 2.0 / Open Badges 3.0 OpenBadgeCredential of the certificate, signed by its evaluator (Data Integrity, eddsa-rdfc-2022), with its status entry. ' +
      'Its id is the certificate\'s verification URL; the holder is a random id of this credential, and it holds no name, identity number or phone. It is signed just after the certification commits: with ?consistent=true the answer waits for it.',
  })
  @ApiWaitsForFacts("With ?consistent=true: certification-service's credentials, signed after each certification")
  @NUMBER_PARAMETER
  @ApiOkResponse({ description: 'The signed credential (application/json)', ...JSON_LD })
  @ApiBadRequestResponse({ description: 'A number that is no certificate number, or consistent other than true or false' })
  @ApiNotFoundResponse({ description: 'No credential of a certificate with this number (yet: ask with ?consistent=true right after certifying), or none at all where signing is off (CREDENTIAL_SIGNING=off)' })
  // Whether a number has a credential says whether it is a certificate's: counted with the verifications by number.
  @UseInterceptors(VerificationRateLimit)
  @ApiTooManyRequestsResponse({ description: VERIFICATIONS_PER_MINUTE })
  async credential(@Param('number', CertificateNumberPipe) number: string, @Query() query: ConsistentQuery): Promise<Record<string, unknown>> {
    await this.catchUp.forRead(isConsistent(query), [], this.projections);
    const credential = await issuedCredential(this.database, number);
    if (!credential) throw new UnknownEntity('credential', number);
    return credential;
  }

  @Get('api/v1/certificates/:number/credential/qr')
  @Public()
  @ApiOperation({ summary: "A QR code of a certificate's verification URL", description: "A PNG image whose QR code carries the certificate's one verification URL (<PUBLIC_ORIGIN>/verify/{number}), for the holder's copy." })
  @NUMBER_PARAMETER
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'image/png', content: { 'image/png': { schema: { type: 'string', format: 'binary' } } } })
  @ApiBadRequestResponse({ description: 'A number that is no certificate number' })
  @ApiNotFoundResponse({ description: 'No credential of a certificate with this number, or none at all where signing is off (CREDENTIAL_SIGNING=off)' })
  @UseInterceptors(VerificationRateLimit)
  @ApiTooManyRequestsResponse({ description: VERIFICATIONS_PER_MINUTE })
  async qr(@Param('number', CertificateNumberPipe) number: string, @Res() response: Response): Promise<void> {
    const credential = await issuedCredential(this.database, number);
    if (!credential) throw new UnknownEntity('credential', number);
    response.type('image/png').send(await QRCode.toBuffer(String(credential.id), { type: 'png', margin: 2, width: 480, errorCorrectionLevel: 'M' }));
  }

  @Get('evaluators/:id/did.json')
  @Public()
  @ApiOperation({ summary: "An evaluator's DID document (did:web)", description: 'Where did:web:<host>:evaluators:<id> resolves: every key the evaluator has signed with (rotated ones too, so what they signed still verifies), as Multikey verification methods for assertions.' })
  @ApiOkResponse({ description: 'The DID document (application/json)', ...JSON_LD })
  @ApiBadRequestResponse({ description: 'An id that is no UUID' })
  @ApiNotFoundResponse({ description: 'No evaluator with signing keys has this id' })
  async didDocument(@UuidParam('id') evaluatorId: string, @Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const document = await this.keys.didDocument(this.database, evaluatorId);
    if (!document) throw new UnknownEntity('evaluator', evaluatorId);
    response.setHeader('Cache-Control', STATUS_LIST_CACHE);
    return document;
  }

  @Get('api/v1/evaluators/:id/status-lists/:list')
  @Public()
  @ApiOperation({ summary: "An evaluator's revocation status list", description: 'A BitstringStatusListCredential of 131,072 entries, signed by the evaluator; a certificate\'s credential names its entry. Signed again on each revocation; caches may keep it 5 minutes.' })
  @ApiParam({ name: 'list', schema: { type: 'string', pattern: '^[0-9]{1,6}$', example: '0' }, description: "The list's number: 0 for an evaluator's first 131,072 certificates, 1 for the next, …" })
  @ApiOkResponse({ description: 'The status list credential (application/json), with Cache-Control', ...JSON_LD })
  @ApiBadRequestResponse({ description: 'An id that is no UUID, or a list that is no number' })
  @ApiNotFoundResponse({ description: 'No such list of this evaluator' })
  async statusList(@UuidParam('id') evaluatorId: string, @Param('list') listParam: string, @Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    // Checked here, as the document says, so anything else is the 400 naming `list` (ParseIntPipe's had no errors).
    if (!/^[0-9]{1,6}$/.test(listParam)) throw new InvalidInput([{ field: 'list', rule: 'matches', message: 'list must be a list number of 1 to 6 digits' }]);
    const list = Number(listParam);
    const credential = await this.lists.find(this.database, evaluatorId, list);
    if (!credential) throw new UnknownEntity('status list', `${evaluatorId}/${list}`);
    response.setHeader('Cache-Control', STATUS_LIST_CACHE);
    return credential;
  }

  @Post('api/v1/credentials/verify')
  @QuestionByPost()
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Verify a credential',
    description:
      "Checks a credential issued here: signature (the Data Integrity proof), issuer (the proof's key is one the issuer's DID document lists, and the credential, its proof aside, is, as canonical JSON, one this platform issued for the certificate its credentialSubject.licenseNumber names: the one it holds now, or the same showing the occupation by its code, as one signed before the occupation had a name here does, a rebuild or restore signing it again with the name; any other difference, in the holder id, level, occupation, dates, issuer, status entry, any other word or an added field, fails it), status (its entry in the issuer's status list, and the certificate's own record, which a revocation reaches before the list is signed again), dates (validFrom, validUntil). Each check with pass or fail; verified when all pass. " +
      'A credential not in the form issued here fails every check, unchecked (detail: not checked): an @context other than exactly the VC 2.0 and Open Badges 3.0.3 contexts, a JSON-LD keyword key (@id, @context, …) anywhere but the top-level @context, a key that is an IRI (…:…) in place of a term, or a field the checks read of another type (id, issuer.id, validFrom and credentialSubject.id strings, credentialSubject.licenseNumber a string if present, a credentialStatus object of type BitstringStatusListEntry for revocation whose statusListIndex is a string of digits, proof a list of objects). ' +
      'Only issuers of this platform are known: any other issuer fails the issuer check. Any credential object within 16 KiB, however malformed, is answered 200 with its checks. At most VERIFY_RATE_LIMIT_PER_MINUTE verifications a minute from one client address.',
  })
  @ApiOkResponse({ type: CredentialVerificationAnswer })
  @ApiBadRequestResponse({ description: 'No credential object in the body (rule isObject), or one over 16 KiB (rule too_large)' })
  // Each verification canonicalises RDF in the credentials worker: public, but not in bulk from one address.
  @UseInterceptors(VerificationRateLimit)
  @ApiTooManyRequestsResponse({
    description: 'rate_limited: more than VERIFY_RATE_LIMIT_PER_MINUTE verifications (60 by default, counted with those of a certificate by number and by name, its credential and its QR code) in the current minute from this client address; nothing was checked. Repeat after Retry-After seconds.',
  })
  async verify(@Body() body: VerifyCredentialDto): Promise<CredentialVerificationAnswer> {
    return this.verification.verify(body.credential);
  }

  @Post('api/v1/evaluators/:id/signing-keys')
  @Permission('credentials:rotate-key')
  @ApiOperation({
    summary: "Rotate an evaluator's signing key",
    description: "A new key signs the evaluator's credentials and status lists from now on; the earlier keys stay in its DID document, so every credential signed before still verifies. An administrator of the evaluator, or a platform admin.",
  })
  @ApiCreatedResponse({ type: RotatedKeyAnswer })
  @ApiBadRequestResponse({ description: 'An id that is no UUID' })
  @ApiForbiddenResponse({ description: "credentials:rotate-key: not the evaluator's administrator (nor a platform admin)" })
  @ApiNotFoundResponse({ description: 'No evaluator with signing keys has this id' })
  async rotate(@UuidParam('id') evaluatorId: string, @CurrentCaller() caller: Caller): Promise<RotatedKeyAnswer> {
    if (caller.role !== 'platform_admin' && !(caller.organisationId === evaluatorId && caller.orgAdmin)) {
      throw new NotPermitted('credentials:rotate-key', `only an administrator of evaluator ${evaluatorId} may rotate its key`);
    }
    if (!(await this.keys.didDocument(this.database, evaluatorId))) throw new UnknownEntity('evaluator', evaluatorId);
    return {
      keyId: await this.database.transaction(async (tx) => {
        const keyId = await this.keys.rotate(tx, evaluatorId);
        await this.audit.changed(tx, caller, 'RotateCredentialSigningKey', `evaluator-${evaluatorId}`, evaluatorId);
        return keyId;
      }),
    };
  }
}
