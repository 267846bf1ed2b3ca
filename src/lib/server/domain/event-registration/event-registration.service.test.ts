import ICAL from 'ical.js';
import { eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import type { Db } from '../../db/index.ts';
import { eventRegistrationsTable, eventsTable, mailMessagesTable, type Role } from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { ValidationError } from '../../validation.ts';
import { toActor } from '../account/account.service.ts';
import { resumeProgramme, suspendProgramme } from '../programme/programme-instance.service.ts';

import {
	cancelRegistration,
	getEventCalendarFile,
	getProgrammeCalendarFeed,
	getRegistrationByToken,
	listEventRegistrations,
	recordAttendance,
	registerForEvent,
	sendEventReminders
} from './event-registration.service.ts';
import { errorOf } from '../../testing/expectations.ts';
import { createTestProgramme, insertTestUsers, createTestEvent } from '../../testing/factories.ts';

const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.example' });
const NOW = new Date('2026-11-26T09:00:00Z');

async function setup(db: Db, { capacity = 2 }: { capacity?: number | null } = {}) {
	const programme = await createTestProgramme(db);
	const lot = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46'] });
	const user = async (role: Role, email: string, programmeId = programme.id, locale: 'fr' | 'en' = 'fr') => {
		const [row] = await insertTestUsers(db, {
			role,
			email,
			name: email.split('@')[0],
			programmeId,
			locale,
			emailVerified: true
		});
		return toActor(row);
	};
	const workshop = await createTestEvent(db, {
		programmeId: programme.id,
		kind: 'workshop',
		titleFr: 'Atelier : trouver ses premiers clients',
		titleEn: 'Workshop: finding your first clients',
		descriptionFr: 'Tour de table ; puis exercices, café offert.',
		startsAt: new Date('2026-11-27T08:30:00Z'),
		endsAt: new Date('2026-11-27T11:00:00Z'),
		address: 'La Fabrique, Lectoure',
		capacity
	});
	const register = (name: string, email: string, extra: { now?: Date; locale?: 'fr' | 'en' } = {}) =>
		registerForEvent(
			{ programmeId: programme.id, eventId: workshop.id, input: { name, email }, locale: extra.locale },
			{ db, config, now: extra.now ?? NOW }
		);
	return {
		programme,
		lot,
		workshop,
		register,
		admin: await user('admin', 'admin@gers.example'),
		member: await user('member', 'anneke@example.nl', programme.id, 'en'),
		committee: await user('committee', 'maire@simorre.example'),
		lotAdmin: await user('admin', 'admin@lot.example', lot.id)
	};
}

const mailsOf = (db: Db, kind: string) =>
	db.select().from(mailMessagesTable).where(eq(mailMessagesTable.kind, kind));

describeEachDb('event registrations', (ctx) => {
	test('one address registers at most SOHO_LIMIT_REGISTRATIONS_PER_HOUR people, and one email is mailed at most three times an hour', async () => {
		const db = ctx.db;
		const { programme, workshop } = await setup(db, { capacity: null });
		const second = await createTestEvent(db, {
			programmeId: programme.id,
			kind: 'workshop',
			titleFr: 'Atelier 2',
			startsAt: new Date('2026-11-28T08:30:00Z'),
			endsAt: new Date('2026-11-28T11:00:00Z'),
			capacity: null
		});
		const third = await createTestEvent(db, {
			programmeId: programme.id,
			kind: 'workshop',
			titleFr: 'Atelier 3',
			startsAt: new Date('2026-11-29T08:30:00Z'),
			endsAt: new Date('2026-11-29T11:00:00Z'),
			capacity: null
		});
		const fourth = await createTestEvent(db, {
			programmeId: programme.id,
			kind: 'workshop',
			titleFr: 'Atelier 4',
			startsAt: new Date('2026-11-30T08:30:00Z'),
			endsAt: new Date('2026-11-30T11:00:00Z'),
			capacity: null
		});
		const registerFrom = (clientAddress: string, email: string, eventId = workshop.id) =>
			registerForEvent(
				{ programmeId: programme.id, eventId, input: { name: 'Someone', email }, clientAddress },
				{ db, config, now: NOW }
			);
		const burst = await Promise.allSettled(
			Array.from({ length: 15 }, (_, i) => registerFrom('203.0.113.5', `person${i}@example.org`))
		);
		expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(config.limitRegistrationsPerHour);
		expect(
			burst.filter((r) => r.status === 'rejected' && isDomainError(r.reason, 'rate_limit.exceeded'))
		).toHaveLength(15 - config.limitRegistrationsPerHour);
		expect(await db.select().from(eventRegistrationsTable)).toHaveLength(config.limitRegistrationsPerHour);

		// The same victim named on three events from three addresses: three mails, then refused.
		for (const [i, event] of [workshop, second, third].entries()) {
			await registerFrom(`198.51.100.${i}`, 'victim@example.net', event.id);
		}
		const refused = await errorOf(registerFrom('198.51.100.9', 'victim@example.net', fourth.id));
		expect(isDomainError(refused, 'rate_limit.exceeded')).toBe(true);
		const toVictim = await db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.toAddress, 'victim@example.net'));
		expect(toVictim).toHaveLength(3);
	});

	test('seats go first come, first served, then the waiting list; each person gets one confirmation', async () => {
		const db = ctx.db;
		const { register, member, programme, workshop } = await setup(db);
		const first = await register('Hélène Garnier', 'Helene@Example.org');
		expect(first).toMatchObject({ status: 'registered', position: null, isAlreadyRegistered: false });
		expect(first.registration.email).toBe('helene@example.org');
		const second = await registerForEvent(
			{ actor: member, programmeId: programme.id, eventId: workshop.id, input: {} as never },
			{ db, config, now: NOW }
		);
		expect(second.status).toBe('registered');
		expect(second.registration).toMatchObject({ userId: member.userId, name: 'anneke', locale: 'en' });
		const third = await register('Jules Martin', 'jules@example.org');
		const fourth = await register('Léa Roux', 'lea@example.org');
		expect([third.status, third.position, fourth.status, fourth.position]).toEqual([
			'waitlisted',
			1,
			'waitlisted',
			2
		]);
		// Registering again changes nothing and sends nothing more.
		const again = await register('Hélène G.', 'helene@example.org');
		expect(again).toMatchObject({ isAlreadyRegistered: true, status: 'registered' });
		expect(await mailsOf(db, 'event.registration_registered')).toHaveLength(2);
		const waiting = await mailsOf(db, 'event.registration_waitlisted');
		expect(waiting.map((m) => m.toAddress).sort()).toEqual(['jules@example.org', 'lea@example.org']);
		const [confirmation] = (await mailsOf(db, 'event.registration_registered')).filter(
			(m) => m.toAddress === 'anneke@example.nl'
		);
		// In the member's language, with the calendar file and the personal cancel link.
		expect(confirmation.subject).toBe('Registration confirmed: Workshop: finding your first clients');
		expect(confirmation.textBody).toContain(`https://soho.example/events/${workshop.id}/event.ics`);
		expect(confirmation.textBody).toContain(
			`https://soho.example/events/registrations/${second.registration.token}`
		);
	});

	test('bad input names the field and writes nothing; closed events refuse', async () => {
		const db = ctx.db;
		const { register, workshop } = await setup(db);
		const error = await errorOf(register('', 'not-an-email'));
		expect(error).toBeInstanceOf(ValidationError);
		expect((error as ValidationError).issues.map((i) => [i.field, i.code])).toEqual([
			['name', 'event_registration.name_required'],
			['email', 'event_registration.invalid_email']
		]);
		expect(await db.select().from(eventRegistrationsTable)).toHaveLength(0);
		const late = await errorOf(
			register('Hélène', 'helene@example.org', { now: new Date('2026-11-27T09:00:00Z') })
		);
		expect(isDomainError(late, 'event_registration.closed')).toBe(true);
		await db.update(eventsTable).set({ status: 'cancelled' }).where(eq(eventsTable.id, workshop.id));
		expect(
			isDomainError(await errorOf(register('Hélène', 'helene@example.org')), 'event_registration.closed')
		).toBe(true);
		await db.update(eventsTable).set({ status: 'draft' }).where(eq(eventsTable.id, workshop.id));
		expect(isDomainError(await errorOf(register('Hélène', 'helene@example.org')), 'event.not_found')).toBe(
			true
		);
	});

	test('cancelling frees the seat for the first on the waiting list, who is told; a second cancel changes nothing', async () => {
		const db = ctx.db;
		const { register } = await setup(db, { capacity: 1 });
		const seated = await register('Hélène Garnier', 'helene@example.org');
		const waiting = await register('Jules Martin', 'jules@example.org');
		await register('Léa Roux', 'lea@example.org');
		const view = await getRegistrationByToken({ token: waiting.registration.token }, { db, now: NOW });
		expect(view).toMatchObject({ position: 1, canCancel: true, registration: { status: 'waitlisted' } });

		const cancelled = await cancelRegistration(
			{ token: seated.registration.token },
			{ db, config, now: NOW }
		);
		expect(cancelled.registration.status).toBe('cancelled');
		expect(cancelled.promoted).toBe(waiting.registration.id);
		const promoted = await mailsOf(db, 'event.registration_promoted');
		expect(promoted.map((m) => m.toAddress)).toEqual(['jules@example.org']);
		expect(
			(await getRegistrationByToken({ token: waiting.registration.token }, { db, now: NOW })).registration
				.status
		).toBe('registered');
		const twice = await cancelRegistration({ token: seated.registration.token }, { db, config, now: NOW });
		expect(twice.promoted).toBeNull();
		expect(await mailsOf(db, 'event.registration_promoted')).toHaveLength(1);
		// Coming back after cancelling: at the end of the waiting list, with the same personal link.
		const back = await register('Hélène Garnier', 'helene@example.org');
		expect(back).toMatchObject({ status: 'waitlisted', position: 2, isAlreadyRegistered: false });
		expect(back.registration.token).toBe(seated.registration.token);
		// A forged link finds nothing.
		const forged = await errorOf(getRegistrationByToken({ token: 'x'.repeat(32) }, { db }));
		expect(isDomainError(forged, 'event_registration.not_found')).toBe(true);
	});

	test('the reminder leaves once to each registered person of events starting within 36 hours', async () => {
		const db = ctx.db;
		const { register } = await setup(db, { capacity: 1 });
		await register('Hélène Garnier', 'helene@example.org');
		await register('Jules Martin', 'jules@example.org'); // waiting list: no reminder
		expect(await sendEventReminders({ now: new Date('2026-11-25T09:00:00Z') }, { db, config })).toEqual({
			reminded: 0
		});
		expect(await sendEventReminders({ now: NOW }, { db, config })).toEqual({ reminded: 1 });
		expect(await sendEventReminders({ now: NOW }, { db, config })).toEqual({ reminded: 0 });
		expect((await mailsOf(db, 'event.registration_reminder')).map((m) => m.toAddress)).toEqual([
			'helene@example.org'
		]);
	});

	test("a suspended programme's registered people get no reminder until it is resumed", async () => {
		const db = ctx.db;
		const { register, programme } = await setup(db, { capacity: 2 });
		await register('Hélène Garnier', 'helene@example.org');
		await suspendProgramme(
			{ by: 'operator', input: { programme: programme.id, reason: 'Convention échue' } },
			{ db }
		);
		expect(await sendEventReminders({ now: NOW }, { db, config })).toEqual({ reminded: 0 });
		expect(await mailsOf(db, 'event.registration_reminder')).toHaveLength(0);
		await resumeProgramme({ by: 'operator', input: { programme: programme.id } }, { db });
		expect(await sendEventReminders({ now: NOW }, { db, config })).toEqual({ reminded: 1 });
		expect((await mailsOf(db, 'event.registration_reminder')).map((m) => m.toAddress)).toEqual([
			'helene@example.org'
		]);
	});

	test('staff record who came once the event has started; others may not see registrations', async () => {
		const db = ctx.db;
		const { register, workshop, admin, committee, member, lotAdmin } = await setup(db, { capacity: null });
		const a = await register('Hélène Garnier', 'helene@example.org');
		const b = await register('Jules Martin', 'jules@example.org');
		const early = await errorOf(
			recordAttendance(
				{ actor: admin, eventId: workshop.id, attendedIds: [a.registration.id] },
				{ db, now: NOW }
			)
		);
		expect(isDomainError(early, 'event_registration.attendance_too_early')).toBe(true);
		const after = new Date('2026-11-27T12:00:00Z');
		expect(
			await recordAttendance(
				{ actor: admin, eventId: workshop.id, attendedIds: [a.registration.id] },
				{ db, now: after }
			)
		).toEqual({ attended: 1, absent: 1 });
		const list = await listEventRegistrations({ actor: admin, eventId: workshop.id }, { db, now: after });
		expect(list.counts).toEqual({ registered: 2, waitlisted: 0, cancelled: 0, attended: 1 });
		expect(list.registrations.find((r) => r.id === b.registration.id)?.attended).toBe(false);
		for (const actor of [committee, member]) {
			const refused = await errorOf(listEventRegistrations({ actor, eventId: workshop.id }, { db }));
			expect(isDomainError(refused, 'event_registration.forbidden')).toBe(true);
		}
		const elsewhere = await errorOf(
			listEventRegistrations({ actor: lotAdmin, eventId: workshop.id }, { db })
		);
		expect(isDomainError(elsewhere, 'event.not_found')).toBe(true);
	});

	test('the calendar file and the feed parse with a real iCalendar library', async () => {
		const db = ctx.db;
		const { programme, workshop } = await setup(db);
		const { text, fileName } = await getEventCalendarFile(
			{ programmeId: programme.id, eventId: workshop.id, locale: 'en' },
			{ db, config, now: NOW }
		);
		expect(fileName).toBe(`${workshop.id}.ics`);
		const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
		expect(event.summary).toBe('Workshop: finding your first clients');
		expect(event.uid).toBe(`${workshop.id}@soho.example`);
		expect(event.location).toBe('La Fabrique, Lectoure');
		expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-27T08:30:00.000Z');
		const feed = await getProgrammeCalendarFeed({ programmeId: programme.id }, { db, config, now: NOW });
		const events = new ICAL.Component(ICAL.parse(feed.text)).getAllSubcomponents('vevent');
		expect(events.map((e) => e.getFirstPropertyValue('summary'))).toEqual([
			'Atelier : trouver ses premiers clients'
		]);
	});
});
