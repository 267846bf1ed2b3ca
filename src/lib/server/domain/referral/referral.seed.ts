import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import {
	caseActivitiesTable,
	casesTable,
	organisationsTable,
	personsTable,
	referralsTable,
	type OrganisationKind,
	type ReferralNeedKind,
	type ReferralOutcome,
	type ReferralStatus
} from '../../db/schema/index.ts';
import { translate } from '../../../i18n/index.ts';
import { isoDay } from './referral.rules.ts';

const DAY = 86_400_000;

type DemoReferral = {
	kind: OrganisationKind;
	need: ReferralNeedKind;
	/** The person referred: the partner for a job search, else the candidate. */
	role: 'candidate' | 'partner';
	message: string;
	daysAgo: number;
	/** Days given to answer (7 by default). */
	answerDays?: number;
	status: ReferralStatus;
	/** Days after the referral when the organisation answered. */
	answeredAfter?: number;
	outcome?: ReferralOutcome;
	outcomeNote?: string;
	declineReason?: string;
};

/**
 * Referrals of open demo cases whose household agreed to share with partners: some
 * waiting (two overdue), some answered, some closed with an outcome. Two go to the
 * coworking operator, the demo partner account's organisation, so its inbox is not empty.
 */
const DEMO_REFERRALS: DemoReferral[] = [
	{ kind: 'employment_service', need: 'job_search', role: 'partner', message: 'Infirmière, cherche un poste à Auch ou Mirande à partir de septembre. (démo)', daysAgo: 3, status: 'proposed' },
	{ kind: 'employment_service', need: 'job_search', role: 'partner', message: 'Comptable, souhaite un temps partiel. (démo)', daysAgo: 15, status: 'proposed' },
	{ kind: 'chamber_of_crafts', need: 'business_creation', role: 'candidate', message: 'Reprise d’une boulangerie à Samatan : accompagnement à la transmission. (démo)', daysAgo: 60, status: 'accepted', answeredAfter: 2 },
	{ kind: 'bank', need: 'financing', role: 'candidate', message: 'Prêt pour l’achat d’un atelier. (démo)', daysAgo: 40, status: 'outcome_recorded', answeredAfter: 3, outcome: 'achieved', outcomeNote: 'Prêt accordé. (démo)' },
	{ kind: 'accountant', need: 'accounting', role: 'candidate', message: 'Passage de micro-entreprise à société. (démo)', daysAgo: 20, status: 'outcome_recorded', answeredAfter: 1, outcome: 'in_progress', outcomeNote: 'Premier rendez-vous fait. (démo)' },
	{ kind: 'business_cooperative', need: 'business_creation', role: 'candidate', message: 'Test d’activité de graphiste en coopérative. (démo)', daysAgo: 25, status: 'declined', answeredAfter: 4, declineReason: 'Activité hors de notre champ ; voir la chambre de commerce. (démo)' },
	{ kind: 'employment_service', need: 'job_search', role: 'partner', message: 'Cherche un poste d’enseignant contractuel. (démo)', daysAgo: 90, status: 'outcome_recorded', answeredAfter: 2, outcome: 'not_achieved', outcomeNote: 'Pas de poste ouvert cette année. (démo)' },
	{ kind: 'workspace_operator', need: 'other', role: 'candidate', message: 'Poste en coworking trois jours par semaine à Auch. (démo)', daysAgo: 2, status: 'proposed', answerDays: 10 },
	{ kind: 'workspace_operator', need: 'other', role: 'candidate', message: 'Bureau fermé pour un développeur en télétravail. (démo)', daysAgo: 12, status: 'accepted', answeredAfter: 1 }
]; // prettier-ignore

export function createReferralDemoSeedStep({ now }: { now?: () => Date } = {}): DemoSeedStep {
	return {
		name: 'referrals',
		async run({ db, programme, log }) {
			const at = now?.() ?? new Date();
			const organisations = await db
				.select({ id: organisationsTable.id, name: organisationsTable.name, kind: organisationsTable.kind })
				.from(organisationsTable)
				.where(eq(organisationsTable.programmeId, programme.id));
			const cases = await db
				.select({ id: casesTable.id, advisorId: casesTable.advisorId })
				.from(casesTable)
				.where(
					and(
						eq(casesTable.programmeId, programme.id),
						inArray(casesTable.stage, ['qualified', 'discovery_visit', 'installing']),
						sql`(${casesTable.consents} ->> 'shareWithPartners')::boolean`
					)
				)
				.orderBy(asc(casesTable.reference))
				.limit(DEMO_REFERRALS.length);
			if (cases.length === 0 || organisations.length === 0) {
				log('Demo referrals skipped: no demo case shares with partners, or no organisation.');
				return;
			}
			const persons = await db
				.select({ id: personsTable.id, caseId: personsTable.caseId, role: personsTable.householdRole })
				.from(personsTable)
				.where(
					inArray(
						personsTable.caseId,
						cases.map((kase) => kase.id)
					)
				);
			let count = 0;
			await db.transaction(async (tx) => {
				for (const [index, demo] of DEMO_REFERRALS.entries()) {
					const kase = cases[index % cases.length];
					const organisation = organisations.find((candidate) => candidate.kind === demo.kind);
					if (!organisation) continue;
					const person =
						persons.find((p) => p.caseId === kase.id && p.role === demo.role) ??
						persons.find((p) => p.caseId === kase.id && p.role === 'candidate');
					const createdAt = new Date(at.getTime() - demo.daysAgo * DAY);
					const answeredAt =
						demo.answeredAfter !== undefined
							? new Date(createdAt.getTime() + demo.answeredAfter * DAY)
							: null;
					const [referral] = await tx
						.insert(referralsTable)
						.values({
							programmeId: programme.id,
							caseId: kase.id,
							personId: person?.id ?? null,
							organisationId: organisation.id,
							needKind: demo.need,
							message: demo.message,
							status: demo.status,
							expectedAnswerOn: isoDay(new Date(createdAt.getTime() + (demo.answerDays ?? 7) * DAY)),
							declineReason: demo.declineReason ?? null,
							answeredAt,
							outcome: demo.outcome ?? null,
							outcomeNote: demo.outcomeNote ?? null,
							outcomeOn:
								demo.outcome && answeredAt ? isoDay(new Date(answeredAt.getTime() + 10 * DAY)) : null,
							outcomeAt: demo.outcome && answeredAt ? new Date(answeredAt.getTime() + 10 * DAY) : null,
							createdBy: kase.advisorId,
							isDemo: true,
							createdAt,
							updatedAt: answeredAt ?? createdAt
						})
						.returning();
					const entries: { at: Date; status: ReferralStatus; summary: string }[] = [
						{
							at: createdAt,
							status: 'proposed',
							summary: translate('fr', 'referral_activity_created', {
								organisation: organisation.name,
								need: translate('fr', `referral_need_${demo.need}`)
							})
						}
					];
					if (answeredAt && demo.status !== 'proposed') {
						const answer = demo.status === 'declined' ? 'declined' : 'accepted';
						entries.push({
							at: answeredAt,
							status: answer,
							summary: translate('fr', `referral_activity_${answer}`, { organisation: organisation.name })
						});
					}
					if (demo.outcome && referral.outcomeAt) {
						entries.push({
							at: referral.outcomeAt,
							status: 'outcome_recorded',
							summary: translate('fr', 'referral_activity_outcome', {
								organisation: organisation.name,
								outcome: translate('fr', `referral_outcome_${demo.outcome}`)
							})
						});
					}
					await tx.insert(caseActivitiesTable).values(
						entries.map((entry) => ({
							programmeId: programme.id,
							caseId: kase.id,
							kind: 'referral' as const,
							occurredAt: entry.at,
							authorId: entry.status === 'proposed' ? kase.advisorId : null,
							summary: entry.summary,
							visibility: 'staff' as const,
							data: { referralId: referral.id, status: entry.status },
							createdAt: entry.at,
							updatedAt: entry.at
						}))
					);
					count++;
				}
			});
			log(`Demo referrals: ${count} (some overdue, some with an outcome).`);
		}
	};
}

export const referralDemoSeedStep: DemoSeedStep = createReferralDemoSeedStep();
