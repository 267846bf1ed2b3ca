import { describe, expect, test } from 'vitest';
import {
	candidatePhrases,
	canSee,
	languageCode,
	normaliseWebsite,
	parseDirectoryQuery,
	projectProfile,
	queryTokens,
	splitSkills
} from './member.rules.ts';
import { DEFAULT_PROFILE_VISIBILITY } from '../../db/schema/index.ts';

describe('reading a directory query', () => {
	test('language names in French or English become language filters, trades match across languages', () => {
		const fr = parseDirectoryQuery('traductrice néerlandais');
		const en = parseDirectoryQuery('Dutch translator');
		expect(fr.languages).toEqual(['nl']);
		expect(en.languages).toEqual(['nl']);
		expect(fr.terms[0].patterns).toEqual(en.terms[0].patterns);
		expect(fr.terms[0].patterns).toContain('tradu');
	});

	test('a commune named in the text becomes the place, whatever its accents, case or hyphens', () => {
		const communes = new Map([
			['lectoure', '32208'],
			['saint clar', '32399']
		]);
		expect(parseDirectoryQuery('a translator who speaks Dutch near Lectoure', communes)).toMatchObject({
			languages: ['nl'],
			communeCode: '32208',
			terms: [{ word: 'translator' }]
		});
		expect(parseDirectoryQuery('graphiste SAINT-CLAR', communes)).toMatchObject({
			communeCode: '32399',
			terms: [{ word: 'graphiste' }]
		});
		expect(candidatePhrases(queryTokens('près de Saint-Clar'))).toContain('saint clar');
	});

	test('plain words match themselves, plural s dropped; stop words are ignored', () => {
		expect(parseDirectoryQuery('les potiers qui parlent').terms.map((t) => t.word)).toEqual(['potiers']);
		expect(parseDirectoryQuery('jardins').terms).toEqual([{ word: 'jardins', patterns: ['jardin'] }]);
	});
});

describe('profile fields and visibility', () => {
	test('visitors see public fields, members also members-only ones, nobody else hidden ones', () => {
		expect(canSee('public', 'public')).toBe(true);
		expect(canSee('members', 'public')).toBe(false);
		expect(canSee('members', 'members')).toBe(true);
		expect(canSee('hidden', 'members')).toBe(false);
		expect(canSee('hidden', 'owner')).toBe(true);
		const profile = {
			id: 'mbr_x',
			displayName: 'Anna',
			headline: 'Traduction',
			skills: ['Traduction'],
			services: null,
			languages: ['nl'],
			communeCode: '32208',
			website: 'https://example.org/',
			visibility: DEFAULT_PROFILE_VISIBILITY,
			isAmbassador: false,
			isDemo: false,
			updatedAt: new Date()
		};
		expect(projectProfile(profile, 'public', 'anna@example.org')).toMatchObject({
			displayName: null,
			communeCode: null,
			email: null,
			headline: 'Traduction'
		});
		expect(projectProfile(profile, 'members', 'anna@example.org')).toMatchObject({
			displayName: 'Anna',
			communeCode: '32208',
			email: null
		});
	});

	test('languages are typed as codes or names, websites only as http(s) links, skills without duplicates', () => {
		expect(languageCode('NL')).toBe('nl');
		expect(languageCode('Néerlandais')).toBe('nl');
		expect(languageCode('German')).toBe('de');
		expect(languageCode('klingon')).toBeNull();
		expect(normaliseWebsite('example.org')).toBe('https://example.org/');
		expect(normaliseWebsite('javascript:alert(1)')).toBeNull();
		expect(normaliseWebsite('ftp://example.org')).toBeNull();
		expect(splitSkills('Traduction, traduction ,  Relecture\nUX')).toEqual(['Traduction', 'Relecture', 'UX']);
	});
});
