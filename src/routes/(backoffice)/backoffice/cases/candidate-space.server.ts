import { type RequestEvent } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import type { Actor } from '#server/auth/actor.ts';
import {
	listCaseDocuments,
	requestCaseDocument
} from '#server/domain/candidate-space/candidate-space-documents.service.ts';
import {
	listCaseMessages,
	replyToCandidate
} from '#server/domain/candidate-space/candidate-space.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';

/** The case page's part of the candidate's space (staff): the messages and the documents asked for. */
export async function loadCaseCandidateSpace(actor: Actor, caseId: string) {
	const db = getApp().database.db;
	const { messages, hasCandidateAccount } = await listCaseMessages({ actor, caseId }, { db });
	const { documents } = await listCaseDocuments({ actor, caseId }, { db });
	return { messages, hasCandidateAccount, documents };
}

/** Staff answer the candidate (form intent `candidateMessage`). */
export async function candidateMessageAction(event: RequestEvent) {
	const actor = requireActor(event);
	const data = await event.request.formData();
	const app = getApp();
	try {
		await replyToCandidate(
			{ actor, caseId: event.params.caseId ?? '', input: { body: formText(data, 'body') } },
			{ db: app.database.db, config: app.config }
		);
	} catch (err) {
		return failForm(err, { ...formValues(data), intent: 'candidateMessage' });
	}
	void app.mailer.kick();
	return { intent: 'candidateMessage' as const, isSent: true };
}

/** Staff ask the household for a document (form intent `documentRequest`). */
export async function documentRequestAction(event: RequestEvent) {
	const actor = requireActor(event);
	const data = await event.request.formData();
	const app = getApp();
	try {
		await requestCaseDocument(
			{ actor, caseId: event.params.caseId ?? '', input: { label: formText(data, 'label') } },
			{ db: app.database.db, config: app.config }
		);
	} catch (err) {
		return failForm(err, { ...formValues(data), intent: 'documentRequest' });
	}
	void app.mailer.kick();
	return { intent: 'documentRequest' as const, isRequested: true };
}
