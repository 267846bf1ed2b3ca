import frNational from '../../../../messages/fr/national.json' with { type: 'json' };
import frApply from '../../../../messages/fr/apply.json' with { type: 'json' };
import frCase from '../../../../messages/fr/case.json' with { type: 'json' };
import frCommon from '../../../../messages/fr/common.json' with { type: 'json' };
import frEvent from '../../../../messages/fr/event.json' with { type: 'json' };
import frMember from '../../../../messages/fr/member.json' with { type: 'json' };
import frOffer from '../../../../messages/fr/offer.json' with { type: 'json' };
import frPortal from '../../../../messages/fr/portal.json' with { type: 'json' };
import frPortalPages from '../../../../messages/fr/portal_pages.json' with { type: 'json' };
import frReference from '../../../../messages/fr/reference.json' with { type: 'json' };
import frVillage from '../../../../messages/fr/village.json' with { type: 'json' };
import frWorkspace from '../../../../messages/fr/workspace.json' with { type: 'json' };

/**
 * The French messages the public pages that run in the browser (maps, the application form) and
 * their frame can show: a sixth of the whole catalogue, so a public page stays within its
 * JavaScript budget. `portal-catalogue.test.ts` checks that every key those pages use is here.
 */
export default {
	...frCommon,
	...frPortal,
	...frPortalPages,
	...frApply,
	...frReference,
	...frVillage,
	...frWorkspace,
	...frOffer,
	...frEvent,
	...frMember,
	// The application form's choices (case_timeline_…) and its fields' errors (error_case_…).
	...frCase,
	...frNational
};
