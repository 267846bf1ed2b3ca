import { defineError } from '../errors.ts';

/**
 * A query parameter, a path segment or a form field holds a character no text column can
 * store (NUL, a lone UTF-16 surrogate), or the request's form body cannot be read at all.
 * Both are answered 400 by `http/input-guard.ts` before any page, action or endpoint runs.
 */
export const inputInvalidCharacters = defineError('input.invalid_characters', 'invalid');
export const inputMalformedBody = defineError('input.malformed_body', 'invalid');
