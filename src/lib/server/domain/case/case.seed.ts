import { and, eq, inArray } from 'drizzle-orm';
import { createRandom, type Random } from '../../../domain/random.ts';
import { generateId } from '../../db/columns.ts';
import type { Db } from '../../db/index.ts';
import {
	caseActivitiesTable,
	caseStageChangesTable,
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	personsTable,
	tasksTable,
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type ActivityKind,
	type CaseSource,
	type HouseholdRole
} from '../../db/schema/index.ts';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { translate } from '../../../i18n/index.ts';
import { formatCaseReference, referencePrefix, schoolLevelForAge } from './case.rules.ts';
import { originValues, personVocabularyValues } from '../vocabulary/vocabulary.rules.ts';
import {
	CASE_DEMO_SEED,
	DEMO_INSTALLATIONS_PER_YEAR,
	DEMO_OTHER_TEXTS,
	DEMO_OPEN_CASES,
	ORIGINS,
	FIRST_NAMES,
	LAST_NAMES,
	SECTORS,
	STATUSES,
	SOURCES_EARLY,
	SOURCES_LATE,
	TIMELINES,
	WOULD_MOVE,
	HOUSEHOLD_SIZES,
	ABANDON_REASONS,
	LEFT_REASONS,
	NOTES,
	OPEN_TASKS
} from './case.seed-data.ts';

const DAY = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY);

type CaseRow = typeof casesTable.$inferInsert;
type PersonRow = typeof personsTable.$inferInsert;
type StageRow = typeof caseStageChangesTable.$inferInsert;
type ActivityRow = typeof caseActivitiesTable.$inferInsert;
type TaskRow = typeof tasksTable.$inferInsert;

export type DemoCaseData = {
	cases: CaseRow[];
	persons: PersonRow[];
	targets: { caseId: string; villageId: string }[];
	stageChanges: StageRow[];
	activities: ActivityRow[];
	tasks: TaskRow[];
};

export type DemoCaseContext = {
	programmeId: string;
	programmeSlug: string;
	/** Communes where households settle: the programme's villages, else its communes. */
	installCommunes: { code: string; villageId: string | null }[];
	/** Villages open cases may target; the committee member's first. */
	villageIds: string[];
	committeeVillageIds: string[];
	advisorId: string | null;
	candidateUserId: string | null;
	now: Date;
	seed?: number;
};

/**
 * Generates the demo history without touching the database (so it is tested on its own).
 * Dates are fixed by the seed for the history; open cases are placed relative to `now`.
 */
export function generateDemoCases(context: DemoCaseContext): DemoCaseData {
	const random = createRandom(context.seed ?? CASE_DEMO_SEED);
	const { programmeId, advisorId, now } = context;
	const data: DemoCaseData = {
		cases: [],
		persons: [],
		targets: [],
		stageChanges: [],
		activities: [],
		tasks: []
	};
	const emailCounter = new Map<string, number>();

	const household = (caseId: string, createdAt: Date, size: number, forLead: boolean) => {
		const origin = random.weighted(ORIGINS);
		const sector = random.weighted(SECTORS);
		const status = sector.key === 'arts' ? 'artist' : random.weighted(STATUSES);
		const firstName = random.pick(FIRST_NAMES[origin.names]);
		const lastName = random.pick(LAST_NAMES[origin.names]);
		const handle = `${firstName}.${lastName}`
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z.]/g, '');
		const n = (emailCounter.get(handle) ?? 0) + 1;
		emailCounter.set(handle, n);
		const year = createdAt.getUTCFullYear();
		const birthYear = year - random.int(28, 52);
		const persons: PersonRow[] = [
			{
				programmeId,
				caseId,
				householdRole: 'candidate',
				firstName,
				lastName,
				email: `${handle}${n > 1 ? n : ''}@example.org`,
				phone: origin.country === 'FR' ? `+336${String(random.int(0, 99_999_999)).padStart(8, '0')}` : null,
				birthYear,
				profession: random.pick(sector.professions),
				status,
				sector: sector.key,
				pcs: sector.pcs,
				originCountry: origin.country,
				originArea: origin.area,
				languages: origin.languages,
				isDemo: true,
				createdAt,
				updatedAt: createdAt
			}
		];
		let remaining = size - 1;
		if (remaining > 0) {
			const role: HouseholdRole = random.chance(0.9) ? 'partner' : 'other';
			persons.push({
				programmeId,
				caseId,
				householdRole: role,
				firstName: random.pick(FIRST_NAMES[origin.names]),
				lastName,
				birthYear: birthYear + random.int(-5, 5),
				profession: forLead ? null : random.pick(random.weighted(SECTORS).professions),
				status: forLead ? null : random.weighted(STATUSES),
				originCountry: origin.country,
				originArea: origin.area,
				languages: origin.languages,
				needs: role === 'partner' && random.chance(0.35) ? { job: true } : {},
				isDemo: true,
				createdAt,
				updatedAt: createdAt
			});
			remaining--;
		}
		let hasChildren = false;
		for (; remaining > 0; remaining--) {
			const age = random.int(0, 16);
			hasChildren = true;
			persons.push({
				programmeId,
				caseId,
				householdRole: 'child',
				firstName: random.pick(FIRST_NAMES[origin.names]),
				lastName,
				birthYear: year - age,
				languages: origin.languages,
				needs: { schoolLevel: schoolLevelForAge(age), ...(age < 3 ? { childcare: true } : {}) },
				isDemo: true,
				createdAt,
				updatedAt: createdAt
			});
		}
		data.persons.push(...persons);
		return { hasChildren, status };
	};

	const newCase = (createdAt: Date, source: CaseSource, size: number, forLead: boolean) => {
		const id = generateId('cas');
		const { hasChildren, status } = household(id, createdAt, size, forLead);
		const row: CaseRow = {
			id,
			programmeId,
			reference: '',
			source,
			stage: 'contact',
			stageChangedAt: createdAt,
			advisorId,
			timeline: random.weighted(TIMELINES),
			needs: {
				housingKind: random.weighted([
					['rent', 50],
					['buy', 30],
					['either', 20]
				] as const),
				...(random.chance(0.5)
					? { maxRent: random.int(6, 12) * 100 }
					: { maxPrice: random.int(12, 35) * 10_000 }),
				minConnection: random.weighted([
					['8', 40],
					['30', 40],
					['100', 20]
				] as const),
				...(hasChildren ? { schools: true } : {})
			},
			wouldMoveWithoutProgramme: random.weighted(WOULD_MOVE),
			howHeard:
				{
					web_form: 'Recherche sur internet',
					phone: 'Numéro vert',
					fair: 'Salon',
					press: 'Article de presse',
					referral: 'Bouche à oreille',
					event: 'Réunion d’information'
				}[source as string] ?? null,
			consents: {
				contact: true,
				shareWithCommittees: random.chance(0.8),
				shareWithPartners: random.chance(0.6),
				research: random.chance(0.5),
				at: createdAt.toISOString()
			},
			isDemo: true,
			createdAt,
			updatedAt: createdAt
		};
		data.cases.push(row);
		data.activities.push({
			programmeId,
			caseId: id,
			kind: source === 'web_form' ? 'application' : source === 'phone' ? 'call' : 'note',
			occurredAt: createdAt,
			authorId: source === 'web_form' ? null : advisorId,
			summary: source === 'web_form' ? 'Candidature reçue par le formulaire du site' : 'Premier contact',
			createdAt,
			updatedAt: createdAt
		});
		data.stageChanges.push({
			programmeId,
			caseId: id,
			fromStage: null,
			toStage: 'contact',
			changedAt: createdAt,
			changedBy: null
		});
		return { row, status };
	};

	const moveTo = (row: CaseRow, stage: string, at: Date, reason?: string) => {
		data.stageChanges.push({
			programmeId,
			caseId: row.id!,
			fromStage: row.stage,
			toStage: stage,
			changedAt: at,
			changedBy: advisorId,
			reason: reason ?? null
		});
		data.activities.push({
			programmeId,
			caseId: row.id!,
			kind: 'stage_change',
			occurredAt: at,
			authorId: advisorId,
			summary: translate('fr', 'case_activity_stage_change_summary', {
				from: translate('fr', `case_stage_${row.stage}`),
				to: translate('fr', `case_stage_${stage}`)
			}),
			body: reason ?? null,
			data: { from: row.stage, to: stage },
			createdAt: at,
			updatedAt: at
		});
		row.stage = stage;
		row.stageChangedAt = at;
		row.updatedAt = at;
	};

	const note = (
		row: CaseRow,
		kind: ActivityKind,
		at: Date,
		summary: string,
		visibility: 'staff' | 'committee' = 'staff'
	) => {
		data.activities.push({
			programmeId,
			caseId: row.id!,
			kind,
			occurredAt: at,
			authorId: advisorId,
			summary,
			visibility,
			createdAt: at,
			updatedAt: at
		});
		if (at > (row.updatedAt as Date)) row.updatedAt = at;
	};

	const sourceFor = (year: number, r: Random) => r.weighted(year < 2013 ? SOURCES_EARLY : SOURCES_LATE);
	const dayIn = (year: number) =>
		new Date(Date.UTC(year, 0, 1) + random.int(0, 364) * DAY + random.int(8, 18) * 3_600_000);

	// Installed households, then the leads that never came, year by year.
	for (const [yearText, installs] of Object.entries(DEMO_INSTALLATIONS_PER_YEAR)) {
		const year = Number(yearText);
		for (let i = 0; i < installs; i++) {
			let installedOn = dayIn(year);
			if (installedOn > now) installedOn = addDays(now, -random.int(1, 60));
			const installing = addDays(installedOn, -random.int(20, 90));
			const visit = addDays(installing, -random.int(20, 100));
			const qualified = addDays(visit, -random.int(10, 60));
			const contact = addDays(qualified, -random.int(3, 30));
			const { row, status } = newCase(
				contact,
				sourceFor(contact.getUTCFullYear(), random),
				random.weighted(HOUSEHOLD_SIZES),
				false
			);
			moveTo(row, 'qualified', qualified);
			if (random.chance(0.5)) note(row, 'call', addDays(qualified, 1), random.pick(NOTES));
			moveTo(row, 'discovery_visit', visit);
			note(
				row,
				'visit',
				addDays(visit, random.int(1, 5)),
				'Séjour découverte avec le comité d’accueil',
				'committee'
			);
			moveTo(row, 'installing', installing);
			const commune = random.pick(context.installCommunes);
			row.installedCommuneCode = commune.code;
			row.installedOn = isoDay(installedOn);
			moveTo(row, 'installed', installedOn);
			if (commune.villageId) data.targets.push({ caseId: row.id!, villageId: commune.villageId });
			if (status === 'freelancer' || status === 'founder' || status === 'business_buyer') {
				const created = addDays(installedOn, random.int(0, 120));
				if (created < now) {
					row.businessSiret =
						String(random.int(100_000_000, 999_999_999)) + String(random.int(10_000, 99_999));
					row.businessCreatedOn = isoDay(created);
					const closed = addDays(created, random.int(365, 2500));
					if (random.chance(0.12) && closed < now) row.businessClosedOn = isoDay(closed);
				}
			}
			const integratedAt = addDays(installedOn, random.int(365, 900));
			if (integratedAt < now && random.chance(0.8)) moveTo(row, 'integrated', integratedAt);
			// Departures were rare ("only two families left" by 2011): ~7 %, mostly after a few years.
			const leftOn = addDays(installedOn, random.int(300, 3000));
			if (leftOn < now && random.chance(0.07)) {
				const reason = random.pick(LEFT_REASONS);
				row.leftOn = isoDay(leftOn);
				row.leftReason = reason;
				moveTo(row, 'left_territory', leftOn, reason);
			}
		}
		// About 1.5 leads for each installation never came (one prospect phoned each day).
		const leads = Math.round(installs * 1.5) + random.int(0, 6);
		for (let i = 0; i < leads; i++) {
			const contact = dayIn(year);
			if (contact > now) continue;
			const { row } = newCase(
				contact,
				sourceFor(year, random),
				random.weighted([
					[1, 50],
					[2, 30],
					[3, 12],
					[4, 8]
				] as const),
				true
			);
			let at = contact;
			if (random.chance(0.45)) {
				at = addDays(at, random.int(5, 40));
				moveTo(row, 'qualified', at);
				if (random.chance(0.3)) {
					at = addDays(at, random.int(20, 90));
					moveTo(row, 'discovery_visit', at);
				}
			}
			const reason = random.pick(ABANDON_REASONS);
			at = addDays(at, random.int(15, 200));
			if (at > now) at = now;
			row.abandonedReason = reason;
			moveTo(row, 'abandoned', at, reason);
		}
	}

	// Open cases in the current stages, with recent timelines and tasks for the advisor.
	const order = ['contact', 'qualified', 'discovery_visit', 'installing'];
	let openIndex = 0;
	for (const [stage, howMany] of Object.entries(DEMO_OPEN_CASES)) {
		for (let i = 0; i < howMany; i++, openIndex++) {
			const steps = order.indexOf(stage);
			const contact = addDays(now, -random.int(5 + steps * 30, 25 + steps * 45));
			const { row } = newCase(
				contact,
				random.weighted(SOURCES_LATE),
				random.weighted(HOUSEHOLD_SIZES),
				false
			);
			row.timeline = random.pick(['within_6_months', '6_to_12_months'] as const);
			let at = contact;
			for (const next of order.slice(1, steps + 1)) {
				at = addDays(at, random.int(5, 25));
				if (at > now) at = now;
				moveTo(row, next, at);
				note(row, 'note', at, random.pick(NOTES));
			}
			// Committee-visible cases target the demo committee member's villages when there are some.
			const pool =
				openIndex % 3 === 0 && context.committeeVillageIds.length
					? context.committeeVillageIds
					: context.villageIds;
			if (steps >= 1 && pool.length) {
				const villages = new Set([
					random.pick(pool),
					...(random.chance(0.3) ? [random.pick(context.villageIds)] : [])
				]);
				for (const villageId of villages) data.targets.push({ caseId: row.id!, villageId });
				if (pool === context.committeeVillageIds)
					row.consents = { ...row.consents!, shareWithCommittees: true };
			}
			if (openIndex === 1 && context.candidateUserId) row.candidateUserId = context.candidateUserId;
			const taskCount = random.int(1, 2);
			for (let t = 0; t < taskCount; t++) {
				data.tasks.push({
					programmeId,
					caseId: row.id!,
					title: random.pick(OPEN_TASKS),
					dueOn: isoDay(addDays(now, random.int(-3, 10))),
					assigneeId: advisorId,
					createdBy: advisorId,
					isDemo: true
				});
			}
		}
	}

	giveOtherTexts(data.persons);

	// References follow the order of first contact, numbered per year.
	const prefix = referencePrefix(context.programmeSlug);
	const perYear = new Map<number, number>();
	const byContact = [...data.cases].sort(
		(a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime()
	);
	for (const row of byContact) {
		const year = (row.createdAt as Date).getUTCFullYear();
		const sequence = (perYear.get(year) ?? 0) + 1;
		perYear.set(year, sequence);
		row.reference = formatCaseReference(prefix, year, sequence);
	}
	return data;
}

/**
 * A few texts typed as "other" (DEMO_OTHER_TEXTS), read by the same rules as the forms
 * (vocabulary.rules.ts), so that the vocabularies page has texts to map. Chosen without drawing
 * from the random generator, on persons the observatory does not count (partners) or whose
 * status already was "other": every other figure of the demo stays as it was.
 */
function giveOtherTexts(persons: PersonRow[]): void {
	const partners = persons.filter((p) => p.householdRole === 'partner' && p.originCountry === 'FR');
	const { sector, status, origin } = DEMO_OTHER_TEXTS;
	sector.forEach((text, i) => {
		const person = partners[i * 7];
		if (person) Object.assign(person, pick(personVocabularyValues({ sector: 'other', sectorOther: text })));
	});
	const otherStatuses = persons.filter((p) => p.status === 'other');
	status.forEach((text, i) => {
		const person = otherStatuses[i * 5];
		if (person) Object.assign(person, pick(personVocabularyValues({ status: 'other', statusOther: text })));
	});
	origin.forEach((text, i) => {
		const person = partners[i * 7 + 3];
		if (person)
			Object.assign(
				person,
				originValues({ originCountry: 'FR', originArea: 'other', originAreaOther: text })
			);
	});
}

/** The values of personVocabularyValues that were given (a sector alone leaves the status as it is). */
function pick(values: ReturnType<typeof personVocabularyValues>): Partial<PersonRow> {
	return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null));
}

/** Inserts rows in batches: hundreds of single inserts would make the demo slow to start. */
async function insertInBatches<T>(
	rows: T[],
	insert: (batch: T[]) => Promise<unknown>,
	size = 400
): Promise<void> {
	for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Everything the generator needs from the database (villages, communes, demo accounts). */
async function loadDemoCaseContext(
	{
		programmeId,
		programmeSlug,
		departements,
		now
	}: { programmeId: string; programmeSlug: string; departements: string[]; now: Date },
	{ db }: { db: Db }
): Promise<DemoCaseContext> {
	const villages = await db
		.select({ id: villagesTable.id, communeCode: villagesTable.communeCode })
		.from(villagesTable)
		.where(eq(villagesTable.programmeId, programmeId))
		.orderBy(villagesTable.slug);
	let installCommunes = villages.map((village) => ({
		code: village.communeCode,
		villageId: village.id as string | null
	}));
	if (installCommunes.length === 0 && departements.length) {
		const communes = await db
			.select({ code: communesTable.code })
			.from(communesTable)
			.where(inArray(communesTable.departementCode, departements))
			.orderBy(communesTable.code);
		installCommunes = communes.map((commune) => ({ code: commune.code, villageId: null }));
	}
	const demoUsers = await db
		.select({ id: usersTable.id, email: usersTable.email })
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(
			and(
				eq(membershipsTable.programmeId, programmeId),
				inArray(usersTable.email, [
					'advisor@demo.soho.example',
					'candidate@demo.soho.example',
					'committee@demo.soho.example'
				])
			)
		);
	const userId = (email: string) => demoUsers.find((user) => user.email === email)?.id ?? null;
	const committeeUserId = userId('committee@demo.soho.example');
	const committeeVillageIds = committeeUserId
		? (
				await db
					.select({ villageId: villageCommitteeMembersTable.villageId })
					.from(villageCommitteeMembersTable)
					.where(eq(villageCommitteeMembersTable.userId, committeeUserId))
			)
				.map((row) => row.villageId)
				.filter((id) => villages.some((village) => village.id === id))
		: [];
	return {
		programmeId,
		programmeSlug,
		installCommunes,
		villageIds: villages.map((village) => village.id),
		committeeVillageIds,
		advisorId: userId('advisor@demo.soho.example'),
		candidateUserId: userId('candidate@demo.soho.example'),
		now
	};
}

export function createCaseDemoSeedStep({ now }: { now?: () => Date } = {}): DemoSeedStep {
	return {
		name: 'cases',
		async run({ db, programme, log }) {
			const context = await loadDemoCaseContext(
				{
					programmeId: programme.id,
					programmeSlug: programme.slug,
					departements: programme.departements,
					now: now?.() ?? new Date()
				},
				{ db }
			);
			if (context.installCommunes.length === 0) {
				log('Demo cases skipped: the programme has no communes yet (run `soho territory init`).');
				return;
			}
			const data = generateDemoCases(context);
			await db.transaction(async (tx) => {
				await insertInBatches(data.cases, (batch) => tx.insert(casesTable).values(batch));
				await insertInBatches(data.persons, (batch) => tx.insert(personsTable).values(batch));
				await insertInBatches(data.targets, (batch) =>
					tx.insert(caseTargetVillagesTable).values(batch).onConflictDoNothing()
				);
				await insertInBatches(data.stageChanges, (batch) => tx.insert(caseStageChangesTable).values(batch));
				await insertInBatches(data.activities, (batch) => tx.insert(caseActivitiesTable).values(batch));
				await insertInBatches(data.tasks, (batch) => tx.insert(tasksTable).values(batch));
			});
			const installed = data.cases.filter((row) => row.installedOn).length;
			log(
				`Demo cases: ${data.cases.length} households (${installed} installed since 2008, ${data.persons.length} people), ${Object.values(DEMO_OPEN_CASES).reduce((a, b) => a + b, 0)} open cases, ${data.tasks.length} tasks.`
			);
		}
	};
}

export const caseDemoSeedStep: DemoSeedStep = createCaseDemoSeedStep();
