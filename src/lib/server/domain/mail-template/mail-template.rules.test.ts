import { expect, test } from 'vitest';
import {
	escapeMarkdown,
	fillVariables,
	findUnknownVariables,
	type MailTemplateValues
} from './mail-template.rules.ts';

const values: MailTemplateValues = {
	firstName: 'Anna',
	lastName: 'de Vries',
	reference: 'GERS-2026-0042',
	programme: 'Gers',
	advisor: 'Julien Dupuy',
	villages: 'Simorre, Samatan',
	stage: 'Qualifié'
};

test('unknown variables are listed once each, as written; known ones may have spaces inside the braces', () => {
	expect(
		findUnknownVariables('Bonjour {{ firstName }} {{prenom}} {{prenom}} {{ville}} {{reference}}')
	).toEqual(['{{prenom}}', '{{ville}}']);
	expect(findUnknownVariables('Pas de variable, {une accolade}.')).toEqual([]);
});

test('variables are replaced by the recipient’s values, escaped for Markdown when asked', () => {
	expect(fillVariables('{{firstName}} {{ lastName }} — {{reference}} ({{stage}})', values)).toBe(
		'Anna de Vries — GERS-2026-0042 (Qualifié)'
	);
	expect(fillVariables('**{{firstName}}**', { ...values, firstName: 'A_b*c' }, escapeMarkdown)).toBe(
		'**A\\_b\\*c**'
	);
});
