import { getContext, setContext } from 'svelte';
import {
	createCatalogueTranslator,
	type Catalogue,
	type Locale,
	type MessageKey,
	type Translate
} from './core.ts';

const KEY = Symbol('i18n');
export type I18n = {
	locale: Locale;
	t: Translate;
	/** Whether the page's messages have this key (a domain error code's own message, say). */
	has: (key: string) => key is MessageKey;
};

/**
 * Called by the root layout with the request's locale and the messages its universal load
 * fetched (a getter: after a client-side navigation to a page of another scope, the new ones).
 */
export function setI18n(locale: Locale, messages: () => Catalogue): I18n {
	const translators = new WeakMap<Catalogue, Translate>();
	const i18n: I18n = {
		locale,
		t: (key, params) => {
			const catalogue = messages();
			let translate = translators.get(catalogue);
			if (!translate) translators.set(catalogue, (translate = createCatalogueTranslator(locale, catalogue)));
			return translate(key, params);
		},
		has: (key): key is MessageKey => key in messages()
	};
	setContext(KEY, i18n);
	return i18n;
}

export function getI18n(): I18n {
	const i18n = getContext<I18n | undefined>(KEY);
	if (!i18n) throw new Error('getI18n() called outside the root layout');
	return i18n;
}
