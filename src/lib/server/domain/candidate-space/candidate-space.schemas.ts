import * as v from 'valibot';

export const MESSAGE_MAX_LENGTH = 5000;

/** A message written by the candidate or their advisor. */
export const messageSchema = v.object({
	body: v.pipe(
		v.string('candidate_space.message_required'),
		v.trim(),
		v.nonEmpty('candidate_space.message_required'),
		v.maxLength(MESSAGE_MAX_LENGTH, 'candidate_space.message_too_long')
	)
});
export type MessageInput = v.InferInput<typeof messageSchema>;

/** A document the advisor asks the household for. */
export const documentRequestSchema = v.object({
	label: v.pipe(
		v.string('candidate_space.document_label_required'),
		v.trim(),
		v.nonEmpty('candidate_space.document_label_required'),
		v.maxLength(200, 'candidate_space.document_label_too_long')
	)
});
export type DocumentRequestInput = v.InferInput<typeof documentRequestSchema>;

export const caseDocumentIdSchema = v.pipe(v.string(), v.regex(/^doc_[a-z0-9]{8,64}$/));
