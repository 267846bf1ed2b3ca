/**
 * Communes chosen by name in forms. A picker offers each commune as "Name (code)"; what a person
 * types back is read as a commune code when it names exactly one commune of the list: the code
 * itself, "Name (code)", or the name alone, whatever its accents, case, hyphens and apostrophes
 * ("l isle jourdain" is L'Isle-Jourdain). Pure code, used by the server and the browser.
 */
export type CommuneChoice = { code: string; name: string };

const CODE = /(?:^|[^0-9A-Z])(\d{5}|2[AB]\d{3})(?:$|[^0-9])/i;

/** What a picker shows for a commune, and what it sends back when the commune is chosen. */
export const communeChoiceLabel = (commune: CommuneChoice): string => `${commune.name} (${commune.code})`;

/** A commune's name as compared: no accents, lower case, words separated by single spaces, "st" read as "saint". */
export function communeNameKey(text: string): string {
	return text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim()
		.replace(/\bste\b/g, 'sainte')
		.replace(/\bst\b/g, 'saint');
}

/**
 * The code of the commune a person typed or chose: a code found in the text (as typed, upper
 * case), else the code of the only commune of `communes` with that name. When no commune, or
 * several, bear that name, the text comes back trimmed, so that the service refuses it with
 * its own message naming the field.
 */
export function communeCodeOfChoice(text: string, communes: readonly CommuneChoice[]): string {
	const trimmed = text.trim();
	const code = CODE.exec(trimmed)?.[1];
	if (code) return code.toUpperCase();
	const wanted = communeNameKey(trimmed);
	if (!wanted) return trimmed;
	const matches = communes.filter((commune) => communeNameKey(commune.name) === wanted);
	return matches.length === 1 ? matches[0].code : trimmed;
}

/** The text a picker shows for a saved code: "Name (code)" when the commune is in the list, else the code. */
export function communeChoiceText(code: string, communes: readonly CommuneChoice[]): string {
	const trimmed = code.trim();
	const commune = communes.find((c) => c.code === trimmed);
	return commune ? communeChoiceLabel(commune) : trimmed;
}
