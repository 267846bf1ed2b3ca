import { describe, expect, test } from 'vitest';
import { communeChoiceLabel, communeChoiceText, communeCodeOfChoice, communeNameKey } from './communes.ts';

const communes = [
	{ code: '32208', name: 'Lectoure' },
	{ code: '32160', name: "L'Isle-Jourdain" },
	{ code: '32013', name: 'Auch' },
	{ code: '32399', name: 'Saint-Clar' },
	{ code: '32107', name: 'Éauze' },
	{ code: '31001', name: 'Castelnau' },
	{ code: '32090', name: 'Castelnau' }
];

describe('a commune chosen by name', () => {
	test('the label a picker shows is the name with the code', () => {
		expect(communeChoiceLabel({ code: '32208', name: 'Lectoure' })).toBe('Lectoure (32208)');
	});

	test('a chosen label, a bare code or a code in any text gives the code', () => {
		expect(communeCodeOfChoice('Lectoure (32208)', communes)).toBe('32208');
		expect(communeCodeOfChoice(' 32208 ', communes)).toBe('32208');
		expect(communeCodeOfChoice('2a004', communes)).toBe('2A004');
		expect(communeCodeOfChoice('Ajaccio (2A004)', communes)).toBe('2A004');
	});

	test('a name alone gives its code whatever the accents, case, hyphens and apostrophes', () => {
		expect(communeCodeOfChoice('lectoure', communes)).toBe('32208');
		expect(communeCodeOfChoice('l isle jourdain', communes)).toBe('32160');
		expect(communeCodeOfChoice('L’Isle Jourdain', communes)).toBe('32160');
		expect(communeCodeOfChoice('St Clar', communes)).toBe('32399');
		expect(communeCodeOfChoice('eauze', communes)).toBe('32107');
		expect(communeCodeOfChoice('ÉAUZE', communes)).toBe('32107');
	});

	test('an unknown or ambiguous name comes back as typed, for the service to refuse', () => {
		expect(communeCodeOfChoice('Atlantis', communes)).toBe('Atlantis');
		expect(communeCodeOfChoice(' Castelnau ', communes)).toBe('Castelnau');
		expect(communeCodeOfChoice('', communes)).toBe('');
		expect(communeCodeOfChoice('Lecto', communes)).toBe('Lecto');
	});

	test('a five-digit number inside a longer number is not read as a code', () => {
		expect(communeCodeOfChoice('1232208', communes)).toBe('1232208');
	});

	test('names compare without accents, case or punctuation', () => {
		expect(communeNameKey("Saint-Jean-d'Angély")).toBe('saint jean d angely');
		expect(communeNameKey('Ste Christie')).toBe('sainte christie');
	});

	test('a saved code shows as its label, an unknown one as itself', () => {
		expect(communeChoiceText('32013', communes)).toBe('Auch (32013)');
		expect(communeChoiceText('99999', communes)).toBe('99999');
		expect(communeChoiceText('', communes)).toBe('');
	});
});
