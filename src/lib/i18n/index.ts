import { createCatalogueTranslator, formatTemplate, type Catalogue, type Locale } from './core.ts';
import type { MessageKey, MessageParams, Translate } from './core.ts';
import en from './catalogues/en.ts';
import fr from './catalogues/fr.ts';

export * from './core.ts';

/**
 * Every message of both languages, for the server, the CLI and the tests. Browser code imports
 * `core.ts` instead and gets its locale's messages from the root layout (`load.ts`): this module
 * in a page's bundle would ship both whole catalogues to every visitor.
 */
const catalogues: Record<Locale, Catalogue> = { fr, en };

export function hasMessage(key: string): key is MessageKey {
	return key in fr;
}

/** Formats a message template (see `formatTemplate`) for the locale. */
export function formatMessage(locale: Locale, template: string, params: MessageParams = {}): string {
	return formatTemplate(locale, template, params, translate(locale, 'common_hidden_number'));
}

/** The translated text of a key; falls back to French, then to the key itself. */
export function translate(locale: Locale, key: MessageKey | string, params?: MessageParams): string {
	return createTranslator(locale)(key as MessageKey, params);
}

const translators: Partial<Record<Locale, Translate>> = {};

export function createTranslator(locale: Locale): Translate {
	return (translators[locale] ??= createCatalogueTranslator(locale, catalogues[locale], catalogues.fr));
}

export const catalogueKeys = { fr: Object.keys(fr), en: Object.keys(en) };
