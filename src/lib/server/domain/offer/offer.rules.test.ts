import { expect, test } from 'vitest';
import { isDueForExpiryReminder, isOfferPublic, priceBand } from './offer.rules.ts';

const NOW = new Date('2026-03-01T09:00:00Z');
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

test('an offer is public while available, published and not expired', () => {
	const offer = { status: 'available', publishedAt: inDays(-1), expiresAt: inDays(10) };
	expect(isOfferPublic(offer, NOW)).toBe(true);
	expect(isOfferPublic({ ...offer, expiresAt: NOW }, NOW)).toBe(false);
	expect(isOfferPublic({ ...offer, status: 'under_offer' }, NOW)).toBe(false);
	expect(isOfferPublic({ ...offer, publishedAt: null }, NOW)).toBe(false);
	expect(isOfferPublic({ ...offer, publishedAt: inDays(1) }, NOW)).toBe(false);
});

test('owners are reminded once, in the last seven days before expiry', () => {
	const offer = { status: 'available', expiresAt: inDays(5), expiryRemindedAt: null };
	expect(isDueForExpiryReminder(offer, NOW)).toBe(true);
	expect(isDueForExpiryReminder({ ...offer, expiresAt: inDays(8) }, NOW)).toBe(false);
	expect(isDueForExpiryReminder({ ...offer, expiresAt: inDays(-1) }, NOW)).toBe(false);
	expect(isDueForExpiryReminder({ ...offer, expiryRemindedAt: NOW }, NOW)).toBe(false);
	expect(isDueForExpiryReminder({ ...offer, status: 'taken' }, NOW)).toBe(false);
});

test('anonymised prices are shown as coarse bands', () => {
	expect(priceBand(180_000, 'business_takeover')).toEqual({ min: 100_000, max: 200_000 });
	expect(priceBand(1_500_000, 'business_takeover')).toEqual({ min: 1_000_000, max: null });
	expect(priceBand(650, 'premises_rent')).toEqual({ min: 500, max: 800 });
	expect(priceBand(null, 'business_takeover')).toBeNull();
});
