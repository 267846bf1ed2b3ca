import ICAL from 'ical.js';
import { and, eq } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { auditEntriesTable, eventsTable, mailMessagesTable } from '../../db/schema/index.ts';
import { ValidationError } from '../../validation.ts';
import { getEventCalendarFile, registerForEvent } from '../event-registration/event-registration.service.ts';
import { addCommitteeMember, createVillage } from '../village/village.service.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { cancelEvent, createEvent, duplicateEvent, getEvent, updateEvent } from './event.service.ts';
import { createTestProgrammes, createTestUser } from '../../testing/factories.ts';

const NOW = new Date('2026-11-20T09:00:00Z');
const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.example' });

describeEachDb('managing events from the back office', (ctx) => {
	const setup = async () => {
		const db = ctx.db;
		const { programme, other } = await createTestProgrammes(db);
		const user = (
			role: 'admin' | 'advisor' | 'committee' | 'partner' | 'member',
			email: string,
			programmeId = programme.id
		) => createTestUser(db, { role, programmeId, email }).then(({ actor }) => actor);
		const advisor = await user('advisor', 'conseil@gers.example');
		const mayor = await user('committee', 'maire@simorre.example');
		const partner = await user('partner', 'banque@gers.example');
		const lotAdvisor = await user('advisor', 'conseil@lot.example', other.id);
		const { village: simorre } = await createVillage(
			{ input: { programmeId: programme.id, communeCode: '32433' } },
			{ db }
		);
		const { village: samatan } = await createVillage(
			{ input: { programmeId: programme.id, communeCode: '32410' } },
			{ db }
		);
		const { village: lotVillage } = await createVillage(
			{ input: { programmeId: other.id, communeCode: '32013' } },
			{ db }
		);
		await addCommitteeMember({ villageId: simorre.id, userId: mayor.userId, committeeRole: 'mayor' }, { db });
		const base = {
			programmeId: programme.id,
			kind: 'information_meeting' as const,
			titleFr: 'Réunion d’information',
			titleEn: 'Information meeting',
			startsAt: new Date('2026-12-03T17:00:00Z'),
			endsAt: new Date('2026-12-03T19:00:00Z'),
			address: 'Salle des fêtes',
			communeCode: '32433'
		};
		const { event: simorreEvent } = await createEvent(
			{ actor: advisor, input: { ...base, villageId: simorre.id } },
			{ db }
		);
		const { event: samatanEvent } = await createEvent(
			{ actor: advisor, input: { ...base, villageId: samatan.id, communeCode: '32410' } },
			{ db }
		);
		return {
			programme,
			other,
			advisor,
			mayor,
			partner,
			lotAdvisor,
			simorre,
			samatan,
			lotVillage,
			base,
			simorreEvent,
			samatanEvent
		};
	};
	const deps = () => ({ db: ctx.db, config, now: NOW });
	const issuesOf = async (promise: Promise<unknown>) => {
		const error = await expectDomainError(promise, 'validation.invalid_input');
		return (error as ValidationError).issues.map((i) => `${i.field}:${i.code}`).sort();
	};

	test('a committee member schedules and edits the events of their own village only', async () => {
		const { mayor, base, simorre, samatan, simorreEvent, samatanEvent } = await setup();
		const { event } = await createEvent(
			{ actor: mayor, input: { ...base, titleFr: 'Petit-déjeuner à Simorre', villageId: simorre.id } },
			{ db: ctx.db }
		);
		expect(event.villageId).toBe(simorre.id);
		await expectDomainError(
			createEvent({ actor: mayor, input: { ...base, villageId: samatan.id } }, { db: ctx.db }),
			'event.forbidden'
		);
		// Without a village, an event is the programme's: staff only.
		await expectDomainError(createEvent({ actor: mayor, input: base }, { db: ctx.db }), 'event.forbidden');
		const { event: edited } = await updateEvent(
			{ actor: mayor, eventId: simorreEvent.id, input: { capacity: 30 } },
			deps()
		);
		expect(edited.capacity).toBe(30);
		await expectDomainError(
			updateEvent({ actor: mayor, eventId: samatanEvent.id, input: { capacity: 30 } }, deps()),
			'event.not_found'
		);
		await expectDomainError(
			cancelEvent({ actor: mayor, eventId: samatanEvent.id }, deps()),
			'event.not_found'
		);
		// Handing their event over to another village is refused, next to the field.
		await expect(
			issuesOf(
				updateEvent({ actor: mayor, eventId: simorreEvent.id, input: { villageId: samatan.id } }, deps())
			)
		).resolves.toEqual(['villageId:event.invalid_village']);
	});

	test('an advisor of another programme, a partner or a member touches none of the programme’s events', async () => {
		const { lotAdvisor, partner, simorreEvent, base } = await setup();
		for (const actor of [lotAdvisor, partner]) {
			await expectDomainError(
				getEvent({ actor, eventId: simorreEvent.id }, { db: ctx.db }),
				'event.not_found'
			);
			await expectDomainError(
				updateEvent({ actor, eventId: simorreEvent.id, input: { titleFr: 'Piraté' } }, deps()),
				'event.not_found'
			);
			await expectDomainError(cancelEvent({ actor, eventId: simorreEvent.id }, deps()), 'event.not_found');
			await expectDomainError(
				duplicateEvent(
					{ actor, eventId: simorreEvent.id, input: { startsAt: new Date('2027-01-10T17:00:00Z') } },
					{ db: ctx.db, now: NOW }
				),
				'event.not_found'
			);
		}
		await expectDomainError(createEvent({ actor: partner, input: base }, { db: ctx.db }), 'event.forbidden');
		const [row] = await ctx.db.select().from(eventsTable).where(eq(eventsTable.id, simorreEvent.id));
		expect(row.titleFr).toBe('Réunion d’information');
		expect(row.status).toBe('published');
	});

	test('registrants are told of a new date in their language, and their calendar follows with a higher SEQUENCE', async () => {
		const { advisor, programme, simorreEvent } = await setup();
		const register = (name: string, email: string, locale: 'fr' | 'en') =>
			registerForEvent(
				{ programmeId: programme.id, eventId: simorreEvent.id, input: { name, email }, locale },
				{ db: ctx.db, config, now: NOW }
			);
		await register('Hélène Garnier', 'helene@example.org', 'fr');
		await register('Anneke de Vries', 'anneke@example.nl', 'en');
		const cancelled = await register('Jules Martin', 'jules@example.org', 'fr');
		await ctx.db.execute(
			`update event_registrations set status = 'cancelled' where id = '${cancelled.registration.id}'` as never
		);
		const sequenceOf = async () => {
			const { text } = await getEventCalendarFile(
				{ programmeId: programme.id, eventId: simorreEvent.id },
				{ db: ctx.db, config, now: NOW }
			);
			const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
			return {
				sequence: vevent.getFirstPropertyValue('sequence'),
				status: vevent.getFirstPropertyValue('status'),
				vevent
			};
		};
		expect(await sequenceOf()).toMatchObject({ sequence: 0, status: 'CONFIRMED' });

		// A new title is not a change registrants must hear of.
		const quiet = await updateEvent(
			{ actor: advisor, eventId: simorreEvent.id, input: { titleFr: 'Réunion d’information à Simorre' } },
			deps()
		);
		expect(quiet.notified).toBe(0);
		expect(await sequenceOf()).toMatchObject({ sequence: 0 });

		const moved = await updateEvent(
			{
				actor: advisor,
				eventId: simorreEvent.id,
				input: { startsAt: new Date('2026-12-10T17:00:00Z'), endsAt: new Date('2026-12-10T19:00:00Z') }
			},
			deps()
		);
		expect(moved.notified).toBe(2);
		expect(moved.event.sequence).toBe(1);
		const after = await sequenceOf();
		expect(after.sequence).toBe(1);
		expect(new ICAL.Event(after.vevent).startDate.toJSDate().toISOString()).toBe('2026-12-10T17:00:00.000Z');
		const mails = await ctx.db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'event.registration_changed'));
		expect(mails.map((m) => m.toAddress).sort()).toEqual(['anneke@example.nl', 'helene@example.org']);
		const english = mails.find((m) => m.toAddress === 'anneke@example.nl')!;
		expect(english.subject).toContain('Change: Information meeting');
		// British dates on English mails (en-GB), not US ones.
		expect(english.textBody).toContain('10 December 2026');
		const french = mails.find((m) => m.toAddress === 'helene@example.org')!;
		expect(french.subject).toContain('Changement : Réunion d’information à Simorre');
		expect(french.textBody).toContain('jeudi 10 décembre 2026');

		// Unpublishing would drop it from their calendars silently: refused, named on the status.
		await expect(
			issuesOf(updateEvent({ actor: advisor, eventId: simorreEvent.id, input: { status: 'draft' } }, deps()))
		).resolves.toEqual(['status:event.has_registrations']);

		// A new place is a change too.
		const relocated = await updateEvent(
			{ actor: advisor, eventId: simorreEvent.id, input: { address: 'Mairie de Simorre' } },
			deps()
		);
		expect(relocated.event.sequence).toBe(2);
		expect(relocated.notified).toBe(2);
	});

	test('a cancellation tells every registrant, and the calendar says CANCELLED with a higher SEQUENCE', async () => {
		const { advisor, programme, simorreEvent } = await setup();
		await registerForEvent(
			{
				programmeId: programme.id,
				eventId: simorreEvent.id,
				input: { name: 'Anneke de Vries', email: 'anneke@example.nl' },
				locale: 'en'
			},
			{ db: ctx.db, config, now: NOW }
		);
		const { event, notified } = await cancelEvent({ actor: advisor, eventId: simorreEvent.id }, deps());
		expect(event.status).toBe('cancelled');
		expect(notified).toBe(1);
		// Twice: nothing more is sent.
		expect((await cancelEvent({ actor: advisor, eventId: simorreEvent.id }, deps())).notified).toBe(0);
		const [mail] = await ctx.db
			.select()
			.from(mailMessagesTable)
			.where(eq(mailMessagesTable.kind, 'event.registration_cancelled'));
		expect(mail.toAddress).toBe('anneke@example.nl');
		expect(mail.subject).toBe('Cancelled: Information meeting');
		expect(mail.textBody).not.toContain('/events/registrations/');
		const { text } = await getEventCalendarFile(
			{ programmeId: programme.id, eventId: simorreEvent.id },
			{ db: ctx.db, config, now: NOW }
		);
		const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
		expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
		expect(vevent.getFirstPropertyValue('sequence')).toBe(1);
		const audit = await ctx.db
			.select()
			.from(auditEntriesTable)
			.where(and(eq(auditEntriesTable.entityId, simorreEvent.id), eq(auditEntriesTable.action, 'cancel')));
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ entityType: 'event', actorId: advisor.userId, caseId: null });
		expect(audit[0].after).toMatchObject({ status: 'cancelled' });
	});

	test('a duplicate is a new draft on the new date, with the same duration, place and village', async () => {
		const { advisor, mayor, simorreEvent, simorre } = await setup();
		await cancelEvent({ actor: advisor, eventId: simorreEvent.id }, deps());
		const { event: copy } = await duplicateEvent(
			{ actor: mayor, eventId: simorreEvent.id, input: { startsAt: new Date('2027-01-14T17:30:00Z') } },
			{ db: ctx.db, now: NOW }
		);
		expect(copy.id).not.toBe(simorreEvent.id);
		expect(copy).toMatchObject({
			status: 'draft',
			sequence: 0,
			villageId: simorre.id,
			titleFr: simorreEvent.titleFr,
			address: 'Salle des fêtes',
			communeCode: '32433',
			createdBy: mayor.userId
		});
		expect(copy.endsAt.toISOString()).toBe('2027-01-14T19:30:00.000Z');
		await expect(
			issuesOf(
				duplicateEvent(
					{ actor: advisor, eventId: simorreEvent.id, input: { startsAt: new Date('2026-11-01T17:00:00Z') } },
					{ db: ctx.db, now: NOW }
				)
			)
		).resolves.toEqual(['startsAt:event.starts_in_past']);
		await expect(
			issuesOf(
				duplicateEvent(
					{
						actor: advisor,
						eventId: simorreEvent.id,
						input: { startsAt: new Date('2027-01-14T17:30:00Z'), endsAt: new Date('2027-01-14T16:00:00Z') }
					},
					{ db: ctx.db, now: NOW }
				)
			)
		).resolves.toEqual(['endsAt:event.ends_before_start']);
	});

	test('bad input: a village of another programme, a cancelled or past event, a start moved into the past', async () => {
		const { advisor, base, lotVillage, simorreEvent, samatanEvent } = await setup();
		await expect(
			issuesOf(createEvent({ actor: advisor, input: { ...base, villageId: lotVillage.id } }, { db: ctx.db }))
		).resolves.toEqual(['villageId:event.invalid_village']);
		await expect(
			issuesOf(
				updateEvent(
					{
						actor: advisor,
						eventId: simorreEvent.id,
						input: { startsAt: new Date('2026-11-01T17:00:00Z'), endsAt: new Date('2026-11-01T19:00:00Z') }
					},
					deps()
				)
			)
		).resolves.toEqual(['startsAt:event.starts_in_past']);
		await cancelEvent({ actor: advisor, eventId: simorreEvent.id }, deps());
		await expectDomainError(
			updateEvent({ actor: advisor, eventId: simorreEvent.id, input: { capacity: 3 } }, deps()),
			'event.is_cancelled'
		);
		// After the event: its texts may be fixed, not its date or place; it cannot be cancelled.
		const later = { db: ctx.db, config, now: new Date('2026-12-05T09:00:00Z') };
		const { event: fixed } = await updateEvent(
			{ actor: advisor, eventId: samatanEvent.id, input: { descriptionFr: 'Compte rendu en ligne.' } },
			later
		);
		expect(fixed.descriptionFr).toBe('Compte rendu en ligne.');
		await expect(
			issuesOf(
				updateEvent({ actor: advisor, eventId: samatanEvent.id, input: { address: 'Ailleurs' } }, later)
			)
		).resolves.toEqual(['address:event.is_past']);
		await expectDomainError(
			cancelEvent({ actor: advisor, eventId: samatanEvent.id }, later),
			'event.is_past'
		);
		const [row] = await ctx.db.select().from(eventsTable).where(eq(eventsTable.id, samatanEvent.id));
		expect(row).toMatchObject({ status: 'published', address: 'Salle des fêtes', sequence: 0 });
	});
});
