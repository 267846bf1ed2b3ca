import enNational from '../../../../messages/en/national.json' with { type: 'json' };
import enApply from '../../../../messages/en/apply.json' with { type: 'json' };
import enCase from '../../../../messages/en/case.json' with { type: 'json' };
import enCommon from '../../../../messages/en/common.json' with { type: 'json' };
import enEvent from '../../../../messages/en/event.json' with { type: 'json' };
import enMember from '../../../../messages/en/member.json' with { type: 'json' };
import enOffer from '../../../../messages/en/offer.json' with { type: 'json' };
import enPortal from '../../../../messages/en/portal.json' with { type: 'json' };
import enPortalPages from '../../../../messages/en/portal_pages.json' with { type: 'json' };
import enReference from '../../../../messages/en/reference.json' with { type: 'json' };
import enVillage from '../../../../messages/en/village.json' with { type: 'json' };
import enWorkspace from '../../../../messages/en/workspace.json' with { type: 'json' };

/**
 * The English messages the public pages that run in the browser (maps, the application form) and
 * their frame can show: a sixth of the whole catalogue, so a public page stays within its
 * JavaScript budget. `portal-catalogue.test.ts` checks that every key those pages use is here.
 */
export default {
	...enCommon,
	...enPortal,
	...enPortalPages,
	...enApply,
	...enReference,
	...enVillage,
	...enWorkspace,
	...enOffer,
	...enEvent,
	...enMember,
	// The application form's choices (case_timeline_…) and its fields' errors (error_case_…).
	...enCase,
	...enNational
};
