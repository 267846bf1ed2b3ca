import { describeLayoutSweep, pagesAdminMustSweep } from './layout-sweep-support.ts';

/*
 * The layout sweep, second of two files (what is checked: layout-sweep-support.ts): the roles scoped
 * to villages or an organisation (committee, partner), then every kind of public page for the
 * visitor. axe leaves to the first file the pages its admin must sweep.
 */
describeLayoutSweep({
	roles: ['committee', 'partner'],
	visitor: true,
	axeDoneElsewhere: new Set(pagesAdminMustSweep())
});
