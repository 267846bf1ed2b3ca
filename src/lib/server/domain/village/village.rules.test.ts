import { expect, test } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import {
	canEditVillage,
	hasVillageService,
	pickLocalised,
	resolveCommitteeContact,
	slugify,
	villageChildcare
} from './village.rules.ts';

const actor = (role: Actor['role'], programmeId = 'prg_a'): Actor => ({
	userId: 'usr_1',
	name: 'Test',
	email: 't@example.org',
	role,
	programmeId,
	organisationId: null,
	locale: 'fr',
	isDemo: false
});
const simorre = { id: 'vil_simorre', programmeId: 'prg_a' };

test('staff edit every village of their programme, committee members only their own', () => {
	expect(canEditVillage(actor('admin'), simorre, [])).toBe(true);
	expect(canEditVillage(actor('advisor'), simorre, [])).toBe(true);
	expect(canEditVillage(actor('advisor', 'prg_b'), simorre, [])).toBe(false);
	expect(canEditVillage(actor('committee'), simorre, ['vil_simorre'])).toBe(true);
	expect(canEditVillage(actor('committee'), simorre, ['vil_samatan'])).toBe(false);
	expect(canEditVillage(actor('committee', 'prg_b'), simorre, ['vil_simorre'])).toBe(false);
	for (const role of ['partner', 'member', 'candidate'] as const) {
		expect(canEditVillage(actor(role), simorre, ['vil_simorre'])).toBe(false);
	}
});

test('slugs drop accents, apostrophes and case', () => {
	expect(slugify("L'Isle-Jourdain")).toBe('l-isle-jourdain');
	expect(slugify('Miélan')).toBe('mielan');
	expect(slugify('Castéra-Verduzan')).toBe('castera-verduzan');
	expect(slugify("Termes-d'Armagnac")).toBe('termes-d-armagnac');
});

test('a service not filled in counts as absent', () => {
	expect(hasVillageService({ schools: { primary: true } }, 'primary_school')).toBe(true);
	expect(hasVillageService({ schools: { primary: true } }, 'middle_school')).toBe(false);
	expect(hasVillageService({ shops: ['bakery'] }, 'shops')).toBe(true);
	expect(hasVillageService({}, 'doctor')).toBe(false);
});

test('English readers get the French text when no translation exists', () => {
	expect(pickLocalised({ fr: 'Bonjour', en: 'Hello' }, 'en')).toBe('Hello');
	expect(pickLocalised({ fr: 'Bonjour', en: null }, 'en')).toBe('Bonjour');
	expect(pickLocalised({ fr: 'Bonjour', en: '  ' }, 'en')).toBe('Bonjour');
	expect(pickLocalised({ fr: null, en: null }, 'fr')).toBeNull();
});

test("the committee's written contact wins over its contact member", () => {
	expect(
		resolveCommitteeContact({ name: 'Mairie', phone: '05 62 00 00 00' }, { name: 'Marie', email: 'm@x.fr' })
	).toEqual({
		name: 'Mairie',
		phone: '05 62 00 00 00'
	});
	expect(resolveCommitteeContact(null, { name: 'Marie', email: 'm@x.fr' })).toEqual({
		name: 'Marie',
		email: 'm@x.fr',
		phone: null
	});
	expect(resolveCommitteeContact(null, null)).toBeNull();
});

test('childcare for matching: yes with a crèche or childminders, no only when both are said absent', () => {
	expect(villageChildcare({})).toBeNull();
	expect(villageChildcare({ childcare: { creche: true } })).toBe(true);
	expect(villageChildcare({ childcare: { creche: false, childminders: true } })).toBe(true);
	expect(villageChildcare({ childcare: { creche: false } })).toBeNull();
	expect(villageChildcare({ childcare: { creche: false, childminders: false } })).toBe(false);
});
