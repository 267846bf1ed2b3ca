/*
 * Dates of the programme, in its time zone, for the browser and the server alike: today's
 * date, and the values of <input type="datetime-local"> read and written in that zone.
 */

/** Dates and times are shown, and typed, in the programme's time zone (the Gers). */
export const TIME_ZONE = 'Europe/Paris';

/** Wall-clock parts of a date in the programme's time zone. */
function zonedParts(date: Date): Record<string, string> {
	const parts = new Intl.DateTimeFormat('en-CA', {
		timeZone: TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23'
	}).formatToParts(date);
	return Object.fromEntries(parts.map((part) => [part.type, part.value]));
}

/** Today in the programme's time zone, as YYYY-MM-DD. */
export function todayIso(now = new Date()): string {
	const p = zonedParts(now);
	return `${p.year}-${p.month}-${p.day}`;
}

/** A value for <input type="datetime-local">, in the programme's time zone. */
export function toLocalInput(date: Date): string {
	const p = zonedParts(date);
	return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * Reads a datetime-local value typed in the programme's time zone. Anything else is
 * returned unchanged, for the service to judge.
 */
export function fromLocalInput(value: string): string {
	const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
	if (!match) return value;
	const [, y, mo, d, h, mi] = match.map(Number);
	const guess = Date.UTC(y, mo - 1, d, h, mi);
	// The zone's offset at that moment: format the UTC guess there and compare.
	const p = zonedParts(new Date(guess));
	const asZoned = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
	return new Date(guess - (asZoned - guess)).toISOString();
}
