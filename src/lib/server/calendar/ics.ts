/**
 * iCalendar (RFC 5545) files for events: one event (`.ics` download, mail attachment) or a feed
 * of a programme's events that calendar applications subscribe to. Times are written in UTC
 * (no VTIMEZONE needed); text is escaped and long lines folded at 75 octets.
 */

export type CalendarEvent = {
	/** Globally unique and stable across updates, e.g. `evt_…@soho.example`. */
	uid: string;
	title: string;
	description?: string | null;
	location?: string | null;
	url?: string | null;
	startsAt: Date;
	endsAt: Date;
	isCancelled?: boolean;
	/**
	 * RFC 5545 SEQUENCE: the revision of the event, grown at each change of date, time or place
	 * and at cancellation; calendar applications replace their copy when it grows.
	 */
	sequence: number;
	/** Last change of any kind (LAST-MODIFIED). */
	updatedAt: Date;
};

export type Calendar = {
	/** Name shown by calendar applications for a feed. */
	name: string;
	events: CalendarEvent[];
	/** The time written in DTSTAMP (now, by default). */
	now?: Date;
};

const PRODID = '-//soho//rural welcome programme//FR';

/** 20261126T073000Z */
export function formatUtc(date: Date): string {
	return date
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
}

/** TEXT values: backslash, semicolon and comma escaped, newlines as \n. */
export function escapeText(value: string): string {
	return value
		.replace(/\\/g, '\\\\')
		.replace(/;/g, '\\;')
		.replace(/,/g, '\\,')
		.replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line to at most 75 octets per physical line, never splitting a UTF-8 character. */
export function foldLine(line: string): string {
	const encoder = new TextEncoder();
	if (encoder.encode(line).length <= 75) return line;
	const parts: string[] = [];
	let current = '';
	let size = 0;
	// The first line holds 75 octets; continuation lines start with a space, so 74 more each.
	let limit = 75;
	for (const char of line) {
		const bytes = encoder.encode(char).length;
		if (size + bytes > limit) {
			parts.push(current);
			current = '';
			size = 0;
			limit = 74;
		}
		current += char;
		size += bytes;
	}
	parts.push(current);
	return parts.join('\r\n ');
}

function eventLines(event: CalendarEvent, now: Date): string[] {
	const lines = [
		'BEGIN:VEVENT',
		`UID:${event.uid}`,
		`DTSTAMP:${formatUtc(now)}`,
		`DTSTART:${formatUtc(event.startsAt)}`,
		`DTEND:${formatUtc(event.endsAt)}`,
		`SUMMARY:${escapeText(event.title)}`,
		`SEQUENCE:${Math.max(0, Math.floor(event.sequence))}`,
		`LAST-MODIFIED:${formatUtc(event.updatedAt)}`,
		`STATUS:${event.isCancelled ? 'CANCELLED' : 'CONFIRMED'}`
	];
	if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
	if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
	if (event.url) lines.push(`URL:${event.url}`);
	lines.push('END:VEVENT');
	return lines;
}

/** The calendar file: CRLF line endings, folded lines, one VEVENT per event. */
export function renderCalendar({ name, events, now = new Date() }: Calendar): string {
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		`PRODID:${PRODID}`,
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		`X-WR-CALNAME:${escapeText(name)}`,
		...events.flatMap((event) => eventLines(event, now)),
		'END:VCALENDAR'
	];
	return lines.map(foldLine).join('\r\n') + '\r\n';
}
