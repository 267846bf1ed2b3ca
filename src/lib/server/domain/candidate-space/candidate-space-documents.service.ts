/**
 * Documents of a case: the advisor asks the household for one (a label), the candidate sends it
 * from their space (PDF, JPEG or PNG, recognised by their bytes, at most DOCUMENT_MAX_MB), the
 * advisor downloads it from the case page. Only the case's staff and its own candidate reach a
 * file; committee members and partners never do. Requests and receipts go on the case timeline.
 */
import * as v from 'valibot';
import { translate } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { CaseDocument } from '../../db/schema/index.ts';
import type { FileStorage } from '../../files/storage.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { assertStaff } from '../case/case.permissions.ts';
import { insertActivity, updateCase } from '../case/case.repository.ts';
import { loadVisibleCase } from '../case/case.shared.ts';
import { countMediaFilesWithKey } from '../media/media.repository.ts';
import {
	candidateSpaceDocumentMissing,
	candidateSpaceDocumentNotFound,
	candidateSpaceDocumentTooLarge,
	candidateSpaceDocumentWrongType
} from './candidate-space.errors.ts';
import { queueSpaceMail } from './candidate-space.mails.ts';
import {
	countCaseDocumentsWithKey,
	findCaseDocument,
	findCaseDocuments,
	findProgrammeName,
	findUserContact,
	insertCaseDocument,
	updateCaseDocument
} from './candidate-space.repository.ts';
import {
	DOCUMENT_ALLOWED_LABEL,
	DOCUMENT_MAX_BYTES,
	DOCUMENT_MAX_MB,
	cleanFileName,
	detectDocumentType
} from './candidate-space.rules.ts';
import {
	caseDocumentIdSchema,
	documentRequestSchema,
	type DocumentRequestInput
} from './candidate-space.schemas.ts';
import { getOwnCaseRow } from './candidate-space.service.ts';

const log = createLogger({ namespace: 'candidate-space:documents' });

type Deps = { db: Db; now?: Date };

/** What a list shows of a document (the storage key stays on the server). */
export type DocumentView = Omit<CaseDocument, 'fileKey' | 'requestedBy' | 'uploadedBy'>;

const toView = ({ fileKey: _k, requestedBy: _r, uploadedBy: _u, ...view }: CaseDocument): DocumentView =>
	view;

/**
 * Deletes stored document files that no document (of any programme) and no photo still uses:
 * keys are content hashes, so the same bytes sent twice share one file. Called after the commit
 * that removed or replaced the rows, as media.service does for photos.
 */
export async function deleteDocumentFilesIfUnused({
	db,
	storage,
	keys
}: {
	db: Db;
	storage: FileStorage;
	keys: string[];
}): Promise<{ deleted: number }> {
	let deleted = 0;
	for (const key of new Set(keys)) {
		if ((await countCaseDocumentsWithKey({ db, key })) > 0) continue;
		if ((await countMediaFilesWithKey({ db, key })) > 0) continue;
		await storage.delete(key);
		deleted++;
	}
	return { deleted };
}

/** Staff ask the household for a document; the candidate (if they have an account) is told by mail. */
export async function requestCaseDocument(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: DocumentRequestInput },
	{ db, config, now = new Date() }: Deps & { config: Pick<Config, 'smtpUrl' | 'origin' | 'port'> }
): Promise<{ document: DocumentView }> {
	assertStaff(actor);
	const { label } = parseInput(documentRequestSchema, input);
	return db.transaction(async (tx) => {
		const { kase } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		const document = await insertCaseDocument({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				label,
				requestedBy: actor.userId,
				createdAt: now,
				updatedAt: now
			}
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'document',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate('fr', 'candidate_space_activity_document_requested', { label }),
				visibility: 'staff',
				data: { documentId: document.id, status: 'requested' }
			}
		});
		await updateCase({ db: tx, caseId: kase.id, values: { updatedAt: now, updatedBy: actor.userId } });
		const candidate = kase.candidateUserId
			? await findUserContact({ db: tx, userId: kase.candidateUserId })
			: null;
		if (candidate) {
			await queueSpaceMail(
				{
					kind: 'document_requested',
					programmeId: kase.programmeId,
					caseId: kase.id,
					to: candidate,
					programmeName: await findProgrammeName({ db: tx, programmeId: kase.programmeId }),
					reference: kase.reference,
					detail: label,
					path: '/space/documents'
				},
				{ db: tx, config }
			);
		}
		return { document: toView(document) };
	});
}

/** The documents of a case, for its staff. */
export async function listCaseDocuments(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ documents: DocumentView[] }> {
	assertStaff(actor);
	const { kase } = await loadVisibleCase({ actor, caseId }, { db });
	return { documents: (await findCaseDocuments({ db, caseId: kase.id })).map(toView) };
}

/** The documents asked of the candidate and those they sent, in their space. */
export async function listOwnDocuments(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ documents: DocumentView[] }> {
	const kase = await getOwnCaseRow({ actor }, { db });
	return { documents: (await findCaseDocuments({ db, caseId: kase.id })).map(toView) };
}

/**
 * The candidate sends the file asked for by a request of their own case (a new file replaces the
 * one sent before). Refused, with the limit named: no file, a file over DOCUMENT_MAX_MB, a file
 * that is not a PDF, JPEG or PNG by its content. The bytes are stored before the transaction
 * (content-addressed: a failed write leaves at worst an unreferenced file); the file it replaces is
 * deleted after commit unless another document still uses it.
 */
export async function uploadOwnDocument(
	{
		actor,
		documentId,
		file
	}: { actor: Actor; documentId: string; file: { name: string; data: Uint8Array } | null },
	{ db, storage, now = new Date() }: Deps & { storage: FileStorage }
): Promise<{ document: DocumentView }> {
	const kase = await getOwnCaseRow({ actor }, { db });
	if (!v.is(caseDocumentIdSchema, documentId)) throw candidateSpaceDocumentNotFound({ documentId });
	const existing = await findCaseDocument({ db, programmeId: actor.programmeId, documentId });
	if (!existing || existing.caseId !== kase.id) throw candidateSpaceDocumentNotFound({ documentId });
	if (!file || file.data.byteLength === 0) throw candidateSpaceDocumentMissing({ field: 'file' });
	if (file.data.byteLength > DOCUMENT_MAX_BYTES) {
		throw candidateSpaceDocumentTooLarge({ field: 'file', limitMb: DOCUMENT_MAX_MB });
	}
	const type = detectDocumentType(file.data);
	if (!type) throw candidateSpaceDocumentWrongType({ field: 'file', allowed: DOCUMENT_ALLOWED_LABEL });
	const { key } = await storage.put(file.data, type.extension);
	const { view, replacedKey } = await db.transaction(async (tx) => {
		const document = await findCaseDocument({
			db: tx,
			programmeId: actor.programmeId,
			documentId,
			forUpdate: true
		});
		if (!document || document.caseId !== kase.id) throw candidateSpaceDocumentNotFound({ documentId });
		const updated = await updateCaseDocument({
			db: tx,
			documentId,
			values: {
				status: 'received',
				fileKey: key,
				fileName: cleanFileName(file.name, type.extension),
				mimeType: type.mimeType,
				sizeBytes: file.data.byteLength,
				uploadedAt: now,
				uploadedBy: actor.userId,
				updatedAt: now
			}
		});
		await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'document',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate('fr', 'candidate_space_activity_document_received', { label: document.label }),
				visibility: 'staff',
				data: { documentId, status: 'received' }
			}
		});
		await updateCase({ db: tx, caseId: kase.id, values: { updatedAt: now } });
		log.info({ caseId: kase.id, documentId, sizeBytes: file.data.byteLength }, 'Document received');
		return { view: toView(updated), replacedKey: document.fileKey !== key ? document.fileKey : null };
	});
	if (replacedKey) await deleteDocumentFilesIfUnused({ db, storage, keys: [replacedKey] });
	return { document: view };
}

/**
 * The bytes of a sent document: for the case's staff, or for its own candidate. Anyone else (another
 * household, a committee member, a partner, another programme) gets not_found.
 */
export async function getDocumentFile(
	{ actor, documentId }: { actor: Actor; documentId: string },
	{ db, storage }: Deps & { storage: FileStorage }
): Promise<{ data: Uint8Array; fileName: string; mimeType: string; caseId: string }> {
	if (!v.is(caseDocumentIdSchema, documentId)) throw candidateSpaceDocumentNotFound({ documentId });
	const document = await findCaseDocument({ db, programmeId: actor.programmeId, documentId });
	if (!document || !document.fileKey || !document.mimeType)
		throw candidateSpaceDocumentNotFound({ documentId });
	if (actor.role === 'candidate') {
		const kase = await getOwnCaseRow({ actor }, { db });
		if (kase.id !== document.caseId) throw candidateSpaceDocumentNotFound({ documentId });
	} else {
		try {
			assertStaff(actor);
			await loadVisibleCase({ actor, caseId: document.caseId }, { db });
		} catch {
			throw candidateSpaceDocumentNotFound({ documentId });
		}
	}
	const data = await storage.get(document.fileKey);
	if (!data) throw candidateSpaceDocumentNotFound({ documentId });
	return {
		data,
		fileName: document.fileName ?? 'document',
		mimeType: document.mimeType,
		caseId: document.caseId
	};
}
