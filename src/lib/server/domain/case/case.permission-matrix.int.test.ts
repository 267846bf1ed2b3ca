/**
 * The permission matrix of the accompaniment back office: every role × every action × every
 * scope (a case of the actor's programme that targets their village and whose household shares
 * with committees and partners; the same without consent; a case of another village; a case of
 * another programme; a referral to the actor's organisation or to another one). Each cell runs the
 * real service on a fresh record and records what happened: `ok`, or the kind of the refusal.
 * Out-of-scope records must answer `not_found` (never `forbidden`), so that existence does not leak.
 */
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	caseTargetVillagesTable,
	communesTable,
	mailTemplatesTable,
	organisationsTable,
	personsTable,
	referralsTable,
	villageCommitteeMembersTable,
	villagesTable,
	type Role
} from '../../db/schema/index.ts';
import { DomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import type { Actor } from '../../auth/actor.ts';
import { toActor } from '../account/account.service.ts';
import { getAdvisorDashboard } from '../advisor-dashboard/advisor-dashboard.service.ts';
import { listCaseAudit } from '../audit/audit.service.ts';
import { exportCases } from '../case-export/case-export.service.ts';
import { createCaseImport } from '../case-import/case-import.service.ts';
import { sendCaseMail } from '../mail-template/mail-template.service.ts';

import {
	acceptReferral,
	createReferral,
	getReferral,
	listReferrals,
	recordReferralOutcome
} from '../referral/referral.service.ts';
import { addActivity, assignAdvisor, getCase, getOwnCase, getTimeline, listCases } from './case.service.ts';
import { createTask } from './case-tasks.service.ts';
import { mergeCases } from './case-merge.service.ts';
import { moveCaseToStage } from './case-pipeline.service.ts';
import { setTargetVillages } from './case-committee.service.ts';
import { updateCase } from './case-edit.service.ts';
import { updatePerson } from './case-household.service.ts';
import { createTestProgramme, insertTestUsers } from '../../testing/factories.ts';

const config = parseConfig({ NODE_ENV: 'test' });

type Outcome = 'ok' | 'not_found' | 'forbidden' | 'invalid' | 'conflict' | 'hidden';

async function outcomeOf(work: () => Promise<unknown>): Promise<Outcome> {
	try {
		const result = await work();
		return result === 'hidden' ? 'hidden' : 'ok';
	} catch (error) {
		if (error instanceof DomainError) return error.kind as Outcome;
		if (error instanceof ValidationError) return 'invalid';
		throw error;
	}
}

const ROLES = [
	'admin',
	'advisor',
	'committee',
	'otherCommittee',
	'partner',
	'otherPartner',
	'member',
	'candidate',
	'otherProgrammeAdmin'
] as const;
type Who = (typeof ROLES)[number];

/**
 * Case scopes: `shared` targets Simorre (the committee member's village) and shares with
 * committees and partners; `private` targets Simorre without those consents; `otherVillage`
 * targets Samatan, shared; `otherProgramme` belongs to the Lot programme.
 */
const SCOPES = ['shared', 'private', 'otherVillage', 'otherProgramme'] as const;
type Scope = (typeof SCOPES)[number];

type Fixture = Awaited<ReturnType<typeof buildFixture>>;

async function buildFixture(db: Db) {
	const gers = await createTestProgramme(db);
	const lot = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
	await db.insert(communesTable).values([
		{ code: '32435', name: 'Simorre', departementCode: '32' },
		{ code: '32412', name: 'Samatan', departementCode: '32' },
		{ code: '46042', name: 'Cahors', departementCode: '46' }
	]);
	const [simorre, samatan, cahors] = await db
		.insert(villagesTable)
		.values([
			{ programmeId: gers.id, communeCode: '32435', slug: 'simorre' },
			{ programmeId: gers.id, communeCode: '32412', slug: 'samatan' },
			{ programmeId: lot.id, communeCode: '46042', slug: 'cahors' }
		])
		.returning();
	const [franceTravail, bank, lotAgency] = await db
		.insert(organisationsTable)
		.values([
			{
				programmeId: gers.id,
				name: 'France Travail Auch',
				kind: 'employment_service',
				email: 'ft@gers.example'
			},
			{ programmeId: gers.id, name: 'Banque du Gers', kind: 'bank', email: 'bank@gers.example' },
			{ programmeId: lot.id, name: 'Agence du Lot', kind: 'employment_service', email: 'ft@lot.example' }
		])
		.returning();
	const user = async (role: Role, email: string, programmeId = gers.id, organisationId?: string) => {
		const [created] = await insertTestUsers(db, {
			name: email,
			email,
			role,
			programmeId,
			organisationId,
			emailVerified: true
		});
		return toActor(created);
	};
	const actors: Record<Who, Actor> = {
		admin: await user('admin', 'admin@gers.example'),
		advisor: await user('advisor', 'advisor@gers.example'),
		committee: await user('committee', 'maire@simorre.example'),
		otherCommittee: await user('committee', 'maire@samatan.example'),
		partner: await user('partner', 'conseil@ft.example', gers.id, franceTravail.id),
		otherPartner: await user('partner', 'conseil@bank.example', gers.id, bank.id),
		member: await user('member', 'solo@gers.example'),
		candidate: await user('candidate', 'helene@example.org'),
		otherProgrammeAdmin: await user('admin', 'admin@lot.example', lot.id)
	};
	await db.insert(villageCommitteeMembersTable).values([
		{ villageId: simorre.id, userId: actors.committee.userId },
		{ villageId: samatan.id, userId: actors.otherCommittee.userId }
	]);
	const [gersTemplate, lotTemplate] = await db
		.insert(mailTemplatesTable)
		.values([
			{
				programmeId: gers.id,
				name: 'Bienvenue',
				locale: 'fr',
				subject: 'Bienvenue {{firstName}}',
				body: 'Bonjour'
			},
			{ programmeId: lot.id, name: 'Bienvenue', locale: 'fr', subject: 'Bienvenue', body: 'Bonjour' }
		])
		.returning();

	let sequence = 0;
	/** A fresh case of the scope, with its candidate, at stage contact. */
	const makeCase = async (scope: Scope, extra: Partial<typeof casesTable.$inferInsert> = {}) => {
		sequence++;
		const isLot = scope === 'otherProgramme';
		const shares = scope !== 'private';
		const [kase] = await db
			.insert(casesTable)
			.values({
				programmeId: isLot ? lot.id : gers.id,
				reference: `T-${String(sequence).padStart(5, '0')}`,
				source: 'phone',
				advisorId: isLot ? actors.otherProgrammeAdmin.userId : actors.advisor.userId,
				consents: {
					contact: true,
					shareWithCommittees: shares,
					shareWithPartners: shares,
					research: false,
					at: null
				},
				...extra
			})
			.returning();
		const [person] = await db
			.insert(personsTable)
			.values({
				programmeId: kase.programmeId,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName: 'Hélène',
				lastName: `Garnier ${sequence}`,
				email: `helene${sequence}@example.org`
			})
			.returning();
		const village = isLot ? cahors : scope === 'otherVillage' ? samatan : simorre;
		await db.insert(caseTargetVillagesTable).values({ caseId: kase.id, villageId: village.id });
		return { kase, person };
	};
	/** A referral of a fresh case of the scope, to France Travail (or the Lot agency). */
	const makeReferral = async (scope: Scope, status: 'proposed' | 'accepted' = 'proposed') => {
		const { kase, person } = await makeCase(scope);
		const [referral] = await db
			.insert(referralsTable)
			.values({
				programmeId: kase.programmeId,
				caseId: kase.id,
				personId: person.id,
				organisationId: scope === 'otherProgramme' ? lotAgency.id : franceTravail.id,
				needKind: 'job_search',
				status,
				expectedAnswerOn: '2030-01-01'
			})
			.returning();
		return { kase, referral };
	};
	return {
		db,
		gers,
		lot,
		villages: { simorre, samatan, cahors },
		organisations: { franceTravail, bank, lotAgency },
		templates: { gers: gersTemplate, lot: lotTemplate },
		actors,
		makeCase,
		makeReferral
	};
}

type CaseAction = (f: Fixture, actor: Actor, scope: Scope) => Promise<unknown>;

/** Actions on one case (or one referral), run for every role and scope. */
const CASE_ACTIONS: Record<string, CaseAction> = {
	'read the case': async (f, actor, scope) =>
		getCase({ actor, caseId: (await f.makeCase(scope)).kase.id }, f),
	'find it in the case list': async (f, actor, scope) => {
		const { kase } = await f.makeCase(scope);
		const { cases } = await listCases({ actor, filters: { q: kase.reference }, limit: 500 }, f);
		return cases.some((c) => c.id === kase.id) ? 'found' : 'hidden';
	},
	'read the timeline': async (f, actor, scope) =>
		getTimeline({ actor, caseId: (await f.makeCase(scope)).kase.id }, f),
	'record a visit': async (f, actor, scope) =>
		addActivity(
			{
				actor,
				caseId: (await f.makeCase(scope)).kase.id,
				kind: 'visit',
				summary: 'Visite de la maison du bourg',
				visibility: 'committee'
			},
			f
		),
	'record a call': async (f, actor, scope) =>
		addActivity({ actor, caseId: (await f.makeCase(scope)).kase.id, kind: 'call', summary: 'Appel' }, f),
	'move the stage': async (f, actor, scope) =>
		moveCaseToStage({ actor, caseId: (await f.makeCase(scope)).kase.id, stage: 'qualified' }, f),
	'assign an advisor': async (f, actor, scope) =>
		assignAdvisor({ actor, caseId: (await f.makeCase(scope)).kase.id, advisorId: null }, f),
	'add a task': async (f, actor, scope) =>
		createTask(
			{ actor, input: { caseId: (await f.makeCase(scope)).kase.id, title: 'Rappeler', dueOn: '2030-01-02' } },
			f
		),
	'edit the case': async (f, actor, scope) =>
		updateCase({ actor, caseId: (await f.makeCase(scope)).kase.id, input: { wishedArea: 'Astarac' } }, f),
	'edit a person': async (f, actor, scope) => {
		const { kase, person } = await f.makeCase(scope);
		return updatePerson(
			{ actor, caseId: kase.id, personId: person.id, input: { profession: 'Graphiste' } },
			f
		);
	},
	'change the target villages': async (f, actor, scope) =>
		setTargetVillages(
			{
				actor,
				caseId: (await f.makeCase(scope)).kase.id,
				villages: [scope === 'otherProgramme' ? f.villages.cahors.id : f.villages.samatan.id]
			},
			{ db: f.db, config }
		),
	'read the history of changes': async (f, actor, scope) =>
		listCaseAudit({ actor, caseId: (await f.makeCase(scope)).kase.id }, f),
	'merge with another case': async (f, actor, scope) => {
		const keep = await f.makeCase(scope);
		const absorb = await f.makeCase(scope);
		return mergeCases({ actor, keepCaseId: keep.kase.id, absorbCaseId: absorb.kase.id }, f);
	},
	'send a message': async (f, actor, scope) => {
		const { kase, person } = await f.makeCase(scope);
		const template = scope === 'otherProgramme' ? f.templates.lot : f.templates.gers;
		return sendCaseMail(
			{
				actor,
				caseId: kase.id,
				input: { mode: 'template', templateId: template.id, personIds: [person.id] }
			},
			{ db: f.db, config }
		);
	},
	'refer to France Travail': async (f, actor, scope) => {
		const { kase, person } = await f.makeCase(scope);
		const organisation =
			scope === 'otherProgramme' ? f.organisations.lotAgency : f.organisations.franceTravail;
		return createReferral(
			{
				actor,
				caseId: kase.id,
				input: { organisationId: organisation.id, personId: person.id, needKind: 'job_search' }
			},
			{ db: f.db, config }
		);
	},
	'read a referral to France Travail': async (f, actor, scope) =>
		getReferral({ actor, referralId: (await f.makeReferral(scope)).referral.id }, f),
	'accept a referral to France Travail': async (f, actor, scope) =>
		acceptReferral({ actor, referralId: (await f.makeReferral(scope)).referral.id }, { db: f.db, config }),
	'record the outcome of a referral': async (f, actor, scope) =>
		recordReferralOutcome(
			{
				actor,
				referralId: (await f.makeReferral(scope, 'accepted')).referral.id,
				input: { outcome: 'achieved', note: 'Poste trouvé' }
			},
			{ db: f.db, config }
		)
};

/**
 * Expected outcome per action, role and scope (shared | private | otherVillage | otherProgramme).
 * Staff: everything in their programme. Committee members: read and record visits on cases that
 * target their village and share with committees. Partners: referrals of their organisation on
 * cases that share with partners. Others: nothing. Another programme: always not found.
 */
const STAFF_ALL = ['ok', 'ok', 'ok', 'not_found'] as const;
const NONE = ['not_found', 'not_found', 'not_found', 'not_found'] as const;
const FORBIDDEN = ['forbidden', 'forbidden', 'forbidden', 'forbidden'] as const;
type Row = readonly [Outcome, Outcome, Outcome, Outcome];

const committeeSees: Row = ['ok', 'not_found', 'not_found', 'not_found'];
const otherCommitteeSees: Row = ['not_found', 'not_found', 'ok', 'not_found'];
const committeeRefused: Row = ['forbidden', 'not_found', 'not_found', 'not_found'];
const otherCommitteeRefused: Row = ['not_found', 'not_found', 'forbidden', 'not_found'];

const EXPECTED: Record<string, Record<Who, Row>> = {};
for (const action of Object.keys(CASE_ACTIONS)) {
	EXPECTED[action] = {
		admin: STAFF_ALL,
		advisor: STAFF_ALL,
		committee: committeeRefused,
		otherCommittee: otherCommitteeRefused,
		partner: NONE,
		otherPartner: NONE,
		member: NONE,
		candidate: NONE,
		otherProgrammeAdmin: ['not_found', 'not_found', 'not_found', 'ok']
	};
}
// What committee members may do on the cases they see.
for (const action of ['read the case', 'read the timeline', 'record a visit']) {
	EXPECTED[action].committee = committeeSees;
	EXPECTED[action].otherCommittee = otherCommitteeSees;
}
EXPECTED['find it in the case list'] = {
	...EXPECTED['find it in the case list'],
	committee: ['ok', 'hidden', 'hidden', 'hidden'],
	otherCommittee: ['hidden', 'hidden', 'ok', 'hidden'],
	admin: ['ok', 'ok', 'ok', 'hidden'],
	advisor: ['ok', 'ok', 'ok', 'hidden'],
	otherProgrammeAdmin: ['hidden', 'hidden', 'hidden', 'ok'],
	partner: FORBIDDEN,
	otherPartner: FORBIDDEN,
	member: FORBIDDEN,
	candidate: FORBIDDEN
};
// Actions only staff may ever take are refused by role before any record is read: the answer is
// the same whether the case exists or not, so nothing leaks.
for (const action of ['add a task', 'merge with another case', 'refer to France Travail', 'send a message']) {
	for (const who of [
		'committee',
		'otherCommittee',
		'partner',
		'otherPartner',
		'member',
		'candidate'
	] as const) {
		EXPECTED[action][who] = FORBIDDEN;
	}
}
// The history of changes is for admins only; advisors are told so, others find nothing.
EXPECTED['read the history of changes'].advisor = ['forbidden', 'forbidden', 'forbidden', 'not_found'];
EXPECTED['read the history of changes'].committee = NONE;
EXPECTED['read the history of changes'].otherCommittee = NONE;
// A referral needs the household's consent to share with partners: refused with a reason.
EXPECTED['refer to France Travail'].admin = ['ok', 'conflict', 'ok', 'not_found'];
EXPECTED['refer to France Travail'].advisor = ['ok', 'conflict', 'ok', 'not_found'];
// The partner organisation sees and answers the referrals made to it, the other one never. A
// referral whose household later withdrew its consent stays the organisation's to close, without
// the person's details (checked below).
for (const action of [
	'read a referral to France Travail',
	'accept a referral to France Travail',
	'record the outcome of a referral'
]) {
	EXPECTED[action].partner = ['ok', 'ok', 'ok', 'not_found'];
	EXPECTED[action].committee = NONE;
	EXPECTED[action].otherCommittee = NONE;
}

describeEachDb('permission matrix of the back office', (ctx) => {
	test('every role × case action × scope gives the expected outcome', async () => {
		const f = await buildFixture(ctx.db);
		const observed: Record<string, Record<Who, Outcome[]>> = {};
		for (const [action, run] of Object.entries(CASE_ACTIONS)) {
			observed[action] = {} as Record<Who, Outcome[]>;
			for (const who of ROLES) {
				observed[action][who] = [];
				for (const scope of SCOPES) {
					observed[action][who].push(await outcomeOf(() => run(f, f.actors[who], scope)));
				}
			}
		}
		const expected = Object.fromEntries(
			Object.entries(EXPECTED).map(([action, rows]) => [
				action,
				Object.fromEntries(Object.entries(rows).map(([who, row]) => [who, [...row]]))
			])
		);
		expect(observed).toEqual(expected);
	}, 240_000); // hundreds of service calls on two databases: a loaded machine needs more than 60 s

	test('programme-wide actions: lists, imports, exports and dashboards stay within role and programme', async () => {
		const f = await buildFixture(ctx.db);
		const shared = await f.makeReferral('shared');
		await f.makeReferral('otherProgramme');
		const csv = new TextEncoder().encode('first_name;last_name;email\nAnna;de Vries;anna@example.nl\n');
		const results: Record<string, Record<Who, Outcome>> = {};
		const programmeWide: Record<string, (actor: Actor) => Promise<unknown>> = {
			'import a spreadsheet': (actor) =>
				createCaseImport({ actor, input: { fileName: 'cases.csv', bytes: csv } }, { db: f.db }),
			'export the case list': (actor) => exportCases({ actor, format: 'csv' }, { db: f.db }),
			'read the advisors dashboard': (actor) => getAdvisorDashboard({ actor }, { db: f.db }),
			'read my own case file': (actor) => getOwnCase({ actor }, { db: f.db })
		};
		for (const [action, run] of Object.entries(programmeWide)) {
			results[action] = {} as Record<Who, Outcome>;
			for (const who of ROLES) results[action][who] = await outcomeOf(() => run(f.actors[who]));
		}
		const staffOnly = (refusal: Outcome): Record<Who, Outcome> => ({
			admin: 'ok',
			advisor: 'ok',
			committee: refusal,
			otherCommittee: refusal,
			partner: refusal,
			otherPartner: refusal,
			member: refusal,
			candidate: refusal,
			otherProgrammeAdmin: 'ok'
		});
		expect(results).toEqual({
			'import a spreadsheet': staffOnly('forbidden'),
			'export the case list': staffOnly('forbidden'),
			'read the advisors dashboard': staffOnly('forbidden'),
			// Only a candidate has a file of their own (none linked here: not found for them too).
			'read my own case file': Object.fromEntries(ROLES.map((who) => [who, 'not_found']))
		});

		// Referral lists: staff see their programme's, a partner only its organisation's.
		const ids = async (who: Who) =>
			(await listReferrals({ actor: f.actors[who] }, { db: f.db })).referrals.map((r) => r.id);
		expect(await ids('admin')).toEqual([shared.referral.id]);
		expect(await ids('partner')).toEqual([shared.referral.id]);
		expect(await ids('otherPartner')).toEqual([]);
		expect(await ids('otherProgrammeAdmin')).toHaveLength(1);
		expect(await ids('otherProgrammeAdmin')).not.toContain(shared.referral.id);
		for (const who of ['committee', 'member', 'candidate'] as const) {
			expect(await outcomeOf(() => ids(who))).toBe('forbidden');
		}

		// A partner sees the person of a shared referral, and no personal detail once consent is withdrawn.
		const seen = await getReferral({ actor: f.actors.partner, referralId: shared.referral.id }, f);
		expect(seen.person).toMatchObject({ firstName: 'Hélène' });
		const withdrawn = await f.makeReferral('private');
		const hidden = await getReferral({ actor: f.actors.partner, referralId: withdrawn.referral.id }, f);
		expect(hidden.person).toBeNull();
		expect(hidden.referral.personName).toBeNull();

		// The export of another programme's admin never holds this programme's cases.
		const { cases } = await listCases({ actor: f.actors.otherProgrammeAdmin, limit: 500 }, { db: f.db });
		expect(cases.every((c) => c.reference !== shared.kase.reference)).toBe(true);
	});

	test('a candidate reads only their own file', async () => {
		const f = await buildFixture(ctx.db);
		const mine = await f.makeCase('private', { candidateUserId: f.actors.candidate.userId });
		const other = await f.makeCase('shared');
		const { case: own } = await getOwnCase({ actor: f.actors.candidate }, { db: f.db });
		expect(own.id).toBe(mine.kase.id);
		expect(await outcomeOf(() => getCase({ actor: f.actors.candidate, caseId: mine.kase.id }, f))).toBe(
			'not_found'
		);
		expect(await outcomeOf(() => getCase({ actor: f.actors.candidate, caseId: other.kase.id }, f))).toBe(
			'not_found'
		);
	});
});
