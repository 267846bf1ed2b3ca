import { expect, test } from 'vitest';
import { parseConfig } from '../../config.ts';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { ValidationError } from '../../validation.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { createWorkspace } from '../workspace/workspace.service.ts';
import {
	cancelEvent,
	createEvent,
	getPublicEvent,
	listPastEvents,
	listPublicEvents,
	updateEvent
} from './event.service.ts';
import { createTestProgrammes, createTestUser } from '../../testing/factories.ts';

const NOW = new Date('2025-06-01T10:00:00Z');
const at = (iso: string) => new Date(iso);
const config = parseConfig({ NODE_ENV: 'test', ORIGIN: 'https://soho.example' });

describeEachDb('events', (ctx) => {
	const setup = async () => {
		const { programme, other } = await createTestProgrammes(ctx.db);
		const { actor: advisor } = await createTestUser(ctx.db, {
			role: 'advisor',
			programmeId: programme.id,
			email: 'a@x.org'
		});
		const { actor: member } = await createTestUser(ctx.db, {
			role: 'member',
			programmeId: programme.id,
			email: 'm@x.org'
		});
		const { actor: otherAdmin } = await createTestUser(ctx.db, {
			role: 'admin',
			programmeId: other.id,
			email: 'o@x.org'
		});
		const { workspace } = await createWorkspace(
			{
				input: {
					programmeId: programme.id,
					communeCode: '32433',
					kind: 'tiers_lieu',
					name: 'Tiers-lieu de Simorre',
					address: 'Place du village, 32420 Simorre'
				}
			},
			{ db: ctx.db }
		);
		const { event: breakfast } = await createEvent(
			{
				actor: advisor,
				input: {
					programmeId: programme.id,
					kind: 'breakfast',
					titleFr: 'Petit-déjeuner des solos',
					titleEn: 'Solos’ breakfast',
					descriptionFr: 'On se retrouve **au tiers-lieu**.',
					startsAt: '2025-06-12T08:30:00+02:00',
					endsAt: '2025-06-12T10:30:00+02:00',
					workspaceId: workspace.id,
					capacity: 20
				}
			},
			{ db: ctx.db }
		);
		const { event: meeting } = await createEvent(
			{
				input: {
					programmeId: programme.id,
					kind: 'information_meeting',
					titleFr: 'Réunion d’information à Auch',
					startsAt: at('2025-06-05T16:00:00Z'),
					endsAt: at('2025-06-05T18:00:00Z'),
					address: 'Maison des associations, Auch',
					communeCode: '32013'
				}
			},
			{ db: ctx.db }
		);
		const { event: past } = await createEvent(
			{
				input: {
					programmeId: programme.id,
					kind: 'workshop',
					titleFr: 'Atelier facturation',
					startsAt: at('2025-05-10T08:00:00Z'),
					endsAt: at('2025-05-10T10:00:00Z'),
					isOnline: true
				}
			},
			{ db: ctx.db }
		);
		return { programme, other, advisor, member, otherAdmin, workspace, breakfast, meeting, past };
	};

	test('the public agenda lists upcoming published events soonest first, in the reader’s language', async () => {
		const { programme, advisor, breakfast, meeting } = await setup();
		await createEvent(
			{
				actor: advisor,
				input: {
					programmeId: programme.id,
					kind: 'afterwork',
					titleFr: 'Afterwork en préparation',
					startsAt: at('2025-06-20T17:00:00Z'),
					endsAt: at('2025-06-20T19:00:00Z'),
					address: 'Auch',
					status: 'draft'
				}
			},
			{ db: ctx.db }
		);
		const { events } = await listPublicEvents(
			{ programmeId: programme.id, locale: 'en' },
			{ db: ctx.db, now: NOW }
		);
		expect(events.map((e) => e.id)).toEqual([meeting.id, breakfast.id]);
		expect(events[1]).toMatchObject({
			title: 'Solos’ breakfast',
			// no English description: the French one stands in
			description: 'On se retrouve **au tiers-lieu**.',
			workspace: { slug: 'tiers-lieu-de-simorre', name: 'Tiers-lieu de Simorre' },
			address: 'Place du village, 32420 Simorre',
			communeName: 'Simorre',
			capacity: 20
		});
		expect(events[0]).toMatchObject({ title: 'Réunion d’information à Auch', communeName: 'Auch' });
		const { events: workshops } = await listPublicEvents(
			{ programmeId: programme.id, kinds: ['breakfast'] },
			{ db: ctx.db, now: NOW }
		);
		expect(workshops.map((e) => e.id)).toEqual([breakfast.id]);
	});

	test('past events come most recent first, limited, and another programme sees none of them', async () => {
		const { programme, other, past } = await setup();
		const { events } = await listPastEvents(
			{ programmeId: programme.id, limit: 5 },
			{ db: ctx.db, now: NOW }
		);
		expect(events.map((e) => e.id)).toEqual([past.id]);
		expect(events[0].isOnline).toBe(true);
		const { events: none } = await listPublicEvents({ programmeId: other.id }, { db: ctx.db, now: NOW });
		expect(none).toEqual([]);
		await expectDomainError(
			getPublicEvent({ programmeId: other.id, eventId: past.id }, { db: ctx.db }),
			'event.not_found'
		);
	});

	test('a cancelled event leaves the lists but its page still says it is cancelled; drafts have no page', async () => {
		const { programme, advisor, breakfast } = await setup();
		const deps = { db: ctx.db, config, now: NOW };
		await cancelEvent({ actor: advisor, eventId: breakfast.id }, deps);
		await cancelEvent({ actor: advisor, eventId: breakfast.id }, deps);
		const { events } = await listPublicEvents({ programmeId: programme.id }, { db: ctx.db, now: NOW });
		expect(events.map((e) => e.id)).not.toContain(breakfast.id);
		const { event } = await getPublicEvent(
			{ programmeId: programme.id, eventId: breakfast.id },
			{ db: ctx.db }
		);
		expect(event.status).toBe('cancelled');
		const { event: draft } = await createEvent(
			{
				actor: advisor,
				input: {
					programmeId: programme.id,
					kind: 'afterwork',
					titleFr: 'Afterwork en préparation',
					startsAt: at('2025-06-20T17:00:00Z'),
					endsAt: at('2025-06-20T19:00:00Z'),
					address: 'Auch',
					status: 'draft'
				}
			},
			{ db: ctx.db }
		);
		await expectDomainError(
			getPublicEvent({ programmeId: programme.id, eventId: draft.id }, { db: ctx.db }),
			'event.not_found'
		);
		await expectDomainError(
			getPublicEvent({ programmeId: programme.id, eventId: 'not-an-id' }, { db: ctx.db }),
			'event.not_found'
		);
	});

	test('only admins and advisors of the programme schedule and edit events', async () => {
		const { programme, member, otherAdmin, advisor, meeting } = await setup();
		const input = {
			programmeId: programme.id,
			kind: 'workshop' as const,
			titleFr: 'Atelier',
			startsAt: at('2025-07-01T08:00:00Z'),
			endsAt: at('2025-07-01T10:00:00Z'),
			address: 'Auch'
		};
		await expectDomainError(createEvent({ actor: member, input }, { db: ctx.db }), 'event.forbidden');
		await expectDomainError(createEvent({ actor: otherAdmin, input }, { db: ctx.db }), 'programme.not_found');
		await expectDomainError(
			updateEvent(
				{ actor: member, eventId: meeting.id, input: { capacity: 5 } },
				{ db: ctx.db, config, now: NOW }
			),
			'event.not_found'
		);
		await expectDomainError(
			cancelEvent({ actor: otherAdmin, eventId: meeting.id }, { db: ctx.db, config, now: NOW }),
			'event.not_found'
		);
		const { event } = await updateEvent(
			{
				actor: advisor,
				eventId: meeting.id,
				input: { capacity: 40, titleEn: 'Information meeting in Auch' }
			},
			{ db: ctx.db, config, now: NOW }
		);
		expect(event).toMatchObject({
			capacity: 40,
			titleEn: 'Information meeting in Auch',
			status: 'published'
		});
	});

	test('bad input is refused field by field and nothing is written', async () => {
		const { programme, other, advisor, meeting } = await setup();
		const { workspace: foreign } = await createWorkspace(
			{ input: { programmeId: other.id, communeCode: '32013', kind: 'coworking', name: 'Ailleurs' } },
			{ db: ctx.db }
		);
		const codes = async (promise: Promise<unknown>) => {
			const error = await expectDomainError(promise, 'validation.invalid_input');
			return (error as ValidationError).issues.map((i) => `${i.field}:${i.code}`).sort();
		};
		await expect(
			codes(
				createEvent(
					{
						actor: advisor,
						input: {
							programmeId: programme.id,
							kind: 'party' as never,
							titleFr: 'x',
							startsAt: 'not a date',
							endsAt: at('2025-07-01T10:00:00Z'),
							capacity: 0
						}
					},
					{ db: ctx.db }
				)
			)
		).resolves.toEqual([
			'capacity:event.invalid_capacity',
			'kind:event.invalid_kind',
			'startsAt:event.invalid_dates',
			'titleFr:event.invalid_title'
		]);
		await expect(
			codes(
				createEvent(
					{
						actor: advisor,
						input: {
							programmeId: programme.id,
							kind: 'workshop',
							titleFr: 'Atelier',
							startsAt: at('2025-07-01T10:00:00Z'),
							endsAt: at('2025-07-01T09:00:00Z')
						}
					},
					{ db: ctx.db }
				)
			)
		).resolves.toEqual(['address:event.missing_place', 'endsAt:event.ends_before_start']);
		await expect(
			codes(
				updateEvent(
					{ actor: advisor, eventId: meeting.id, input: { workspaceId: foreign.id, communeCode: '99999' } },
					{ db: ctx.db, config, now: NOW }
				)
			)
		).resolves.toEqual(['communeCode:event.commune_not_found', 'workspaceId:event.invalid_workspace']);
		await expect(
			codes(
				updateEvent(
					{ actor: advisor, eventId: meeting.id, input: { endsAt: at('2025-07-30T10:00:00Z') } },
					{ db: ctx.db, config, now: NOW }
				)
			)
		).resolves.toEqual(['endsAt:event.too_long']);
		const { events } = await listPublicEvents({ programmeId: programme.id }, { db: ctx.db, now: NOW });
		expect(events).toHaveLength(2);
		expect(events.find((e) => e.id === meeting.id)?.communeName).toBe('Auch');
	});
});
