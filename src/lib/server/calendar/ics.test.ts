import ICAL from 'ical.js';
import { expect, test } from 'vitest';
import { escapeText, foldLine, formatUtc, renderCalendar } from './ics.ts';

const workshop = {
	uid: 'evt_abc123@soho.example',
	title: 'Atelier : trouver ses premiers clients, à Lectoure',
	description: 'Ordre du jour ; tour de table, puis\nateliers en petits groupes, café offert.',
	location: 'La Fabrique, 12 rue Nationale, 32700 Lectoure',
	url: 'https://soho.example/events/evt_abc123',
	startsAt: new Date('2026-12-03T08:30:00Z'),
	endsAt: new Date('2026-12-03T11:00:00Z'),
	sequence: 2,
	updatedAt: new Date('2026-11-20T10:00:00Z')
};

test('UTC times, escaped text and folded lines follow RFC 5545', () => {
	expect(formatUtc(new Date('2026-12-03T08:30:00.000Z'))).toBe('20261203T083000Z');
	expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
	const long = 'DESCRIPTION:' + 'é'.repeat(80);
	const folded = foldLine(long);
	for (const line of folded.split('\r\n'))
		expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
	expect(
		folded
			.split('\r\n')
			.map((line, i) => (i ? line.slice(1) : line))
			.join('')
	).toBe(long);
});

test('a real iCalendar parser reads the event back, accents and punctuation intact', () => {
	const text = renderCalendar({
		name: 'Gers — agenda',
		events: [workshop],
		now: new Date('2026-11-26T07:00:00Z')
	});
	expect(text.endsWith('\r\n')).toBe(true);
	expect(text.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
	const calendar = new ICAL.Component(ICAL.parse(text));
	expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
	expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Gers — agenda');
	const [vevent] = calendar.getAllSubcomponents('vevent');
	const event = new ICAL.Event(vevent);
	expect(event.uid).toBe(workshop.uid);
	expect(event.summary).toBe(workshop.title);
	expect(event.description).toBe(workshop.description);
	expect(event.location).toBe(workshop.location);
	expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-03T08:30:00.000Z');
	expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-03T11:00:00.000Z');
	expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
	expect(vevent.getFirstPropertyValue('sequence')).toBe(2);
});

test('a feed holds every event; a cancelled one says so', () => {
	const text = renderCalendar({
		name: 'Gers',
		events: [workshop, { ...workshop, uid: 'evt_other@soho.example', isCancelled: true, description: null }]
	});
	const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent');
	expect(events).toHaveLength(2);
	expect(events[1].getFirstPropertyValue('status')).toBe('CANCELLED');
	expect(events[1].getFirstPropertyValue('description')).toBeNull();
});
