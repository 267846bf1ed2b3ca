import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { createRandom } from '../../../domain/random.ts';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import { casesTable, eventRegistrationsTable, eventsTable, personsTable } from '../../db/schema/index.ts';

/** Fixed seed: every demo has the same registrations. */
const REGISTRATION_DEMO_SEED = 32_2026;

/**
 * Registrations to the demo events from the demo's settled households (synthetic people):
 * past events filled to 40–90 % with attendance recorded (about 8 in 10 came), upcoming ones
 * partly filled, one of them full with a waiting list. Labelled demo through their people.
 */
export const eventRegistrationDemoSeedStep: DemoSeedStep = {
	name: 'event registrations',
	async run({ db, programme, log }) {
		const random = createRandom(REGISTRATION_DEMO_SEED);
		const people = await db
			.select({
				firstName: personsTable.firstName,
				lastName: personsTable.lastName,
				email: personsTable.email
			})
			.from(personsTable)
			.innerJoin(casesTable, eq(casesTable.id, personsTable.caseId))
			.where(
				and(
					eq(personsTable.programmeId, programme.id),
					eq(personsTable.householdRole, 'candidate'),
					isNotNull(personsTable.email),
					inArray(casesTable.stage, ['installed', 'integrated', 'qualified', 'discovery_visit', 'installing'])
				)
			)
			.orderBy(personsTable.email);
		const events = await db
			.select()
			.from(eventsTable)
			.where(and(eq(eventsTable.programmeId, programme.id), eq(eventsTable.status, 'published')))
			.orderBy(eventsTable.startsAt);
		if (people.length === 0 || events.length === 0) return;
		const now = new Date();
		let count = 0;
		let waitlistDone = false;
		for (const event of events) {
			const isPast = event.startsAt.getTime() < now.getTime();
			const capacity = event.capacity ?? 30;
			const isFullOne = !isPast && !waitlistDone && event.capacity !== null && event.capacity <= 12;
			const seats = isFullOne
				? capacity + 3
				: Math.round(capacity * (isPast ? 0.4 + random.next() * 0.5 : 0.1 + random.next() * 0.4));
			const chosen = random.shuffle(people).slice(0, Math.min(seats, people.length));
			const rows = chosen.map((person, index) => {
				const seated = event.capacity === null || index < event.capacity;
				const createdAt = new Date(event.startsAt.getTime() - (20 - index * 0.1) * 86_400_000);
				return {
					programmeId: programme.id,
					eventId: event.id,
					name: [person.firstName, person.lastName].filter(Boolean).join(' ') || person.email!,
					email: person.email!.toLowerCase(),
					locale: 'fr' as const,
					status: seated ? ('registered' as const) : ('waitlisted' as const),
					token: randomBytes(24).toString('base64url'),
					attended: isPast && seated ? random.chance(0.8) : null,
					seatedAt: seated ? createdAt : null,
					reminderSentAt: isPast && seated ? new Date(event.startsAt.getTime() - 86_400_000) : null,
					createdAt,
					updatedAt: createdAt
				};
			});
			if (rows.length) await db.insert(eventRegistrationsTable).values(rows).onConflictDoNothing();
			count += rows.length;
			if (isFullOne) waitlistDone = true;
		}
		log(`Event registrations: ${count} (synthetic households; attendance recorded for past events).`);
	}
};
