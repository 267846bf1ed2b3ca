import { describe, expect, test } from 'vitest';
import {
	countryOfOriginText,
	foldVocabularyText,
	keyOfText,
	originValues,
	resolveVocabularyValue
} from './vocabulary.rules.ts';

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

	test('an origin names its region whatever the accents and case, old regions included', () => {
		expect(keyOfText('origin', 'Île-de-France')).toBe('ile_de_france');
		expect(keyOfText('origin', 'ILE DE FRANCE')).toBe('ile_de_france');
		expect(keyOfText('origin', 'idf')).toBe('ile_de_france');
		expect(keyOfText('origin', 'Provence-Alpes-Côte d’Azur')).toBe('provence_alpes_cote_d_azur');
		expect(keyOfText('origin', 'PACA')).toBe('provence_alpes_cote_d_azur');
		expect(keyOfText('origin', 'Midi-Pyrénées')).toBe('occitanie');
		expect(keyOfText('origin', 'Poitou-Charentes')).toBe('nouvelle_aquitaine');
		expect(keyOfText('origin', 'Normandy')).toBe('normandie');
		expect(keyOfText('origin', 'Corse')).toBe('corse');
	});

	test('a département, by name or number, or a postcode names its region', () => {
		expect(keyOfText('origin', 'Haute-Garonne')).toBe('occitanie');
		expect(keyOfText('origin', 'Haute-Garonne (Toulouse)')).toBe('occitanie');
		expect(keyOfText('origin', 'Bouches-du-Rhône')).toBe('provence_alpes_cote_d_azur');
		expect(keyOfText('origin', 'Loire')).toBe('auvergne_rhone_alpes');
		expect(keyOfText('origin', 'Pays de la Loire')).toBe('pays_de_la_loire');
		expect(keyOfText('origin', '75')).toBe('ile_de_france');
		expect(keyOfText('origin', '32')).toBe('occitanie');
		expect(keyOfText('origin', '2A')).toBe('corse');
		expect(keyOfText('origin', '5')).toBe('provence_alpes_cote_d_azur');
		expect(keyOfText('origin', '31000')).toBe('occitanie');
		expect(keyOfText('origin', 'Lyon 69003')).toBe('auvergne_rhone_alpes');
		// A number inside a text is no département ("Paris 15e" is not Cantal).
		expect(keyOfText('origin', 'Paris 15e')).toBe('ile_de_france');
	});

	test('a city names its region when it points to one place only', () => {
		expect(keyOfText('origin', 'Paris')).toBe('ile_de_france');
		expect(keyOfText('origin', 'Lyon')).toBe('auvergne_rhone_alpes');
		expect(keyOfText('origin', 'toulouse')).toBe('occitanie');
		expect(keyOfText('origin', 'Vienne')).toBeNull();
		expect(keyOfText('origin', 'Paris et Lyon')).toBeNull();
		expect(keyOfText('origin', 'Saint-Maurice')).toBeNull();
	});

	test('overseas départements are "overseas"; overseas collectivities are left to an advisor', () => {
		expect(keyOfText('origin', 'La Réunion')).toBe('overseas');
		expect(keyOfText('origin', 'Guadeloupe')).toBe('overseas');
		expect(keyOfText('origin', '971')).toBe('overseas');
		expect(keyOfText('origin', 'DROM')).toBe('overseas');
		expect(keyOfText('origin', 'Polynésie')).toBeNull();
		expect(keyOfText('origin', 'Nouvelle-Calédonie')).toBeNull();
	});

	test('a country, its code or a usual name is abroad, with its ISO code', () => {
		expect(keyOfText('origin', 'Belgique')).toBe('abroad');
		expect(countryOfOriginText('Belgique')).toBe('BE');
		expect(countryOfOriginText('UK')).toBe('GB');
		expect(countryOfOriginText('Royaume-Uni')).toBe('GB');
		expect(countryOfOriginText('Pays-Bas')).toBe('NL');
		expect(countryOfOriginText('Germany')).toBe('DE');
		expect(countryOfOriginText('nl')).toBe('NL');
		expect(keyOfText('origin', 'étranger')).toBe('abroad');
		expect(countryOfOriginText('étranger')).toBeNull();
		expect(countryOfOriginText('France')).toBeNull();
		expect(countryOfOriginText('Île-de-France')).toBeNull();
	});

	test('an origin is stored as a key, a country, or "other" with the text as typed', () => {
		expect(originValues({ originCountry: 'FR', originArea: 'Île-de-France' })).toEqual({
			originCountry: 'FR',
			originArea: 'ile_de_france',
			originAreaOther: null
		});
		expect(originValues({ originArea: 'Belgique' })).toEqual({
			originCountry: 'BE',
			originArea: 'abroad',
			originAreaOther: null
		});
		expect(originValues({ originArea: 'other', originAreaOther: ' Polynésie ' })).toEqual({
			originCountry: undefined,
			originArea: 'other',
			originAreaOther: 'Polynésie'
		});
		// A country other than France is abroad, whatever region was typed beside it.
		expect(originValues({ originCountry: 'nl', originArea: 'Noord-Holland' })).toEqual({
			originCountry: 'NL',
			originArea: 'abroad',
			originAreaOther: null
		});
		// "Abroad" chosen with the country typed beside it (the application form).
		expect(originValues({ originArea: 'abroad', originAreaOther: 'Belgique' })).toEqual({
			originCountry: 'BE',
			originArea: 'abroad',
			originAreaOther: null
		});
		// "France" alone gives the country, not a region.
		expect(originValues({ originCountry: '', originArea: 'France' })).toEqual({
			originCountry: 'FR',
			originArea: null,
			originAreaOther: null
		});
		expect(originValues({ originCountry: null, originArea: '' })).toEqual({
			originCountry: null,
			originArea: null,
			originAreaOther: null
		});
		expect(originValues({ originArea: 'occitanie', originAreaOther: 'ignored' })).toMatchObject({
			originArea: 'occitanie',
			originAreaOther: null
		});
	});
});
