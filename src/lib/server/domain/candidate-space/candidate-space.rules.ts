/**
 * Pure rules of the candidate's space: what comes next at each stage, and which files a
 * household may send.
 */
import type { PipelineMilestone } from '../../db/schema/index.ts';

/** The largest document a candidate may send: under BODY_SIZE_LIMIT (10M), so the form, not the server, says why. */
export const DOCUMENT_MAX_BYTES = 8 * 1024 * 1024;
export const DOCUMENT_MAX_MB = DOCUMENT_MAX_BYTES / (1024 * 1024);

export type DocumentType = { mimeType: string; extension: string };

/** The file types accepted, recognised by their first bytes (a renamed file is not a PDF). */
const SIGNATURES: { bytes: number[]; type: DocumentType }[] = [
	{ bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], type: { mimeType: 'application/pdf', extension: 'pdf' } },
	{ bytes: [0xff, 0xd8, 0xff], type: { mimeType: 'image/jpeg', extension: 'jpg' } },
	{
		bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
		type: { mimeType: 'image/png', extension: 'png' }
	}
];

export const DOCUMENT_ALLOWED_LABEL = 'PDF, JPEG, PNG';

/** The type of a file from its content, or null when it is none of PDF, JPEG, PNG. */
export function detectDocumentType(data: Uint8Array): DocumentType | null {
	const match = SIGNATURES.find(({ bytes }) => bytes.every((byte, i) => data[i] === byte));
	return match?.type ?? null;
}

/**
 * What comes next for the household, as a message key, from the milestone of the file's stage
 * (custom pipeline stages map to a milestone too). Exits have their own words.
 */
export function nextStepKey(milestone: PipelineMilestone | undefined): string {
	return `candidate_space_next_${milestone ?? 'contact'}`;
}

/** A file name safe to show and to send back in a Content-Disposition header. */
export function cleanFileName(name: string, extension: string): string {
	const base = name
		.replace(/\.[^.]*$/, '')
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\w.-]+/g, '_')
		.replace(/^[._-]+|[._-]+$/g, '')
		.slice(0, 80);
	return `${base || 'document'}.${extension}`;
}
