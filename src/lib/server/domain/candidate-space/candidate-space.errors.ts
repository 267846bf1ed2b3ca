import { defineError } from '../../errors.ts';

/** The actor is not a candidate with a file in this programme (the space is theirs only). */
export const candidateSpaceNoCase = defineError('candidate_space.no_case', 'not_found');
/** A requested document that is not the actor's to see (another case, another programme) or does not exist. */
export const candidateSpaceDocumentNotFound = defineError('candidate_space.document_not_found', 'not_found');
/** The sent file is not a PDF, JPEG or PNG (checked on its bytes, not its name); details.allowed. */
export const candidateSpaceDocumentWrongType = defineError('candidate_space.document_wrong_type', 'invalid');
/** The sent file is over the size limit; details.limitMb. */
export const candidateSpaceDocumentTooLarge = defineError('candidate_space.document_too_large', 'invalid');
/** No file was chosen. */
export const candidateSpaceDocumentMissing = defineError('candidate_space.document_missing', 'invalid');
