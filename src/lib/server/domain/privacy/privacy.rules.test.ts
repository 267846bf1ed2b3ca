import { describe, expect, test } from 'vitest';
import { hasMessage, translate } from '../../../i18n/index.ts';
import {
	consentChanges,
	erasureIdentifiers,
	ERASED,
	PROCESSING_ACTIVITIES,
	personIdentifiers,
	retentionCutoffs,
	scrubJson,
	scrubText,
	SECURITY_MEASURES
} from './privacy.rules.ts';

const helene = {
	firstName: 'Hélène',
	lastName: 'Garnier',
	email: 'helene@example.org',
	phone: '+33612345678'
};

describe('privacy rules', () => {
	test('a person is identified by names, email and the phone as written in France', () => {
		const found = personIdentifiers(helene);
		expect(found).toEqual(
			expect.arrayContaining([
				'Hélène Garnier',
				'Garnier Hélène',
				'Garnier',
				'helene@example.org',
				'+33612345678',
				'0612345678',
				'06 12 34 56 78',
				'06.12.34.56.78'
			])
		);
		// Longest first, so a full name is replaced before its parts.
		expect(found[0].length).toBeGreaterThanOrEqual(found.at(-1)!.length);
		expect(personIdentifiers({ firstName: 'Li', lastName: null, email: null, phone: null })).toEqual([]);
	});

	test('names alone are looked for only in the case; everywhere else the full name, email and phone', () => {
		const { broad, narrow } = erasureIdentifiers(helene, [
			{ name: 'Hélène G.', email: 'helene@example.org' }
		]);
		expect(broad).not.toContain('Garnier');
		expect(broad).not.toContain('Hélène');
		expect(broad).toContain('Hélène Garnier');
		expect(broad).toContain('Hélène G.');
		expect(narrow).toContain('Garnier');
	});

	test('scrubbing replaces every mention, whatever the case, in texts and in JSON values', () => {
		expect(scrubText('Appel de HÉLÈNE GARNIER au 06 12 34 56 78', personIdentifiers(helene))).toBe(
			`Appel de ${ERASED} au ${ERASED}`
		);
		expect(scrubJson({ firstName: 'Hélène', n: 2, list: ['Garnier'] }, ['Hélène', 'Garnier'])).toEqual({
			firstName: ERASED,
			n: 2,
			list: [ERASED]
		});
		expect(scrubText('rien à voir', [])).toBe('rien à voir');
	});

	test('retention cut-offs: N months for leads, 30 days for sign-in attempts, N days for mail bodies', () => {
		const cutoffs = retentionCutoffs(
			{ leadInactiveMonths: 6, mailBodyDays: 90 },
			new Date('2026-06-15T10:00:00Z')
		);
		expect(cutoffs.leadsBefore.toISOString()).toBe('2025-12-15T10:00:00.000Z');
		expect(cutoffs.signInBefore.toISOString()).toBe('2026-05-16T10:00:00.000Z');
		expect(cutoffs.mailBodiesBefore.toISOString()).toBe('2026-03-17T10:00:00.000Z');
	});

	test('a consent edit gives the purposes newly ticked and withdraws the ones unticked', () => {
		const before = { contact: true, shareWithCommittees: true, shareWithPartners: false, research: false };
		const after = { contact: true, shareWithCommittees: false, shareWithPartners: true, research: false };
		expect(consentChanges(before, after)).toEqual({
			given: ['share_with_partners'],
			withdrawn: ['share_with_committees']
		});
	});

	test('every activity, category, basis and measure of the register has its label in French and English', () => {
		const keys = [
			...PROCESSING_ACTIVITIES.flatMap((activity) => [
				`privacy_register_${activity.key}_purpose`,
				`privacy_basis_${activity.basis}`,
				`privacy_period_${activity.retention}`,
				...[...activity.persons, ...activity.data, ...activity.recipients].map(
					(category) => `privacy_register_cat_${category}`
				)
			]),
			...SECURITY_MEASURES.map((measure) => `privacy_register_security_${measure}`)
		];
		for (const key of keys) {
			expect(hasMessage(key), key).toBe(true);
			expect(translate('en', key), key).not.toBe(key);
		}
	});
});
