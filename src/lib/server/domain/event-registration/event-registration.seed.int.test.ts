import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable, eventRegistrationsTable, personsTable } from '../../db/schema/index.ts';

import { eventRegistrationDemoSeedStep } from './event-registration.seed.ts';
import { createTestProgramme, createTestEvent } from '../../testing/factories.ts';

describeEachDb('event registration demo data', (ctx) => {
	test('past demo events have attendance, an upcoming small one is full with a waiting list, within capacity', async () => {
		const db = ctx.db;
		const programme = await createTestProgramme(db);
		for (let i = 0; i < 40; i++) {
			const [kase] = await db
				.insert(casesTable)
				.values({ programmeId: programme.id, reference: `D-${i}`, source: 'phone', stage: 'installed' })
				.returning();
			await db.insert(personsTable).values({
				programmeId: programme.id,
				caseId: kase.id,
				householdRole: 'candidate',
				firstName: `Solo${i}`,
				lastName: 'Démo',
				email: `solo${i}@demo.soho.example`
			});
		}
		const day = 86_400_000;
		const past = await createTestEvent(db, {
			programmeId: programme.id,
			kind: 'breakfast',
			titleFr: 'Petit-déjeuner',
			startsAt: new Date(Date.now() - 10 * day),
			endsAt: new Date(Date.now() - 10 * day + 7_200_000),
			capacity: 20
		});
		const workshop = await createTestEvent(db, {
			programmeId: programme.id,
			kind: 'workshop',
			titleFr: 'Atelier',
			startsAt: new Date(Date.now() + 10 * day),
			endsAt: new Date(Date.now() + 10 * day + 7_200_000),
			capacity: 10
		});
		const fair = await createTestEvent(db, {
			programmeId: programme.id,
			kind: 'fair_stand',
			titleFr: 'Salon',
			startsAt: new Date(Date.now() + 20 * day),
			endsAt: new Date(Date.now() + 20 * day + 7_200_000),
			capacity: null
		});
		const lines: string[] = [];
		await eventRegistrationDemoSeedStep.run({
			db,
			programme,
			config: parseConfig({ NODE_ENV: 'test' }),
			log: (line: string) => lines.push(line)
		});
		expect(lines[0]).toMatch(/^Event registrations: \d+/);
		const of = (eventId: string) =>
			db.select().from(eventRegistrationsTable).where(eq(eventRegistrationsTable.eventId, eventId));
		const pastRows = await of(past.id);
		expect(pastRows.length).toBeGreaterThanOrEqual(8);
		expect(pastRows.length).toBeLessThanOrEqual(20);
		expect(pastRows.every((r) => r.attended !== null)).toBe(true);
		expect(pastRows.some((r) => r.attended === true)).toBe(true);
		const workshopRows = await of(workshop.id);
		expect(workshopRows.filter((r) => r.status === 'registered')).toHaveLength(10);
		expect(workshopRows.filter((r) => r.status === 'waitlisted')).toHaveLength(3);
		expect(workshopRows.every((r) => r.attended === null)).toBe(true);
		expect((await of(fair.id)).every((r) => r.status === 'registered')).toBe(true);
	});
});
