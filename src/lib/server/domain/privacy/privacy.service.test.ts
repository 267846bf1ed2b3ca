import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	authAccountsTable,
	caseDocumentsTable,
	casesTable,
	consentsTable,
	erasuresTable,
	mailMessagesTable,
	memberProfilesTable,
	personsTable,
	sessionsTable,
	signInAttemptsTable,
	signInUnlocksTable,
	surveyAnswersTable,
	twoFactorsTable,
	usersTable
} from '../../db/schema/index.ts';
import { seedDemo } from '../../demo/demo.ts';
import { createDiskStorage } from '../../files/storage.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { actorOfUserId, createTestUser } from '../../testing/factories.ts';
import { toActor } from '../account/account.service.ts';
import { addActivity, getCase } from '../case/case.service.ts';
import { updateCase } from '../case/case-edit.service.ts';
import { application, applyOn, setupCaseProgrammes } from '../case/case.test-utils.ts';
import {
	requestCaseDocument,
	uploadOwnDocument
} from '../candidate-space/candidate-space-documents.service.ts';
import { rateLimitKey, takeRateLimits } from '../rate-limit/rate-limit.service.ts';
import { listOwnConsents, listPersonConsents, withdrawOwnConsent } from './consent.service.ts';
import { personLinksOf, PERSON_KEY_TABLES, schemaTables } from './privacy.repository.ts';
import { CONSENT_TEXT_VERSION, ERASED } from './privacy.rules.ts';
import {
	erasePerson,
	exportOwnData,
	exportPersonData,
	personExportCsv,
	runRetention,
	updateRetentionPeriods
} from './privacy.service.ts';
import { observatoryFigures, rowIdsMentioning, scanForText } from './privacy.test-utils.ts';

const NOW = new Date('2026-06-15T10:00:00Z');
const config = parseConfig({ NODE_ENV: 'test', SOHO_GEO_FILE: 'none', SOHO_INSEE_DIR: 'none' });
const dataDir = mkdtempSync(join(tmpdir(), 'soho-privacy-'));
const storage = createDiskStorage({ dataDir });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A small PDF whose bytes are unique to `name` (the storage is content-addressed). */
const pdf = (name: string) => new TextEncoder().encode(`%PDF-1.4\n% ${name}\ntrailer <<>>\n%%EOF\n`);

/** Hélène Garnier of case.test-utils: what must not survive her erasure. */
const HELENE = [
	'Garnier',
	'Hélène',
	'helene.garnier@example.org',
	'+33612345678',
	'06 12 34 56 78',
	'0612345678'
];

test('every table that points at persons, users or households is read by the access request', () => {
	const linked = [...schemaTables()].filter(
		([name, table]) =>
			getTableConfig(table).foreignKeys.some((fk) =>
				(PERSON_KEY_TABLES as readonly string[]).includes(getTableConfig(fk.reference().foreignTable).name)
			) || (PERSON_KEY_TABLES as readonly string[]).includes(name)
	);
	expect(linked.length).toBeGreaterThan(20);
	for (const [name, table] of linked) {
		expect(personLinksOf(table).length, `${name} is not read by the access request`).toBeGreaterThan(0);
	}
	// The consents of this area are among them.
	expect(linked.map(([name]) => name)).toContain('consents');
});

describeEachDb('privacy: consents, access request, erasure', (ctx) => {
	const apply = applyOn(ctx);

	async function applied() {
		const setup = await setupCaseProgrammes(ctx.db);
		const { case: kase, persons } = await apply(setup.programme.id);
		const candidate = persons.find((person) => person.householdRole === 'candidate')!;
		// The candidate's own account (the demo seed links it so; no service links an existing account yet).
		await ctx.db
			.update(casesTable)
			.set({ candidateUserId: setup.actors.candidate.userId })
			.where(eq(casesTable.id, kase.id));
		return { ...setup, kase, candidate };
	}

	test('the apply form records one consent per purpose agreed to, with the text version', async () => {
		const { actors, candidate } = await applied();
		const { consents } = await listPersonConsents(
			{ actor: actors.advisor, personId: candidate.id },
			{ db: ctx.db }
		);
		expect(consents.map((consent) => [consent.purpose, consent.source, consent.textVersion]).sort()).toEqual([
			['contact', 'web_form', CONSENT_TEXT_VERSION],
			['share_with_committees', 'web_form', CONSENT_TEXT_VERSION]
		]);
		await expectDomainError(
			listPersonConsents({ actor: actors.committee, personId: candidate.id }, { db: ctx.db }),
			'privacy.person_not_found'
		);
	});

	test('a candidate withdraws sharing with committees from their space: the committee no longer sees the case', async () => {
		const { actors, kase } = await applied();
		await getCase({ actor: actors.committee, caseId: kase.id }, { db: ctx.db });
		const { consents } = await listOwnConsents({ actor: actors.candidate }, { db: ctx.db });
		const sharing = consents.find((consent) => consent.purpose === 'share_with_committees')!;
		await expectDomainError(
			withdrawOwnConsent({ actor: actors.admin, consentId: sharing.id }, { db: ctx.db }),
			'privacy.consent_not_found'
		);
		const { consent } = await withdrawOwnConsent(
			{ actor: actors.candidate, consentId: sharing.id },
			{ db: ctx.db, now: NOW }
		);
		expect(consent.withdrawnAt).toEqual(NOW);
		const [row] = await ctx.db.select().from(casesTable).where(eq(casesTable.id, kase.id));
		expect(row.consents.shareWithCommittees).toBe(false);
		expect(row.consents.contact).toBe(true);
		await expectDomainError(
			getCase({ actor: actors.committee, caseId: kase.id }, { db: ctx.db }),
			'case.not_found'
		);
		await expectDomainError(
			withdrawOwnConsent({ actor: actors.candidate, consentId: sharing.id }, { db: ctx.db }),
			'privacy.consent_already_withdrawn'
		);
	});

	test('an advisor who changes the consents on the case file writes the withdrawal and the new consent', async () => {
		const { actors, kase, candidate } = await applied();
		await updateCase(
			{
				actor: actors.advisor,
				caseId: kase.id,
				input: { consentShareWithCommittees: undefined, consentResearch: 'on' } as never
			},
			{ db: ctx.db, now: NOW }
		);
		const rows = await ctx.db.select().from(consentsTable).where(eq(consentsTable.personId, candidate.id));
		const research = rows.find((row) => row.purpose === 'research');
		expect(research).toMatchObject({ source: 'advisor', recordedBy: actors.advisor.userId });
		expect(rows.find((row) => row.purpose === 'share_with_committees')?.withdrawnAt).toEqual(NOW);
	});

	test('only admins export and erase; another programme answers not found', async () => {
		const { actors, candidate } = await applied();
		await expectDomainError(
			exportPersonData({ actor: actors.advisor, personId: candidate.id }, { db: ctx.db }),
			'privacy.forbidden'
		);
		await expectDomainError(
			erasePerson(
				{ actor: actors.advisor, personId: candidate.id, input: { reason: 'asked' } },
				{ db: ctx.db, storage }
			),
			'privacy.forbidden'
		);
		await expectDomainError(
			exportPersonData({ actor: actors.committee, personId: candidate.id }, { db: ctx.db }),
			'privacy.person_not_found'
		);
		await expectDomainError(
			exportPersonData({ actor: actors.otherAdvisor, personId: candidate.id }, { db: ctx.db }),
			'privacy.person_not_found'
		);
	});

	test('the access request returns every row that names the person; after erasure no table holds her name, email or phone', async () => {
		const { actors, kase, candidate } = await applied();
		await addActivity(
			{
				actor: actors.advisor,
				caseId: kase.id,
				kind: 'call',
				summary: 'Appel de Hélène Garnier',
				body: 'Rappeler au 06 12 34 56 78'
			},
			{ db: ctx.db }
		);
		// A sign-in attempt and a session of her account (written by better-auth, no service of ours).
		await ctx.db
			.insert(signInAttemptsTable)
			.values({ email: 'helene.garnier@example.org', ipAddress: '203.0.113.9', isSuccess: true });
		await ctx.db.insert(sessionsTable).values({
			token: 'tok-helene',
			userId: actors.candidate.userId,
			expiresAt: new Date(Date.now() + 86_400_000),
			ipAddress: '203.0.113.9'
		});

		// An unlock link mailed after a sign-in lock, the public forms' counter of mails to her
		// address, and her second factor: written by the account and rate-limit services.
		await ctx.db.insert(signInUnlocksTable).values({
			email: 'helene.garnier@example.org',
			tokenHash: 'unlock-hash-helene',
			expiresAt: new Date(Date.now() + 86_400_000)
		});
		await takeRateLimits(
			{
				rules: [{ key: rateLimitKey.recipient('helene.garnier@example.org'), limit: 3, windowSeconds: 3600 }]
			},
			{ db: ctx.db }
		);
		await ctx.db
			.insert(twoFactorsTable)
			.values({ userId: actors.candidate.userId, secret: 'JBSWY3DPEHPK3PXP', recoveryCodeHashes: ['h1'] });

		const { export: data } = await exportPersonData(
			{ actor: actors.admin, personId: candidate.id },
			{ db: ctx.db }
		);
		expect(data.tables.sign_in_unlocks).toHaveLength(1);
		expect(data.tables.sign_in_unlocks[0]).not.toHaveProperty('tokenHash');
		expect(data.tables.two_factors).toHaveLength(1);
		expect(data.tables.two_factors[0]).not.toHaveProperty('secret');
		expect(data.tables.two_factors[0]).not.toHaveProperty('recoveryCodeHashes');
		const mentioning = await rowIdsMentioning(ctx.db, HELENE.slice(0, 3));
		for (const [table, ids] of Object.entries(mentioning)) {
			const exported = (data.tables[table] ?? []).map((row) => row.id);
			for (const id of ids) expect(exported, `${table} ${id} missing from the export`).toContain(id);
		}
		// Her household comes with her (she entered it on the form).
		expect(data.tables.persons.map((row) => row.id).sort()).toEqual(
			(await ctx.db.select().from(personsTable).where(eq(personsTable.caseId, kase.id)))
				.map((row) => row.id)
				.sort()
		);
		expect(data.tables.consents).toHaveLength(2);
		expect(data.tables.users.map((row) => row.id)).toEqual([actors.candidate.userId]);
		expect(data.tables.sessions[0]).not.toHaveProperty('token');
		expect(data.tables.mail_messages.length).toBeGreaterThan(0);
		const csv = new TextDecoder().decode(personExportCsv(data));
		expect(csv).toContain('# persons');
		expect(csv).toContain('helene.garnier@example.org');

		await erasePerson(
			{
				actor: actors.admin,
				personId: candidate.id,
				input: { reason: 'Demande de Hélène Garnier du 12 juin' }
			},
			{ db: ctx.db, storage, now: NOW }
		);
		expect(await scanForText(ctx.db, HELENE)).toEqual({});
		const [person] = await ctx.db.select().from(personsTable).where(eq(personsTable.id, candidate.id));
		expect(person).toMatchObject({
			firstName: null,
			lastName: ERASED,
			email: null,
			phone: null,
			status: 'freelancer'
		});
		expect(
			await ctx.db.select().from(sessionsTable).where(eq(sessionsTable.userId, actors.candidate.userId))
		).toEqual([]);
		expect(
			await ctx.db
				.select()
				.from(authAccountsTable)
				.where(eq(authAccountsTable.userId, actors.candidate.userId))
		).toEqual([]);
		const [erasure] = await ctx.db.select().from(erasuresTable);
		expect(erasure).toMatchObject({
			personId: candidate.id,
			kind: 'request',
			reason: `Demande de ${ERASED} du 12 juin`
		});
		await expectDomainError(
			erasePerson(
				{ actor: actors.admin, personId: candidate.id, input: { reason: 'again' } },
				{ db: ctx.db, storage }
			),
			'privacy.already_erased'
		);
	});

	/** The advisor asks Hélène's household for two documents; she sends one, a PDF. */
	async function withDocuments(setup: Awaited<ReturnType<typeof applied>>, bytes: Uint8Array) {
		const { actors, kase } = setup;
		const ask = (label: string, now: Date) =>
			requestCaseDocument(
				{ actor: actors.advisor, caseId: kase.id, input: { label } },
				{ db: ctx.db, config, now }
			);
		// One after the other: documents are listed in the order they were asked for.
		const { document: identity } = await ask("Pièce d'identité", NOW);
		const { document: proof } = await ask('Justificatif de domicile', new Date(NOW.getTime() + 60_000));
		await uploadOwnDocument(
			{ actor: actors.candidate, documentId: identity.id, file: { name: 'CNI recto.pdf', data: bytes } },
			{ db: ctx.db, storage, now: NOW }
		);
		const [row] = await ctx.db
			.select()
			.from(caseDocumentsTable)
			.where(eq(caseDocumentsTable.id, identity.id));
		return { identity, proof, fileKey: row.fileKey! };
	}

	test("the access request lists the household's documents: name, type, size, when and by whom", async () => {
		const setup = await applied();
		const bytes = pdf('export');
		const { identity, proof } = await withDocuments(setup, bytes);
		const { export: data } = await exportPersonData(
			{ actor: setup.actors.admin, personId: setup.candidate.id },
			{ db: ctx.db }
		);
		expect(data.documents).toEqual([
			{
				id: identity.id,
				caseId: setup.kase.id,
				label: "Pièce d'identité",
				status: 'received',
				fileName: 'CNI_recto.pdf',
				mimeType: 'application/pdf',
				sizeBytes: bytes.byteLength,
				requestedAt: NOW.toISOString(),
				uploadedAt: NOW.toISOString(),
				uploadedBy: setup.actors.candidate.name
			},
			expect.objectContaining({ id: proof.id, status: 'requested', fileName: null, uploadedBy: null })
		]);
		const csv = new TextDecoder().decode(personExportCsv(data));
		expect(csv).toContain('# documents');
		expect(csv).toContain('CNI_recto.pdf');
		// Her own download from her space lists them too.
		const own = await exportOwnData({ actor: setup.actors.candidate }, { db: ctx.db });
		expect(own.export.documents.map((document) => document.id)).toEqual([identity.id, proof.id]);
	});

	test("the erasure deletes the household's documents and their files; a file another household sent stays", async () => {
		const setup = await applied();
		const bytes = pdf('erasure');
		const { fileKey } = await withDocuments(setup, bytes);
		// Another household of the programme sends the very same bytes (one stored file, two documents).
		const other = await apply(
			setup.programme.id,
			application({ email: 'autre.famille@example.org', firstName: 'Paul', lastName: 'Autre' })
		);
		const otherActor = await actorOfUserId(ctx.db, other.candidateUserId!);
		const { document: otherDocument } = await requestCaseDocument(
			{ actor: setup.actors.advisor, caseId: other.case.id, input: { label: 'Pièce' } },
			{ db: ctx.db, config }
		);
		await uploadOwnDocument(
			{ actor: otherActor, documentId: otherDocument.id, file: { name: 'same.pdf', data: bytes } },
			{ db: ctx.db, storage }
		);
		const { deletedFiles } = await erasePerson(
			{ actor: setup.actors.admin, personId: setup.candidate.id, input: { reason: 'demande' } },
			{ db: ctx.db, storage, now: NOW }
		);
		expect(deletedFiles).toBe(0);
		expect(
			await ctx.db.select().from(caseDocumentsTable).where(eq(caseDocumentsTable.caseId, setup.kase.id))
		).toEqual([]);
		// Still used by the other household: kept until its own erasure.
		expect(await storage.get(fileKey)).not.toBeNull();
		const otherPerson = (
			await ctx.db.select().from(personsTable).where(eq(personsTable.caseId, other.case.id))
		).find((person) => person.householdRole === 'candidate')!;
		const second = await erasePerson(
			{ actor: setup.actors.admin, personId: otherPerson.id, input: { reason: 'demande' } },
			{ db: ctx.db, storage, now: NOW }
		);
		expect(second.deletedFiles).toBe(1);
		expect(await ctx.db.select().from(caseDocumentsTable)).toEqual([]);
		expect(await storage.get(fileKey)).toBeNull();
	});

	test('a file sent again replaces the one before: the old file is deleted', async () => {
		const setup = await applied();
		const { identity, fileKey } = await withDocuments(setup, pdf('first'));
		await uploadOwnDocument(
			{
				actor: setup.actors.candidate,
				documentId: identity.id,
				file: { name: 'v2.pdf', data: pdf('second') }
			},
			{ db: ctx.db, storage }
		);
		expect(await storage.get(fileKey)).toBeNull();
	});

	test('a person downloads their own data from their space', async () => {
		const { actors, kase } = await applied();
		const { export: data } = await exportOwnData({ actor: actors.candidate }, { db: ctx.db });
		expect(data.tables.cases.map((row) => row.id)).toEqual([kase.id]);
		expect(data.tables.consents.length).toBe(2);
		const { actor: stranger } = await createTestUser(ctx.db, {
			role: 'member',
			programmeId: actors.admin.programmeId,
			email: 'nobody@example.org'
		});
		const own = await exportOwnData({ actor: stranger }, { db: ctx.db });
		expect(own.export.tables.users.map((row) => row.id)).toEqual([stranger.userId]);
	});

	test('retention: a dry run counts, the run erases silent leads, redacts old mail and drops old sign-in attempts', async () => {
		const setup = await applied();
		const { actors, kase, candidate } = setup;
		const { fileKey } = await withDocuments(setup, pdf('retention'));
		await updateRetentionPeriods(
			{ actor: actors.admin, input: { leadInactiveMonths: '6', mailBodyDays: '30' } },
			{ db: ctx.db }
		);
		// Ages no service can give (they are written "now"): the lead, its mail and an attempt, a year back.
		const yearAgo = new Date('2025-06-01T00:00:00Z');
		await ctx.db.update(casesTable).set({ updatedAt: yearAgo }).where(eq(casesTable.id, kase.id));
		await ctx.db.update(mailMessagesTable).set({ createdAt: yearAgo, status: 'sent' });
		await ctx.db.insert(signInAttemptsTable).values([
			{ email: 'old@example.org', isSuccess: false, createdAt: yearAgo },
			{ email: 'recent@example.org', isSuccess: false, createdAt: new Date('2026-06-10T00:00:00Z') }
		]);
		const mails = (await ctx.db.select().from(mailMessagesTable)).length;
		const persons = (await ctx.db.select().from(personsTable).where(eq(personsTable.caseId, kase.id))).length;

		const dry = await runRetention({ actor: actors.admin, dryRun: true }, { db: ctx.db, storage, now: NOW });
		expect(dry.counts).toEqual({
			inactive_leads: persons,
			sign_in_attempts: 1,
			session_ips: 0,
			mail_bodies: mails
		});
		expect(dry.periods).toEqual({ leadInactiveMonths: 6, mailBodyDays: 30, signInDays: 30 });
		const [untouched] = await ctx.db.select().from(personsTable).where(eq(personsTable.id, candidate.id));
		expect(untouched.lastName).toBe('Garnier');

		await expectDomainError(
			runRetention({ actor: actors.advisor, dryRun: true }, { db: ctx.db, storage }),
			'privacy.forbidden'
		);
		const run = await runRetention({ actor: actors.admin, dryRun: false }, { db: ctx.db, storage, now: NOW });
		expect(run.counts.inactive_leads).toBe(persons);
		expect(run.counts.sign_in_attempts).toBe(1);
		expect(await ctx.db.select().from(caseDocumentsTable)).toEqual([]);
		expect(await storage.get(fileKey)).toBeNull();
		expect(await scanForText(ctx.db, HELENE)).toEqual({});
		expect((await ctx.db.select().from(signInAttemptsTable)).map((row) => row.email)).toEqual([
			'recent@example.org'
		]);
		const after = await runRetention(
			{ actor: actors.admin, dryRun: true },
			{ db: ctx.db, storage, now: NOW }
		);
		expect(after.counts).toEqual({ inactive_leads: 0, sign_in_attempts: 0, session_ips: 0, mail_bodies: 0 });
		const erased = await ctx.db
			.select()
			.from(erasuresTable)
			.where(and(eq(erasuresTable.kind, 'retention')));
		expect(erased).toHaveLength(persons);
	});
});

describeEachDb('privacy on the demo data', (ctx) => {
	test('an access request for a demo member returns every row about them; after erasure every observatory figure is unchanged', async () => {
		const db = ctx.db;
		const { programme } = await seedDemo({}, { db, config });
		const [adminUser] = await db
			.select()
			.from(usersTable)
			.where(eq(usersTable.email, 'admin@demo.soho.example'));
		const admin = toActor({ ...adminUser, role: 'admin', programmeId: programme.id, organisationId: null });
		// A member who came with a household and answered a follow-up survey: rows in many tables.
		const [target] = await db
			.select({ person: personsTable, profileId: memberProfilesTable.id })
			.from(memberProfilesTable)
			.innerJoin(personsTable, eq(personsTable.id, memberProfilesTable.personId))
			.innerJoin(surveyAnswersTable, eq(surveyAnswersTable.caseId, personsTable.caseId))
			.limit(1);
		expect(target).toBeDefined();
		const { person } = target;
		const needles = [
			`${person.firstName} ${person.lastName}`,
			person.email!,
			...(person.phone ? [person.phone] : [])
		];

		const { export: data } = await exportPersonData({ actor: admin, personId: person.id }, { db });
		for (const table of [
			'persons',
			'cases',
			'case_activities',
			'case_stage_changes',
			'consents',
			'member_profiles',
			'users',
			'survey_answers',
			'survey_invitations'
		]) {
			expect(data.tables[table]?.length, `${table} is empty`).toBeGreaterThan(0);
		}
		const mentioning = await rowIdsMentioning(db, needles);
		for (const [table, ids] of Object.entries(mentioning)) {
			const exported = (data.tables[table] ?? []).map((row) => row.id);
			for (const id of ids) expect(exported, `${table} ${id} missing from the export`).toContain(id);
		}

		const before = await observatoryFigures(db, admin, NOW);
		await erasePerson(
			{ actor: admin, personId: person.id, input: { reason: 'Demande écrite' } },
			{ db, storage, now: NOW }
		);
		const after = await observatoryFigures(db, admin, NOW);
		expect(after).toEqual(before);
		expect(await scanForText(db, needles)).toEqual({});
	}, 240_000);
});
