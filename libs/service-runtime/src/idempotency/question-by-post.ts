import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const QUESTION_BY_POST_KEY = 'skills:question-by-post';
/** The OpenAPI extension that tells documentIdempotencyKey to leave the operation out. */
export const QUESTION_BY_POST_EXTENSION = 'x-question-by-post';

/**
 * A question sent as POST only so that what it asks with (a name, an identity number) stays out of URLs
 * and logs: it changes nothing, so it takes no `Idempotency-Key`, and its body, which holds personal
 * data, is never fingerprinted and stored as a command's would be.
 */
export const QuestionByPost = () => applyDecorators(SetMetadata(QUESTION_BY_POST_KEY, true), ApiExtension(QUESTION_BY_POST_EXTENSION, true));
