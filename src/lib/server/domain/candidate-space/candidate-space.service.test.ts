import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { caseActivitiesTable, mailMessagesTable } from '../../db/schema/index.ts';
import { createDiskStorage } from '../../files/storage.ts';
import { expectDomainError, expectIssuesByField } from '../../testing/expectations.ts';
import { actorOfUserId, createTestEvent } from '../../testing/factories.ts';
import { submitApplication } from '../case/case-intake.service.ts';
import { addActivity, assignAdvisor, getTimeline } from '../case/case.service.ts';
import { application, setupCaseProgrammes } from '../case/case.test-utils.ts';
import { registerForEvent } from '../event-registration/event-registration.service.ts';
import {
	getDocumentFile,
	listCaseDocuments,
	listOwnDocuments,
	requestCaseDocument,
	uploadOwnDocument
} from './candidate-space-documents.service.ts';
import {
	getSpaceOverview,
	listCaseMessages,
	listOwnMessages,
	replyToCandidate,
	sendOwnMessage
} from './candidate-space.service.ts';
import { DOCUMENT_MAX_BYTES } from './candidate-space.rules.ts';

const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.example' });
const dataDir = mkdtempSync(join(tmpdir(), 'soho-space-'));
const storage = createDiskStorage({ dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describeEachDb('candidate space: overview, messages and documents, two households', (ctx) => {
	/** Two households of Gers (A and B), each with their own account made on applying, A with an advisor. */
	const setup = async () => {
		const base = await setupCaseProgrammes(ctx.db);
		const { db, programme, actors } = base;
		const applyAs = async (email: string, firstName: string) => {
			const result = await submitApplication(
				{
					programmeId: programme.id,
					input: application({ email, firstName, lastName: 'Test' }),
					locale: 'fr'
				},
				{ db, config }
			);
			return { kase: result.case, actor: await actorOfUserId(db, result.candidateUserId!) };
		};
		const a = await applyAs('famille.a@example.org', 'Alice');
		const b = await applyAs('famille.b@example.org', 'Bruno');
		await assignAdvisor({ actor: actors.admin, caseId: a.kase.id, advisorId: actors.advisor.userId }, { db });
		return { ...base, a, b };
	};
	const deps = () => ({ db: ctx.db, config });

	test('each candidate sees their own stage, what comes next, their advisor, appointments and events', async () => {
		const { db, programme, actors, a, b } = await setup();
		const inAWeek = new Date(Date.now() + 7 * 86_400_000);
		await addActivity(
			{
				actor: actors.advisor,
				caseId: a.kase.id,
				kind: 'meeting',
				occurredAt: inAWeek,
				summary: 'Visio avec votre conseiller'
			},
			{ db }
		);
		const event = await createTestEvent(db, {
			programmeId: programme.id,
			titleFr: 'Café des nouveaux arrivants',
			startsAt: new Date(Date.now() + 14 * 86_400_000),
			endsAt: new Date(Date.now() + 14 * 86_400_000 + 7_200_000)
		});
		await registerForEvent(
			{ actor: a.actor, programmeId: programme.id, eventId: event.id, input: {} },
			deps()
		);

		const overviewA = await getSpaceOverview({ actor: a.actor }, { db });
		expect(overviewA.case).toMatchObject({ reference: a.kase.reference, stage: 'contact' });
		expect(overviewA.stageIndex).toBe(0);
		expect(overviewA.nextStepKey).toBe('candidate_space_next_contact');
		expect(overviewA.advisor).toEqual({ name: actors.advisor.name });
		expect(overviewA.appointments).toMatchObject([
			{ kind: 'meeting', summary: 'Visio avec votre conseiller' }
		]);
		expect(overviewA.events).toMatchObject([
			{ eventId: event.id, title: 'Café des nouveaux arrivants', status: 'registered' }
		]);

		const overviewB = await getSpaceOverview({ actor: b.actor }, { db });
		expect(overviewB.case.reference).toBe(b.kase.reference);
		expect(overviewB.advisor).toBeNull();
		expect(overviewB.appointments).toEqual([]);
		expect(overviewB.events).toEqual([]);

		for (const actor of [actors.advisor, actors.committee, actors.partner, actors.admin]) {
			await expectDomainError(getSpaceOverview({ actor }, { db }), 'candidate_space.no_case');
		}
	});

	test('a message goes to the advisor by mail and on the timeline; the answer reaches only that household', async () => {
		const { db, actors, a, b } = await setup();
		await sendOwnMessage(
			{ actor: a.actor, input: { body: '  Bonjour, quand pouvons-nous visiter Simorre ?  ' } },
			deps()
		);
		const toAdvisor = (await db.select().from(mailMessagesTable)).filter(
			(mail) => mail.kind === 'candidate_space.message_to_advisor'
		);
		expect(toAdvisor).toMatchObject([{ toAddress: actors.advisor.email, caseId: a.kase.id }]);
		expect(toAdvisor[0].textBody).toContain(`/backoffice/cases/${a.kase.id}`);
		// The message itself stays out of the mail.
		expect(toAdvisor[0].textBody).not.toContain('visiter Simorre');

		const staffView = await listCaseMessages({ actor: actors.advisor, caseId: a.kase.id }, { db });
		expect(staffView.messages).toMatchObject([
			{ from: 'candidate', body: 'Bonjour, quand pouvons-nous visiter Simorre ?', authorName: a.actor.name }
		]);
		await replyToCandidate(
			{ actor: actors.advisor, caseId: a.kase.id, input: { body: 'Le 12, avec le maire.' } },
			deps()
		);
		const toCandidate = (await db.select().from(mailMessagesTable)).filter(
			(mail) => mail.kind === 'candidate_space.message_to_candidate'
		);
		expect(toCandidate).toMatchObject([{ toAddress: 'famille.a@example.org' }]);
		expect(toCandidate[0].textBody).toContain('https://soho.example/space/messages');

		const own = await listOwnMessages({ actor: a.actor }, { db });
		expect(own.messages.map((m) => [m.from, m.body])).toEqual([
			['candidate', 'Bonjour, quand pouvons-nous visiter Simorre ?'],
			['advisor', 'Le 12, avec le maire.']
		]);
		expect(own.advisor).toEqual({ name: actors.advisor.name });
		// Both messages are on the case timeline, for staff only.
		const timeline = await getTimeline({ actor: actors.advisor, caseId: a.kase.id }, { db });
		expect(timeline.activities.filter((x) => x.kind === 'message')).toHaveLength(2);
		const committeeTimeline = await getTimeline({ actor: actors.committee, caseId: a.kase.id }, { db });
		expect(committeeTimeline.activities.some((x) => x.kind === 'message')).toBe(false);

		// Household B sees none of it; committee members and partners cannot read or write messages.
		expect((await listOwnMessages({ actor: b.actor }, { db })).messages).toEqual([]);
		for (const actor of [actors.committee, actors.partner]) {
			await expectDomainError(listCaseMessages({ actor, caseId: a.kase.id }, { db }), 'case.forbidden');
			await expectDomainError(
				replyToCandidate({ actor, caseId: a.kase.id, input: { body: 'x' } }, deps()),
				'case.forbidden'
			);
		}
		await expectDomainError(
			listCaseMessages({ actor: b.actor, caseId: a.kase.id }, { db }),
			'case.forbidden'
		);
		await expectDomainError(
			listCaseMessages({ actor: actors.otherAdvisor, caseId: a.kase.id }, { db }),
			'case.not_found'
		);
	});

	test('a message to a file without advisor goes to the admins; an empty message is refused on its field', async () => {
		const { db, actors, b } = await setup();
		expect(
			await expectIssuesByField(sendOwnMessage({ actor: b.actor, input: { body: '   ' } }, deps()))
		).toEqual({
			body: 'candidate_space.message_required'
		});
		expect(
			await expectIssuesByField(sendOwnMessage({ actor: b.actor, input: { body: 'x'.repeat(5001) } }, deps()))
		).toEqual({
			body: 'candidate_space.message_too_long'
		});
		await sendOwnMessage({ actor: b.actor, input: { body: 'Bonjour' } }, deps());
		const mails = (await db.select().from(mailMessagesTable)).filter(
			(mail) => mail.kind === 'candidate_space.message_to_advisor'
		);
		expect(mails.map((mail) => mail.toAddress)).toEqual([actors.admin.email]);
		expect(
			(await db.select().from(caseActivitiesTable)).filter(
				(x) => x.kind === 'message' && x.caseId === b.kase.id
			)
		).toHaveLength(1);
	});

	test('the advisor asks for a document, the candidate sends it, the advisor downloads it; nobody else reaches it', async () => {
		const { db, actors, a, b } = await setup();
		const { document } = await requestCaseDocument(
			{ actor: actors.advisor, caseId: a.kase.id, input: { label: 'Justificatif de domicile' } },
			deps()
		);
		expect(document).toMatchObject({ status: 'requested', label: 'Justificatif de domicile' });
		const requestMail = (await db.select().from(mailMessagesTable)).find(
			(mail) => mail.kind === 'candidate_space.document_requested'
		);
		expect(requestMail).toMatchObject({ toAddress: 'famille.a@example.org' });
		expect((await listOwnDocuments({ actor: a.actor }, { db })).documents).toMatchObject([
			{ id: document.id }
		]);
		expect((await listOwnDocuments({ actor: b.actor }, { db })).documents).toEqual([]);

		// Household B cannot fill A's request.
		await expectDomainError(
			uploadOwnDocument(
				{ actor: b.actor, documentId: document.id, file: { name: 'x.pdf', data: PDF } },
				{ db, storage }
			),
			'candidate_space.document_not_found'
		);
		const { document: sent } = await uploadOwnDocument(
			{ actor: a.actor, documentId: document.id, file: { name: 'Facture EDF (mars).pdf', data: PDF } },
			{ db, storage }
		);
		expect(sent).toMatchObject({
			status: 'received',
			mimeType: 'application/pdf',
			fileName: 'Facture_EDF_mars.pdf'
		});
		expect(sent).not.toHaveProperty('fileKey');

		const forAdvisor = await getDocumentFile(
			{ actor: actors.advisor, documentId: document.id },
			{ db, storage }
		);
		expect(forAdvisor.mimeType).toBe('application/pdf');
		expect(Buffer.from(forAdvisor.data).equals(Buffer.from(PDF))).toBe(true);
		const forOwner = await getDocumentFile({ actor: a.actor, documentId: document.id }, { db, storage });
		expect(forOwner.fileName).toBe('Facture_EDF_mars.pdf');
		for (const actor of [b.actor, actors.committee, actors.partner, actors.otherAdvisor]) {
			await expectDomainError(
				getDocumentFile({ actor, documentId: document.id }, { db, storage }),
				'candidate_space.document_not_found'
			);
		}
		expect(
			(await listCaseDocuments({ actor: actors.advisor, caseId: a.kase.id }, { db })).documents
		).toMatchObject([{ id: document.id, status: 'received' }]);
		for (const actor of [actors.committee, actors.partner]) {
			await expectDomainError(listCaseDocuments({ actor, caseId: a.kase.id }, { db }), 'case.forbidden');
			await expectDomainError(
				requestCaseDocument({ actor, caseId: a.kase.id, input: { label: 'x' } }, deps()),
				'case.forbidden'
			);
		}
		const timeline = await getTimeline({ actor: actors.advisor, caseId: a.kase.id }, { db });
		expect(timeline.activities.filter((x) => x.kind === 'document').map((x) => x.summary)).toEqual([
			'Document demandé : Justificatif de domicile',
			'Document reçu : Justificatif de domicile'
		]);
	});

	test('a file of the wrong type or over the limit is refused with the limit named, and nothing changes', async () => {
		const { db, actors, a } = await setup();
		const { document } = await requestCaseDocument(
			{ actor: actors.advisor, caseId: a.kase.id, input: { label: 'Photo' } },
			deps()
		);
		const refusal = (data: Uint8Array, name: string) =>
			uploadOwnDocument({ actor: a.actor, documentId: document.id, file: { name, data } }, { db, storage });
		const wrong = await refusal(new TextEncoder().encode('MZ not a document'), 'photo.pdf').catch((e) => e);
		expect(wrong).toMatchObject({
			code: 'candidate_space.document_wrong_type',
			details: { allowed: 'PDF, JPEG, PNG' }
		});
		const big = new Uint8Array(DOCUMENT_MAX_BYTES + 1);
		big.set(PNG);
		const tooLarge = await refusal(big, 'photo.png').catch((e) => e);
		expect(tooLarge).toMatchObject({ code: 'candidate_space.document_too_large', details: { limitMb: 8 } });
		await expectDomainError(
			uploadOwnDocument({ actor: a.actor, documentId: document.id, file: null }, { db, storage }),
			'candidate_space.document_missing'
		);
		expect((await listOwnDocuments({ actor: a.actor }, { db })).documents).toMatchObject([
			{ status: 'requested' }
		]);
		const { document: png } = await refusal(PNG, 'photo.png');
		expect(png).toMatchObject({ status: 'received', mimeType: 'image/png', sizeBytes: PNG.byteLength });
		expect(
			await expectIssuesByField(
				requestCaseDocument({ actor: actors.advisor, caseId: a.kase.id, input: { label: ' ' } }, deps())
			)
		).toEqual({ label: 'candidate_space.document_label_required' });
	});
});
