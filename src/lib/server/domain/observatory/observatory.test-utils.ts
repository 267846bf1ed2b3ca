import type { Db } from '../../db/index.ts';
import {
	caseStageChangesTable,
	casesTable,
	personsTable,
	surveyAnswersTable,
	surveyInvitationsTable,
	type SurveyAnswers,
	type CaseSource,
	type OriginArea,
	type PersonSector,
	type PersonStatus,
	type Role
} from '../../db/schema/index.ts';
import { toActor } from '../account/account.service.ts';
import { addMonths } from '../follow-up/follow-up.rules.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { updateMinCellSize } from '../programme-settings/programme-settings.service.ts';
import { insertTestUsers, insertTestCommunes } from '../../testing/factories.ts';

/** One household for an observatory test: its dates (ISO days) and profile; everything optional. */
export type TestHousehold = {
	source?: CaseSource;
	contact: string;
	/** First entries into stages other than contact, e.g. { qualified: '2024-02-01', abandoned: '2024-06-01' }. */
	stages?: Record<string, string>;
	installedOn?: string;
	commune?: string;
	leftOn?: string;
	abandonedReason?: string;
	businessCreatedOn?: string;
	businessClosedOn?: string;
	lastSignOfLifeAt?: string;
	status?: PersonStatus;
	sector?: string;
	pcs?: string;
	birthYear?: number;
	originCountry?: string;
	originArea?: OriginArea;
	/** Other adults and children of the household (besides the candidate). */
	partners?: number;
	children?: number;
	advisor?: 'claire' | 'marc' | null;
	researchConsent?: boolean;
	wouldMoveWithoutProgramme?: 'yes' | 'no' | 'unsure';
};

/**
 * A programme with staff, a committee member, a partner and a candidate account, and the given
 * households written as the back office would (case, persons, stage history). Shared by the
 * observatory's section tests.
 */
export async function seedObservatoryProgramme(
	db: Db,
	households: readonly TestHousehold[],
	{
		slug = 'gers',
		departements = ['32'],
		minCellSize
	}: {
		slug?: string;
		departements?: string[];
		/**
		 * The programme's minimum cell size (default 5). Tests that check hand-computed figures of a
		 * handful of households as a committee member or funder set 1; disclosure.service.test.ts
		 * tests the rule itself.
		 */
		minCellSize?: number;
	} = {}
) {
	const { programme } = await createProgramme(
		{ input: { slug, name: `Programme ${slug}`, departements } },
		{ db }
	);
	const user = async (role: Role, name: string) => {
		const [row] = await insertTestUsers(db, {
			programmeId: programme.id,
			role,
			name,
			email: `${name.toLowerCase()}@${slug}.example`,
			emailVerified: true
		});
		return row;
	};
	const users = {
		claire: await user('advisor', 'Claire'),
		marc: await user('admin', 'Marc'),
		maire: await user('committee', 'Maire'),
		partner: await user('partner', 'Partenaire'),
		member: await user('member', 'Membre'),
		candidate: await user('candidate', 'Candidat')
	};
	// Communes are reference data shared by programmes: tests that need real ones (outlines,
	// population) import them first; the others get a bare commune row.
	const communes = [...new Set(households.flatMap((h) => (h.commune ? [h.commune] : [])))];
	if (communes.length)
		await insertTestCommunes(
			db,
			communes.map((code) => ({ code, name: `Commune ${code}`, departementCode: code.slice(0, 2) }))
		);
	const caseIds: string[] = [];
	let n = 0;
	for (const household of households) {
		n++;
		const stages = household.stages ?? {};
		const finalStage = household.leftOn
			? 'left_territory'
			: stages.abandoned
				? 'abandoned'
				: household.installedOn
					? 'installed'
					: (Object.entries(stages)
							.sort((a, b) => a[1].localeCompare(b[1]))
							.at(-1)?.[0] ?? 'contact');
		const advisor = household.advisor === undefined ? 'claire' : household.advisor;
		const [kase] = await db
			.insert(casesTable)
			.values({
				programmeId: programme.id,
				reference: `${slug.toUpperCase()}-${household.contact.slice(0, 4)}-${String(n).padStart(4, '0')}`,
				source: household.source ?? 'web_form',
				stage: finalStage,
				advisorId: advisor ? users[advisor].id : null,
				installedOn: household.installedOn ?? null,
				installedCommuneCode: household.commune ?? null,
				leftOn: household.leftOn ?? null,
				abandonedReason: household.abandonedReason ?? null,
				businessCreatedOn: household.businessCreatedOn ?? null,
				businessClosedOn: household.businessClosedOn ?? null,
				lastSignOfLifeAt: household.lastSignOfLifeAt ? new Date(household.lastSignOfLifeAt) : null,
				wouldMoveWithoutProgramme: household.wouldMoveWithoutProgramme ?? null,
				consents: {
					contact: true,
					shareWithCommittees: true,
					shareWithPartners: false,
					research: household.researchConsent ?? true,
					at: `${household.contact}T10:00:00Z`
				},
				createdAt: new Date(`${household.contact}T10:00:00Z`)
			})
			.returning();
		caseIds.push(kase.id);
		await db.insert(personsTable).values([
			{
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName: `Prénom${n}`,
				lastName: `Nom${n}`,
				status: household.status ?? null,
				// Raw text on purpose: the observatory reads what is stored, keys or older free text.
				sector: (household.sector ?? null) as PersonSector | null,
				pcs: household.pcs ?? null,
				birthYear: household.birthYear ?? null,
				originCountry: household.originCountry ?? null,
				originArea: household.originArea ?? null
			},
			...Array.from({ length: household.partners ?? 0 }, () => ({
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'partner' as const
			})),
			...Array.from({ length: household.children ?? 0 }, () => ({
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'child' as const
			}))
		]);
		const changes = [
			{ toStage: 'contact', at: household.contact },
			...Object.entries(stages).map(([toStage, at]) => ({ toStage, at })),
			...(household.installedOn ? [{ toStage: 'installed', at: household.installedOn }] : []),
			...(household.leftOn ? [{ toStage: 'left_territory', at: household.leftOn }] : [])
		].sort((a, b) => a.at.localeCompare(b.at));
		let from: string | null = null;
		for (const change of changes) {
			await db.insert(caseStageChangesTable).values({
				programmeId: programme.id,
				caseId: kase.id,
				fromStage: from,
				toStage: change.toStage,
				changedAt: new Date(`${change.at}T10:00:00Z`)
			});
			from = change.toStage;
		}
	}
	if (minCellSize !== undefined)
		await updateMinCellSize({ actor: toActor(users.marc), input: { minCellSize } }, { db });
	return {
		programme,
		users,
		caseIds,
		actors: {
			advisor: toActor(users.claire),
			admin: toActor(users.marc),
			committee: toActor(users.maire),
			partner: toActor(users.partner),
			member: toActor(users.member),
			candidate: toActor(users.candidate)
		}
	};
}

const DAY = 86_400_000;

/** Writes an invitation to a wave (sent on its due day, valid 60 days) and, when given, its answers. */
export async function insertTestSurvey(
	db: Db,
	{
		programmeId,
		caseId,
		installedOn,
		waveMonths,
		answers
	}: { programmeId: string; caseId: string; installedOn: string; waveMonths: number; answers?: SurveyAnswers }
) {
	const dueOn = addMonths(installedOn, waveMonths);
	const sentAt = new Date(`${dueOn}T08:00:00Z`);
	const answeredAt = answers ? new Date(sentAt.getTime() + 3 * DAY) : null;
	const [invitation] = await db
		.insert(surveyInvitationsTable)
		.values({
			programmeId,
			caseId,
			waveMonths,
			dueOn,
			token: `${caseId}-${waveMonths}`.padEnd(32, 'x').slice(0, 40),
			questionnaireVersion: 1,
			toAddress: `${caseId}@example.org`,
			sentAt,
			expiresAt: new Date(sentAt.getTime() + 60 * DAY),
			answeredAt
		})
		.returning();
	if (answers)
		await db.insert(surveyAnswersTable).values({
			programmeId,
			invitationId: invitation.id,
			caseId,
			waveMonths,
			questionnaireVersion: 1,
			answers,
			submittedAt: answeredAt!
		});
}
