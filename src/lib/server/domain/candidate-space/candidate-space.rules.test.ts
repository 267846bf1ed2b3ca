import { expect, test } from 'vitest';
import { cleanFileName, detectDocumentType, nextStepKey } from './candidate-space.rules.ts';

const bytes = (...values: number[]) => new Uint8Array([...values, 0, 0, 0, 0]);

test('a document is recognised by its first bytes, not by its name', () => {
	expect(detectDocumentType(new TextEncoder().encode('%PDF-1.7\n'))).toEqual({
		mimeType: 'application/pdf',
		extension: 'pdf'
	});
	expect(detectDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toEqual({
		mimeType: 'image/jpeg',
		extension: 'jpg'
	});
	expect(detectDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toEqual({
		mimeType: 'image/png',
		extension: 'png'
	});
	// A Word file, an executable, a GIF, a truncated PNG header, an empty file: refused.
	expect(detectDocumentType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull();
	expect(detectDocumentType(new TextEncoder().encode('MZ'))).toBeNull();
	expect(detectDocumentType(new TextEncoder().encode('GIF89a'))).toBeNull();
	expect(detectDocumentType(new Uint8Array([0x89, 0x50, 0x4e]))).toBeNull();
	expect(detectDocumentType(new Uint8Array())).toBeNull();
});

test('what comes next follows the milestone of the stage, custom stages included', () => {
	expect(nextStepKey('contact')).toBe('candidate_space_next_contact');
	expect(nextStepKey('discovery')).toBe('candidate_space_next_discovery');
	expect(nextStepKey('left')).toBe('candidate_space_next_left');
	expect(nextStepKey(undefined)).toBe('candidate_space_next_contact');
});

test('a sent file keeps a readable, header-safe name with the extension of its real type', () => {
	expect(cleanFileName('Facture EDF (mars).pdf', 'pdf')).toBe('Facture_EDF_mars.pdf');
	expect(cleanFileName('photo.exe', 'png')).toBe('photo.png');
	expect(cleanFileName('CV Hélène.pdf', 'pdf')).toBe('CV_Helene.pdf');
	expect(cleanFileName('"; rm -rf /', 'pdf')).toBe('rm_-rf.pdf');
	expect(cleanFileName('...', 'jpg')).toBe('document.jpg');
});
