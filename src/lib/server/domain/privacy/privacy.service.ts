/**
 * GDPR operations: the access request (everything held about a person, as JSON and CSV), the
 * erasure (the person anonymised in every table, the observatory's figures unchanged), the
 * retention rules run by a scheduled job (with a dry run), and the register of processing
 * activities. Consent records are in consent.service.ts.
 */
import * as v from 'valibot';
import type { Locale } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { FileStorage } from '../../files/storage.ts';
import { writeCsv } from '../../files/tabular.ts';
import type { Person } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { insertAuditEntries } from '../audit/audit.repository.ts';
import { findPersonById } from '../case/case-household.repository.ts';
import { deleteDocumentFilesIfUnused } from '../candidate-space/candidate-space-documents.service.ts';
import {
	deleteCaseDocumentsOfCase,
	findCaseDocuments
} from '../candidate-space/candidate-space.repository.ts';
import { findProgrammePipeline } from '../case/case.repository.ts';
import { firstStage, resolvePipeline } from '../case/case.rules.ts';
import { personIdSchema } from '../case/case.schemas.ts';
import { findProgrammeSettings } from '../programme-settings/programme-settings.repository.ts';
import { findProgrammes } from '../programme/programme.repository.ts';
import { listOwnConsents, listPersonConsents } from './consent.service.ts';
import {
	anonymiseAddressRows,
	clearSessionIpsBeforeAcrossProgrammes,
	countMailBodiesBefore,
	countSessionIpsBeforeAcrossProgrammes,
	countSignInAttemptsBeforeAcrossProgrammes,
	deleteSignInAttemptsBeforeAcrossProgrammes,
	findErasure,
	findInactiveLeadPersons,
	findPersonKeys,
	findPersonRows,
	findRetentionSettings,
	findRowsMentioning,
	findUserLabels,
	insertErasure,
	redactMailBodiesBefore,
	redactMailTo,
	removeAccounts,
	SCRUBBED_COLUMNS,
	updateRowById,
	upsertRetentionSettings,
	type PersonKeys
} from './privacy.repository.ts';
import { updateCase as updateCaseRow } from '../case/case.repository.ts';
import { updatePerson as updatePersonRow } from '../case/case-household.repository.ts';
import {
	privacyAlreadyErased,
	privacyForbidden,
	privacyNoOwnData,
	privacyPersonNotFound
} from './privacy.errors.ts';
import {
	DEFAULT_RETENTION,
	ERASED,
	erasureIdentifiers,
	EXPORT_SECRET_COLUMNS,
	PROCESSING_ACTIVITIES,
	retentionCutoffs,
	scrubJson,
	scrubText,
	SECURITY_MEASURES,
	SIGN_IN_RETENTION_DAYS,
	toCsvCell,
	type RetentionPeriods,
	type RetentionRule
} from './privacy.rules.ts';
import {
	eraseSchema,
	retentionSettingsSchema,
	type EraseInput,
	type RetentionSettingsInput
} from './privacy.schemas.ts';

const log = createLogger({ namespace: 'privacy' });

/** The CLI and the scheduled job act as the system of one programme. */
export type SystemActor = { system: true; programmeId: string; locale: Locale };
export type PrivacyActor = Actor | SystemActor;

type Deps = { db: Db; now?: Date };

const isSystem = (actor: PrivacyActor): actor is SystemActor => 'system' in actor && actor.system === true;

/** Exports, erasures and retention are the admins' (and the operator's, through the CLI). */
function assertPrivacyAdmin(actor: PrivacyActor): void {
	if (isSystem(actor)) return;
	if (actor.role === 'admin') return;
	throw privacyForbidden({ userId: actor.userId, role: actor.role });
}

async function loadPerson(actor: PrivacyActor, personId: string, { db }: { db: Db }): Promise<Person> {
	if (!isSystem(actor) && actor.role !== 'admin' && actor.role !== 'advisor')
		throw privacyPersonNotFound({ personId });
	if (!v.is(personIdSchema, personId)) throw privacyPersonNotFound({ personId });
	const person = await findPersonById({ db, programmeId: actor.programmeId, personId });
	if (!person) throw privacyPersonNotFound({ personId });
	assertPrivacyAdmin(actor);
	return person;
}

/* ------------------------------------------------------------------ access request */

/**
 * A document of the household's case as the access request lists it: what it is, its file's
 * name, type and size, when and by whom it was sent (the account's name). The bytes stay in the
 * file storage: the export is JSON or CSV, not an archive.
 */
export type ExportedDocument = {
	id: string;
	caseId: string;
	label: string;
	status: string;
	fileName: string | null;
	mimeType: string | null;
	sizeBytes: number | null;
	requestedAt: string;
	uploadedAt: string | null;
	uploadedBy: string | null;
};

/** Everything held about a person: one list of rows per table (secrets left out), and their documents. */
export type PersonExport = {
	generatedAt: string;
	programmeId: string;
	personId: string | null;
	userIds: string[];
	tables: Record<string, Record<string, unknown>[]>;
	documents: ExportedDocument[];
};

/** The documents of the cases of an access request, with the name of the account that sent each. */
async function exportDocuments(
	{ caseIds }: { caseIds: string[] },
	{ db }: { db: Db }
): Promise<ExportedDocument[]> {
	const documents = [];
	for (const caseId of caseIds) documents.push(...(await findCaseDocuments({ db, caseId })));
	const uploaders = await findUserLabels({
		db,
		userIds: [...new Set(documents.flatMap((document) => (document.uploadedBy ? [document.uploadedBy] : [])))]
	});
	const labelOf = new Map(uploaders.map((user) => [user.id, user.name || user.email]));
	return documents.map((document) => ({
		id: document.id,
		caseId: document.caseId,
		label: document.label,
		status: document.status,
		fileName: document.fileName,
		mimeType: document.mimeType,
		sizeBytes: document.sizeBytes,
		requestedAt: document.createdAt.toISOString(),
		uploadedAt: document.uploadedAt?.toISOString() ?? null,
		uploadedBy: document.uploadedBy ? (labelOf.get(document.uploadedBy) ?? document.uploadedBy) : null
	}));
}

async function exportKeys(
	{
		programmeId,
		personId,
		keys,
		now
	}: { programmeId: string; personId: string | null; keys: PersonKeys; now: Date },
	{ db }: { db: Db }
): Promise<PersonExport> {
	const rows = await findPersonRows({ db, keys });
	const tables: PersonExport['tables'] = {};
	for (const [name, list] of Object.entries(rows)) {
		tables[name] = list.map((row) =>
			Object.fromEntries(Object.entries(row).filter(([key]) => !EXPORT_SECRET_COLUMNS.has(key)))
		);
	}
	const documents = await exportDocuments({ caseIds: keys.cases }, { db });
	return { generatedAt: now.toISOString(), programmeId, personId, userIds: keys.users, tables, documents };
}

/**
 * The access request (GDPR art. 15) made to the programme: every row about the person in every
 * table (their row, their household's case and its timeline, tasks, mail to them, registrations,
 * survey answers, member profile, consents, audit entries, accounts, referrals…). Admins only.
 */
export async function exportPersonData(
	{ actor, personId }: { actor: PrivacyActor; personId: string },
	{ db, now = new Date() }: Deps
): Promise<{ export: PersonExport }> {
	const person = await loadPerson(actor, personId, { db });
	const keys = await findPersonKeys({ db, person });
	const data = await exportKeys({ programmeId: person.programmeId, personId: person.id, keys, now }, { db });
	log.info(
		{
			personId: person.id,
			userId: isSystem(actor) ? null : actor.userId,
			tables: Object.keys(data.tables).length
		},
		'Personal data exported'
	);
	return { export: data };
}

/**
 * The signed-in person's own access request ("download my data"): the household persons they
 * stand for and their account, whatever their role.
 */
export async function exportOwnData(
	{ actor }: { actor: Actor },
	{ db, now = new Date() }: Deps
): Promise<{ export: PersonExport }> {
	const { personIds } = await listOwnConsents({ actor }, { db });
	const keys: PersonKeys = {
		persons: [],
		cases: [],
		users: [actor.userId],
		member_profiles: [],
		emails: [actor.email.toLowerCase()]
	};
	for (const personId of personIds) {
		const person = await findPersonById({ db, programmeId: actor.programmeId, personId });
		if (!person) continue;
		const own = await findPersonKeys({ db, person });
		for (const key of Object.keys(keys) as (keyof PersonKeys)[]) {
			keys[key] = [...new Set([...keys[key], ...own[key]])];
		}
	}
	const data = await exportKeys(
		{ programmeId: actor.programmeId, personId: personIds[0] ?? null, keys, now },
		{ db }
	);
	if (!Object.values(data.tables).some((rows) => rows.length))
		throw privacyNoOwnData({ userId: actor.userId });
	log.info({ userId: actor.userId }, 'Own data exported');
	return { export: data };
}

/**
 * The export as CSV: one section per table that holds rows, then the documents (`# documents`),
 * each a title line (`# table`) then its own header and rows, in the CSV of tabular.ts (UTF-8 with one BOM, semicolons).
 */
export function personExportCsv(data: PersonExport): Uint8Array {
	const chunks: Uint8Array[] = [];
	const sections: [string, Record<string, unknown>[]][] = [
		...Object.entries(data.tables),
		['documents', data.documents]
	];
	for (const [name, rows] of sections) {
		if (rows.length === 0) continue;
		const headers = [...new Set(rows.flatMap((row) => Object.keys(row)))];
		const title = writeCsv([`# ${name}`], []);
		const body = writeCsv(
			headers,
			rows.map((row) => headers.map((header) => toCsvCell(row[header])))
		);
		chunks.push(chunks.length ? withoutBom(title) : title, withoutBom(body));
	}
	if (chunks.length === 0) return writeCsv(['# empty'], []);
	const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
	let at = 0;
	for (const chunk of chunks) {
		out.set(chunk, at);
		at += chunk.length;
	}
	return out;
}

const withoutBom = (bytes: Uint8Array) =>
	bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;

/* ------------------------------------------------------------------ erasure */

async function erasePersonInTransaction(
	{
		actor,
		person,
		reason,
		kind,
		now
	}: { actor: PrivacyActor; person: Person; reason: string; kind: 'request' | 'retention'; now: Date },
	{ db }: { db: Db }
): Promise<{ scrubbedRows: number; fileKeys: string[] }> {
	if (await findErasure({ db, programmeId: person.programmeId, personId: person.id })) {
		throw privacyAlreadyErased({ personId: person.id });
	}
	const keys = await findPersonKeys({ db, person });
	const accounts = await findUserLabels({ db, userIds: keys.users });
	const { broad, narrow } = erasureIdentifiers(person, accounts);

	// Mail to them and rows kept by their address first (the scrub below would only mask the address).
	await redactMailTo({ db, programmeId: person.programmeId, emails: keys.emails, body: ERASED });
	await anonymiseAddressRows({
		db,
		programmeId: person.programmeId,
		emails: keys.emails,
		userIds: keys.users,
		name: ERASED
	});
	await removeAccounts({ db, userIds: keys.users, emails: keys.emails, name: ERASED, at: now });

	// The household's documents: nobody can tell whose data a file holds (an identity card, a
	// payslip of either partner), so they all go; their files are deleted after commit.
	const { fileKeys } = await deleteCaseDocumentsOfCase({
		db,
		programmeId: person.programmeId,
		caseId: person.caseId
	});

	// Every free text of the programme that names them (their case's rows also by first or last name alone).
	let scrubbedRows = 0;
	for (const entry of SCRUBBED_COLUMNS) {
		const rows = await findRowsMentioning({
			db,
			entry,
			programmeId: person.programmeId,
			caseId: person.caseId,
			broad,
			narrow
		});
		for (const row of rows) {
			const ownCase = entry.caseColumn ? row[caseKeyOf(entry.caseColumn.name)] === person.caseId : false;
			const identifiers = ownCase ? narrow : broad;
			const values: Record<string, unknown> = {};
			for (const column of entry.columns) {
				const value = row[column];
				if (value === null || value === undefined) continue;
				const scrubbed =
					typeof value === 'string' ? scrubText(value, identifiers) : scrubJson(value, identifiers);
				if (JSON.stringify(scrubbed) !== JSON.stringify(value)) values[column] = scrubbed;
			}
			if (Object.keys(values).length === 0) continue;
			await updateRowById({ db, table: entry.table, id: row.id as string, values });
			scrubbedRows++;
		}
	}

	// The person: what names or reaches them goes; what the observatory counts stays
	// (household role, birth year, status, sector, PCS, origin, languages).
	await updatePersonRow({
		db,
		personId: person.id,
		values: {
			firstName: null,
			lastName: ERASED,
			email: null,
			phone: null,
			profession: null,
			needs: {},
			updatedAt: now
		}
	});
	if (person.householdRole === 'candidate') {
		await updateCaseRow({
			db,
			caseId: person.caseId,
			values: {
				wishedArea: null,
				howHeard: null,
				businessSiret: null,
				externalId: null,
				candidateUserId: null
			}
		});
	}
	const author = isSystem(actor)
		? { id: null, label: 'system' }
		: { id: actor.userId, label: actor.name || actor.email };
	await insertAuditEntries({
		db,
		entries: [
			{
				programmeId: person.programmeId,
				entityType: 'person',
				entityId: person.id,
				caseId: person.caseId,
				action: 'erase',
				actorId: author.id,
				actorLabel: author.label,
				at: now,
				before: {},
				after: { kind }
			}
		]
	});
	await insertErasure({
		db,
		values: {
			programmeId: person.programmeId,
			personId: person.id,
			caseId: person.caseId,
			kind,
			reason: scrubText(reason, narrow),
			erasedBy: author.id,
			erasedAt: now
		}
	});
	return { scrubbedRows, fileKeys };
}

/** A Drizzle row's key for an SQL column name (`case_id` → `caseId`). */
const caseKeyOf = (sqlName: string) =>
	sqlName === 'id' ? 'id' : sqlName.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The erasure (GDPR art. 17), in one transaction: the person's name, email, phone and free
 * texts are replaced in every table of the programme, mail to them is redacted, their accounts
 * lose their credentials, sessions and address, the household's documents are deleted (rows in
 * the transaction, stored files after commit); the case, its stages and the person's counted
 * attributes stay, so every figure of the observatory is unchanged. An audit entry and the
 * erasures register keep the fact, without the personal data. Admins only.
 */
export async function erasePerson(
	{ actor, personId, input }: { actor: PrivacyActor; personId: string; input: EraseInput },
	{ db, storage, now = new Date() }: Deps & { storage: FileStorage }
): Promise<{ personId: string; scrubbedRows: number; deletedFiles: number }> {
	await loadPerson(actor, personId, { db });
	const { reason } = parseInput(eraseSchema, input);
	const result = await db.transaction(async (tx) => {
		const person = await findPersonById({ db: tx, programmeId: actor.programmeId, personId });
		if (!person) throw privacyPersonNotFound({ personId });
		return erasePersonInTransaction({ actor, person, reason, kind: 'request', now }, { db: tx });
	});
	const { deleted } = await deleteDocumentFilesIfUnused({ db, storage, keys: result.fileKeys });
	log.info(
		{ personId, userId: isSystem(actor) ? null : actor.userId, rows: result.scrubbedRows, files: deleted },
		'Person erased'
	);
	return { personId, scrubbedRows: result.scrubbedRows, deletedFiles: deleted };
}

/* ------------------------------------------------------------------ retention */

/** The programme's retention periods (the defaults when no admin set them). */
export async function getRetentionPeriods(
	{ programmeId }: { programmeId: string },
	{ db }: { db: Db }
): Promise<RetentionPeriods & { signInDays: number; isDefault: boolean }> {
	const row = await findRetentionSettings({ db, programmeId });
	return {
		leadInactiveMonths: row?.leadInactiveMonths ?? DEFAULT_RETENTION.leadInactiveMonths,
		mailBodyDays: row?.mailBodyDays ?? DEFAULT_RETENTION.mailBodyDays,
		signInDays: SIGN_IN_RETENTION_DAYS,
		isDefault: !row
	};
}

/** An admin sets the programme's retention periods (the privacy notice shows them at once). */
export async function updateRetentionPeriods(
	{ actor, input }: { actor: Actor; input: RetentionSettingsInput },
	{ db, now = new Date() }: Deps
): Promise<RetentionPeriods> {
	assertPrivacyAdmin(actor);
	const data = parseInput(retentionSettingsSchema, input);
	return db.transaction(async (tx) => {
		const before = await findRetentionSettings({ db: tx, programmeId: actor.programmeId });
		const row = await upsertRetentionSettings({
			db: tx,
			values: { programmeId: actor.programmeId, ...data, updatedBy: actor.userId, updatedAt: now }
		});
		await insertAuditEntries({
			db: tx,
			entries: [
				{
					programmeId: actor.programmeId,
					entityType: 'programme',
					entityId: actor.programmeId,
					caseId: null,
					action: 'settings_update',
					actorId: actor.userId,
					actorLabel: actor.name || actor.email,
					at: now,
					before: before
						? { leadInactiveMonths: before.leadInactiveMonths, mailBodyDays: before.mailBodyDays }
						: {},
					after: { leadInactiveMonths: row.leadInactiveMonths, mailBodyDays: row.mailBodyDays }
				}
			]
		});
		return { leadInactiveMonths: row.leadInactiveMonths, mailBodyDays: row.mailBodyDays };
	});
}

export type RetentionReport = {
	programmeId: string;
	isDryRun: boolean;
	periods: RetentionPeriods & { signInDays: number };
	cutoffs: { leadsBefore: string; signInBefore: string; mailBodiesBefore: string };
	/** Rows each rule touches (dry run) or touched. */
	counts: Record<RetentionRule, number>;
};

/**
 * Applies the retention rules of a programme at `now`, or only counts what they would touch
 * (`dryRun`): leads silent for N months are erased (their persons anonymised as on request, their
 * documents and files deleted),
 * mail bodies older than N days redacted, sign-in attempts and session IP addresses older than
 * 30 days deleted (these two are instance-wide).
 */
export async function runRetention(
	{ actor, dryRun }: { actor: PrivacyActor; dryRun: boolean },
	{ db, storage, now = new Date() }: Deps & { storage: FileStorage }
): Promise<RetentionReport> {
	assertPrivacyAdmin(actor);
	const programmeId = actor.programmeId;
	const periods = await getRetentionPeriods({ programmeId }, { db });
	const cutoffs = retentionCutoffs(periods, now);
	const pipeline = resolvePipeline(await findProgrammePipeline({ db, programmeId }));
	const leads = await findInactiveLeadPersons({
		db,
		programmeId,
		stages: [firstStage(pipeline), 'abandoned'],
		before: cutoffs.leadsBefore
	});
	const counts: Record<RetentionRule, number> = {
		inactive_leads: leads.length,
		sign_in_attempts: await countSignInAttemptsBeforeAcrossProgrammes({ db, before: cutoffs.signInBefore }),
		session_ips: await countSessionIpsBeforeAcrossProgrammes({ db, before: cutoffs.signInBefore }),
		mail_bodies: await countMailBodiesBefore({
			db,
			programmeId,
			before: cutoffs.mailBodiesBefore,
			redacted: ERASED
		})
	};
	if (!dryRun) {
		for (const lead of leads) {
			// One short transaction per person: PGlite has one connection.
			const fileKeys = await db.transaction(async (tx) => {
				const person = await findPersonById({ db: tx, programmeId, personId: lead.personId });
				if (!person || (await findErasure({ db: tx, programmeId, personId: person.id }))) return [];
				const erased = await erasePersonInTransaction(
					{ actor, person, reason: 'retention: inactive lead', kind: 'retention', now },
					{ db: tx }
				);
				return erased.fileKeys;
			});
			await deleteDocumentFilesIfUnused({ db, storage, keys: fileKeys });
		}
		counts.mail_bodies = await redactMailBodiesBefore({
			db,
			programmeId,
			before: cutoffs.mailBodiesBefore,
			redacted: ERASED
		});
		counts.sign_in_attempts = await deleteSignInAttemptsBeforeAcrossProgrammes({
			db,
			before: cutoffs.signInBefore
		});
		counts.session_ips = await clearSessionIpsBeforeAcrossProgrammes({ db, before: cutoffs.signInBefore });
		log.info({ programmeId, ...counts }, 'Retention rules applied');
	}
	return {
		programmeId,
		isDryRun: dryRun,
		periods: {
			leadInactiveMonths: periods.leadInactiveMonths,
			mailBodyDays: periods.mailBodyDays,
			signInDays: periods.signInDays
		},
		cutoffs: {
			leadsBefore: cutoffs.leadsBefore.toISOString(),
			signInBefore: cutoffs.signInBefore.toISOString(),
			mailBodiesBefore: cutoffs.mailBodiesBefore.toISOString()
		},
		counts
	};
}

/* ------------------------------------------------------------------ register (art. 30) */

export type ProcessingRegister = {
	controller: string;
	dpoContact: string;
	periods: RetentionPeriods & { signInDays: number };
	activities: typeof PROCESSING_ACTIVITIES;
	security: typeof SECURITY_MEASURES;
};

/**
 * The register of processing activities for the data protection officer: the activities the
 * code declares (privacy.rules.ts), with the programme's retention periods and its controller
 * and DPO from the privacy settings. Admins only.
 */
export async function getProcessingRegister(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<ProcessingRegister> {
	assertPrivacyAdmin(actor);
	const settings = await findProgrammeSettings({ db, programmeId: actor.programmeId });
	const periods = await getRetentionPeriods({ programmeId: actor.programmeId }, { db });
	return {
		controller: settings?.privacy?.controller ?? '',
		dpoContact: settings?.privacy?.dpoContact ?? '',
		periods: {
			leadInactiveMonths: periods.leadInactiveMonths,
			mailBodyDays: periods.mailBodyDays,
			signInDays: periods.signInDays
		},
		activities: PROCESSING_ACTIVITIES,
		security: SECURITY_MEASURES
	};
}

/** The scheduled job: the retention rules of every programme (the instance-wide rules run with the first). */
export async function runRetentionForAllProgrammes(
	{ now = new Date() }: { now?: Date },
	{ db, storage }: { db: Db; storage: FileStorage }
): Promise<RetentionReport[]> {
	const reports: RetentionReport[] = [];
	for (const programme of await findProgrammes({ db })) {
		reports.push(
			await runRetention(
				{ actor: { system: true, programmeId: programme.id, locale: 'fr' }, dryRun: false },
				{ db, storage, now }
			)
		);
	}
	return reports;
}

export const PERSON_EXPORT_FORMATS = ['json', 'csv'] as const;

/** The access request as a file to download: JSON (one document) or CSV (one section per table). */
export function personExportFile(
	data: PersonExport,
	format: string
): { body: Uint8Array; contentType: string; fileName: string } {
	const stem = `personal-data-${data.personId ?? data.userIds[0] ?? 'account'}-${data.generatedAt.slice(0, 10)}`;
	if (format === 'csv') {
		return { body: personExportCsv(data), contentType: 'text/csv; charset=utf-8', fileName: `${stem}.csv` };
	}
	return {
		body: new TextEncoder().encode(JSON.stringify(data, null, 2)),
		contentType: 'application/json; charset=utf-8',
		fileName: `${stem}.json`
	};
}

/** What the person's privacy page shows staff: who, whether erased, their consent history. */
export async function getPersonPrivacy(
	{ actor, personId }: { actor: Actor; personId: string },
	{ db }: { db: Db }
): Promise<{
	person: Person;
	erasedAt: Date | null;
	consents: Awaited<ReturnType<typeof listPersonConsents>>['consents'];
	canManage: boolean;
}> {
	const { consents } = await listPersonConsents({ actor, personId }, { db });
	const person = await findPersonById({ db, programmeId: actor.programmeId, personId });
	if (!person) throw privacyPersonNotFound({ personId });
	const erasure = await findErasure({ db, programmeId: actor.programmeId, personId });
	return { person, erasedAt: erasure?.erasedAt ?? null, consents, canManage: actor.role === 'admin' };
}
