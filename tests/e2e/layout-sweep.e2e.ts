import { describeLayoutSweep } from './layout-sweep-support.ts';

/*
 * The layout sweep, first of two files (what is checked: layout-sweep-support.ts): the admin's pages
 * (the advisor sees the same; the admin a few more), then the member's and the candidate's.
 */
describeLayoutSweep({ roles: ['admin', 'member', 'candidate'], visitor: false });
