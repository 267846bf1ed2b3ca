import { describe, expect, test } from 'vitest';
import { emailBreakParts } from './format.ts';

describe('emailBreakParts', () => {
	test('an address is cut before its @ and its dots, and joins back to itself', () => {
		const email = 'accueil.mairie@simorre-en-gascogne.example.fr';
		const parts = emailBreakParts(email);
		expect(parts).toEqual(['accueil', '.mairie', '@simorre-en-gascogne', '.example', '.fr']);
		expect(parts.join('')).toBe(email);
	});

	test('an address without a dot or an @ stays whole', () => {
		expect(emailBreakParts('contact')).toEqual(['contact']);
		expect(emailBreakParts('')).toEqual([]);
	});
});
