import { and, asc, eq, isNotNull } from 'drizzle-orm';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { fromLocalInput } from '../../../domain/datetime.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import {
	casesTable,
	discoveryStaysTable,
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable
} from '../../db/schema/index.ts';
import { toActor } from '../account/account.service.ts';
import {
	listHostInvitations,
	planStay,
	recordOutcome,
	respondToInvitation
} from './discovery-stay.service.ts';

const DAY = 86_400_000;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (day: string, days: number) => iso(new Date(Date.parse(`${day}T12:00:00Z`) + days * DAY));

async function demoActor(db: Db, programmeId: string, email: string): Promise<Actor | null> {
	const [row] = await db
		.select({
			id: usersTable.id,
			name: usersTable.name,
			email: usersTable.email,
			locale: usersTable.locale,
			isDemo: usersTable.isDemo,
			role: membershipsTable.role,
			programmeId: membershipsTable.programmeId,
			organisationId: membershipsTable.organisationId
		})
		.from(usersTable)
		.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
		.where(and(eq(usersTable.email, email), eq(membershipsTable.programmeId, programmeId)));
	return row ? toActor(row) : null;
}

/**
 * Two demo stays, planned through the service as an advisor would: one ahead for a household in
 * discovery, with the demo committee member invited; one completed for an installed household,
 * confirmed by its host and with the advisor's outcome (so the funnel's stay → installation shows).
 */
export function createStayDemoSeedStep({ now }: { now?: () => Date } = {}): DemoSeedStep {
	return {
		name: 'discovery stays',
		async run({ db, config, programme, log }) {
			const at = now?.() ?? new Date();
			const existing = await db
				.select({ id: discoveryStaysTable.id })
				.from(discoveryStaysTable)
				.where(eq(discoveryStaysTable.programmeId, programme.id))
				.limit(1);
			if (existing.length) return;
			const advisor = await demoActor(db, programme.id, 'advisor@demo.soho.example');
			const host = await demoActor(db, programme.id, 'committee@demo.soho.example');
			const [village] = host
				? await db
						.select({ villageId: villageCommitteeMembersTable.villageId })
						.from(villageCommitteeMembersTable)
						.where(eq(villageCommitteeMembersTable.userId, host.userId))
						.limit(1)
				: [];
			const [discovering] = await db
				.select({ id: casesTable.id })
				.from(casesTable)
				.where(and(eq(casesTable.programmeId, programme.id), eq(casesTable.stage, 'discovery_visit')))
				.orderBy(asc(casesTable.reference))
				.limit(1);
			const [installed] = await db
				.select({ id: casesTable.id, installedOn: casesTable.installedOn })
				.from(casesTable)
				.where(and(eq(casesTable.programmeId, programme.id), isNotNull(casesTable.installedOn)))
				.orderBy(asc(casesTable.reference))
				.limit(1);
			if (!advisor || !host || !village || !discovering || !installed?.installedOn) {
				log('Demo stays skipped: no demo advisor, committee member, or cases to host.');
				return;
			}
			const deps = { db, config };
			const meeting = (day: string, place: string, topic: string) => ({
				startsAt: fromLocalInput(`${day}T10:00`),
				endsAt: fromLocalInput(`${day}T11:30`),
				place,
				topic,
				hostKind: 'committee' as const,
				hostUserId: host.userId,
				villageId: village.villageId
			});

			const start = addDays(iso(at), 12);
			await planStay(
				{
					actor: advisor,
					input: {
						kind: 'stay',
						title: 'Séjour de découverte (démo)',
						startsOn: start,
						endsOn: addDays(start, 2),
						lodging: 'Gîte communal, deux chambres (démo)',
						caseIds: [discovering.id],
						meetings: [meeting(addDays(start, 1), 'Mairie (démo)', 'Rencontre avec le comité (démo)')]
					}
				},
				{ ...deps, now: at }
			);

			const end = addDays(installed.installedOn, -45);
			const pastStart = addDays(end, -2);
			const planned = new Date(Date.parse(`${pastStart}T09:00:00Z`) - 20 * DAY);
			const { stay } = await planStay(
				{
					actor: advisor,
					input: {
						kind: 'stay',
						title: 'Séjour de découverte passé (démo)',
						startsOn: pastStart,
						endsOn: end,
						lodging: 'Chambre d’hôtes (démo)',
						caseIds: [installed.id],
						meetings: [meeting(addDays(pastStart, 1), 'Salle des fêtes (démo)', 'Visite du village (démo)')]
					}
				},
				{ ...deps, now: planned }
			);
			const { invitations } = await listHostInvitations({ actor: host }, { db });
			const invitation = invitations.find((i) => i.place === 'Salle des fêtes (démo)');
			if (invitation)
				await respondToInvitation(
					{ actor: host, meetingId: invitation.meetingId, response: 'confirmed' },
					{ db, now: new Date(planned.getTime() + 2 * DAY) }
				);
			await recordOutcome(
				{
					actor: advisor,
					stayId: stay.id,
					caseId: installed.id,
					input: {
						wentWell: true,
						stillInterested: true,
						villagesConsidered: [],
						nextStep: 'look_for_housing',
						comment: 'Très bon contact avec le comité. (démo)'
					}
				},
				{ db, now: new Date(Date.parse(`${end}T18:00:00Z`) + DAY) }
			);
			log('Demo stays: one planned, one completed with its outcome.');
		}
	};
}

export const stayDemoSeedStep = createStayDemoSeedStep();
