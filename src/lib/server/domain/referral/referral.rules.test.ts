import { expect, test } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import type { Person } from '../../db/schema/index.ts';
import {
	canSeeReferral,
	defaultExpectedAnswerOn,
	isReferralOverdue,
	REFERRAL_OUTCOME_DAYS,
	toPartnerPersonView
} from './referral.rules.ts';

const now = new Date('2026-03-10T09:00:00Z');
const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);

test('a proposed referral is overdue once its expected answer day has passed', () => {
	expect(
		isReferralOverdue({ status: 'proposed', expectedAnswerOn: '2026-03-09', answeredAt: null }, now)
	).toBe(true);
	expect(
		isReferralOverdue({ status: 'proposed', expectedAnswerOn: '2026-03-10', answeredAt: null }, now)
	).toBe(false);
	expect(
		isReferralOverdue({ status: 'proposed', expectedAnswerOn: '2026-03-17', answeredAt: null }, now)
	).toBe(false);
});

test('an accepted referral is overdue when no outcome is recorded 30 days after acceptance', () => {
	const accepted = (answeredAt: Date) => ({
		status: 'accepted' as const,
		expectedAnswerOn: '2026-01-01',
		answeredAt
	});
	expect(isReferralOverdue(accepted(daysAgo(REFERRAL_OUTCOME_DAYS + 1)), now)).toBe(true);
	expect(isReferralOverdue(accepted(daysAgo(REFERRAL_OUTCOME_DAYS - 1)), now)).toBe(false);
	expect(isReferralOverdue(accepted(daysAgo(10)), now, 7)).toBe(true);
});

test('declined referrals and referrals with an outcome are never overdue', () => {
	for (const status of ['declined', 'outcome_recorded'] as const) {
		expect(isReferralOverdue({ status, expectedAnswerOn: '2020-01-01', answeredAt: daysAgo(400) }, now)).toBe(
			false
		);
	}
});

test('the default answer date is seven days later', () => {
	expect(defaultExpectedAnswerOn(now)).toBe('2026-03-17');
});

const actor = (role: Actor['role'], organisationId: string | null = null): Actor => ({
	userId: 'usr_x',
	name: 'X',
	email: 'x@example.org',
	role,
	programmeId: 'prg_a',
	organisationId,
	locale: 'fr',
	isDemo: false
});

test('staff see every referral of their programme, a partner only those of their organisation', () => {
	const referral = { programmeId: 'prg_a', organisationId: 'org_1' };
	expect(canSeeReferral(actor('advisor'), referral)).toBe(true);
	expect(canSeeReferral(actor('partner', 'org_1'), referral)).toBe(true);
	expect(canSeeReferral(actor('partner', 'org_2'), referral)).toBe(false);
	expect(canSeeReferral(actor('partner'), referral)).toBe(false);
	expect(canSeeReferral(actor('committee'), referral)).toBe(false);
	expect(canSeeReferral(actor('advisor'), { ...referral, programmeId: 'prg_b' })).toBe(false);
});

test('a partner sees the shared fields of the person, and contact details only with the contact consent', () => {
	const person = {
		firstName: 'Marc',
		lastName: 'Garnier',
		email: 'marc@example.org',
		phone: '+33600000000',
		profession: 'Infirmier',
		status: 'other',
		sector: 'health',
		languages: ['fr'],
		birthYear: 1985,
		originCountry: 'FR',
		originArea: 'ile_de_france'
	} as Person;
	const view = toPartnerPersonView({ contact: true, shareWithPartners: true }, person);
	expect(view).toEqual({
		firstName: 'Marc',
		lastName: 'Garnier',
		profession: 'Infirmier',
		status: 'other',
		sector: 'health',
		languages: ['fr'],
		email: 'marc@example.org',
		phone: '+33600000000',
		isContactShared: true
	});
	expect(toPartnerPersonView({ contact: false, shareWithPartners: true }, person)).toMatchObject({
		email: null,
		phone: null
	});
	expect(toPartnerPersonView({ contact: true, shareWithPartners: false }, person)).toBeNull();
});
