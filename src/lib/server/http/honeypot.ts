/**
 * The honeypot of the public forms: a field people never see (`Honeypot.svelte`), which bots
 * that fill every input give away. A filled honeypot gets the usual answer, and nothing is
 * stored or mailed. No outside service is involved.
 */
export const HONEYPOT_FIELD = 'website';

export function isHoneypotFilled(data: FormData): boolean {
	const value = data.get(HONEYPOT_FIELD);
	return typeof value === 'string' && value.trim() !== '';
}
