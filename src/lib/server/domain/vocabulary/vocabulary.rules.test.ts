import { describe, expect, test } from 'vitest';
import { foldVocabularyText, keyOfText, resolveVocabularyValue } from './vocabulary.rules.ts';

describe('vocabulary rules', () => {
	test('texts are folded without accents, case or punctuation', () => {
		expect(foldVocabularyText('  Numérique / Web ')).toBe('numerique web');
		expect(foldVocabularyText('Salarié·e en télétravail')).toBe('salarie e en teletravail');
	});

	test('a label, a key or a usual word names its sector whatever the accents and case', () => {
		expect(keyOfText('sector', 'Numérique')).toBe('digital');
		expect(keyOfText('sector', 'NUMERIQUE')).toBe('digital');
		expect(keyOfText('sector', 'informatique')).toBe('it');
		expect(keyOfText('sector', 'BTP')).toBe('construction');
		expect(keyOfText('sector', 'Arts et culture')).toBe('arts');
		expect(keyOfText('sector', 'Arts and culture')).toBe('arts');
		expect(keyOfText('sector', 'personal_services')).toBe('personal_services');
		expect(keyOfText('sector', 'Services à la personne')).toBe('personal_services');
		expect(keyOfText('sector', 'santé')).toBe('health');
	});

	test('a text containing the words of one sector only is that sector', () => {
		expect(keyOfText('sector', 'Conseil en stratégie')).toBe('consulting');
		expect(keyOfText('sector', 'vente en ligne de vêtements')).toBe('it');
	});

	test('a text matching no sector, or several, names none', () => {
		expect(keyOfText('sector', 'Astrophysique')).toBeNull();
		expect(keyOfText('sector', 'conseil en informatique')).toBeNull();
		expect(keyOfText('sector', '   ')).toBeNull();
	});

	test('statuses are read from the words people write', () => {
		expect(keyOfText('status', 'Indépendante')).toBe('freelancer');
		expect(keyOfText('status', 'auto-entrepreneur')).toBe('freelancer');
		expect(keyOfText('status', 'Salarié·e en télétravail')).toBe('employee_teleworking');
		expect(keyOfText('status', 'Repreneuse')).toBe('business_buyer');
		expect(keyOfText('status', 'retraité')).toBeNull();
	});

	test('a key is stored as is and drops the typed text', () => {
		expect(resolveVocabularyValue('sector', 'crafts', 'ignored')).toEqual({ key: 'crafts', other: null });
	});

	test('"other" with a text naming a known sector is stored as that sector', () => {
		expect(resolveVocabularyValue('sector', 'other', 'numérique')).toEqual({ key: 'digital', other: null });
		expect(resolveVocabularyValue('sector', 'Numérique')).toEqual({ key: 'digital', other: null });
	});

	test('any other text is stored as "other" with the text as typed', () => {
		expect(resolveVocabularyValue('sector', 'other', '  Astrophysique ')).toEqual({
			key: 'other',
			other: 'Astrophysique'
		});
		expect(resolveVocabularyValue('sector', 'Astrophysique', null)).toEqual({
			key: 'other',
			other: 'Astrophysique'
		});
		expect(resolveVocabularyValue('status', 'retraité')).toEqual({ key: 'other', other: 'retraité' });
	});

	test('"other" alone, or a text saying "other", keeps no text; nothing given stays unknown', () => {
		expect(resolveVocabularyValue('sector', 'other', '')).toEqual({ key: 'other', other: null });
		expect(resolveVocabularyValue('sector', 'Autre')).toEqual({ key: 'other', other: null });
		expect(resolveVocabularyValue('sector', '', '')).toEqual({ key: null, other: null });
		expect(resolveVocabularyValue('sector', undefined)).toEqual({ key: null, other: null });
	});
});
