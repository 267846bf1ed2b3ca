import type { ChecklistContext } from './programme-checklist.service.ts';

/**
 * The checklist items that depend on the programme settings (home page texts, legal notice).
 * The settings area plugs in here: replace each body with a read of the stored settings
 * (through the settings service), keeping the signature. Until settings are stored
 * anywhere, these steps are not done.
 */

/** Done when the programme has written its home page texts. */
export async function isHomePageWritten(_context: ChecklistContext): Promise<boolean> {
	return false;
}

/** Done when the legal notice's publisher, address and publication director are filled in. */
export async function isLegalNoticeFilled(_context: ChecklistContext): Promise<boolean> {
	return false;
}
