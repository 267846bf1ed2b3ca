import { describe, expect, test } from 'vitest';
import { renderCalendar } from '../../calendar/ics.ts';
import { isMeetingWithinStay, stayCalendarEvents, stayStateOf } from './discovery-stay.rules.ts';

describe('discovery stay rules', () => {
	test('a planned stay is completed from its last day on (Paris time); a cancelled one stays cancelled', () => {
		const stay = { status: 'planned' as const, endsOn: '2026-06-22' };
		expect(stayStateOf(stay, new Date('2026-06-21T21:59:00Z'))).toBe('planned');
		// 22 June 00:30 in Paris is still 21 June in UTC.
		expect(stayStateOf(stay, new Date('2026-06-21T22:30:00Z'))).toBe('completed');
		expect(stayStateOf({ ...stay, status: 'cancelled' }, new Date('2026-07-01T00:00:00Z'))).toBe('cancelled');
	});

	test('a meeting belongs to the stay when it starts and ends on the stay’s days, in Paris time', () => {
		const stay = { startsOn: '2026-06-20', endsOn: '2026-06-22' };
		const at = (iso: string) => new Date(iso);
		expect(isMeetingWithinStay(stay, at('2026-06-20T07:00:00Z'), at('2026-06-20T08:00:00Z'))).toBe(true);
		// 23:30 on the 19th in UTC is 01:30 on the 20th in Paris.
		expect(isMeetingWithinStay(stay, at('2026-06-19T23:30:00Z'), at('2026-06-20T00:30:00Z'))).toBe(true);
		expect(isMeetingWithinStay(stay, at('2026-06-19T20:00:00Z'), at('2026-06-19T21:00:00Z'))).toBe(false);
		// Ends after midnight on the last day (Paris): outside.
		expect(isMeetingWithinStay(stay, at('2026-06-22T21:00:00Z'), at('2026-06-22T22:30:00Z'))).toBe(false);
	});

	test('the calendar holds the stay over its whole days and each meeting; a declined meeting is cancelled', () => {
		const updatedAt = new Date('2026-06-01T09:00:00Z');
		const events = stayCalendarEvents(
			{
				id: 'sty_abc',
				title: 'Séjour à Simorre',
				startsOn: '2026-10-24',
				endsOn: '2026-10-25',
				lodging: 'Gîte',
				status: 'planned',
				sequence: 2,
				updatedAt
			},
			[
				{
					id: 'stm_one',
					startsAt: new Date('2026-10-25T09:00:00Z'),
					endsAt: new Date('2026-10-25T10:00:00Z'),
					place: 'Mairie',
					topic: 'Visite',
					response: 'declined',
					hostName: 'Marie'
				}
			],
			{ domain: 'soho.test', lodgingLabel: 'Hébergement' }
		);
		const ics = renderCalendar({ name: 'Mon séjour', events, now: new Date('2026-06-02T00:00:00Z') });
		const lines = ics.split('\r\n');
		// Paris changes from summer to winter time on 25 October 2026: midnight is 22:00Z, then 23:00Z.
		expect(lines).toContain('DTSTART:20261023T220000Z');
		expect(lines).toContain('DTEND:20261025T230000Z');
		expect(lines).toContain('UID:stm_one@soho.test');
		expect(lines).toContain('SUMMARY:Visite — Marie');
		expect(lines).toContain('DESCRIPTION:Hébergement: Gîte');
		expect(lines.filter((l) => l.startsWith('STATUS:'))).toEqual(['STATUS:CONFIRMED', 'STATUS:CANCELLED']);
		expect(lines.filter((l) => l === 'SEQUENCE:2')).toHaveLength(2);
		expect(lines).toContain('X-WR-CALNAME:Mon séjour');
	});
});
