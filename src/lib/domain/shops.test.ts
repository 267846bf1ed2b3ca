import { expect, test } from 'vitest';
import { SHOP_KINDS, shopKindOf } from './shops.ts';

test('a shop typed in French or English, with or without accents or capitals, is recognised', () => {
	expect(shopKindOf('boulangerie')).toBe('bakery');
	expect(shopKindOf('Bakery')).toBe('bakery');
	expect(shopKindOf('  Épicerie ')).toBe('grocery');
	expect(shopKindOf('marché hebdomadaire')).toBe('weekly_market');
	expect(shopKindOf('Bureau de poste')).toBe('post_office');
	expect(shopKindOf('supérette')).toBe('convenience_store');
	expect(shopKindOf('café')).toBe('cafe');
});

test('anything else is not guessed: it is shown as typed', () => {
	expect(shopKindOf('marché le jeudi matin')).toBeNull();
	expect(shopKindOf('atelier de poterie')).toBeNull();
	expect(shopKindOf('')).toBeNull();
});

test('every kind has a name in each language of the catalogue', async () => {
	const fr = (await import('../../../messages/fr/portal_pages.json')).default as Record<string, string>;
	const en = (await import('../../../messages/en/portal_pages.json')).default as Record<string, string>;
	for (const kind of SHOP_KINDS) {
		expect(fr[`pages_shop_${kind}`], kind).toBeTruthy();
		expect(en[`pages_shop_${kind}`], kind).toBeTruthy();
	}
});
