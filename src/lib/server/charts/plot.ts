import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Observable Plot rendered to an SVG string on the server, so charts work without JavaScript,
 * print, and can be checked in tests. Plot draws into a DOM; linkedom provides a light one.
 */
export type PlotOptions = Plot.PlotOptions;

export { Plot };

/**
 * Renders a Plot chart to markup: an `<svg>`, or a `<figure>` holding the legend and the `<svg>`. `title` becomes the accessible name of the chart
 * (`role="img"` + `aria-label`), and `description` its long description (`<desc>`):
 * the figures are also given as a table beside every chart.
 */
export function renderPlot(
	options: PlotOptions,
	{ title, description }: { title: string; description?: string }
): string {
	const { document } = parseHTML('<!doctype html><html><body></body></html>');
	const chart = Plot.plot({ ...options, document } as PlotOptions) as unknown as Element;
	// With a legend or a caption Plot returns a <figure> (legend swatches are small SVGs of their
	// own): the accessible name goes on the figure's direct SVG child, the chart itself.
	const svg =
		chart.tagName.toLowerCase() === 'svg'
			? chart
			: Array.from(chart.children).find((child) => child.tagName.toLowerCase() === 'svg');
	if (!svg) throw new Error('Plot did not produce an SVG element');
	svg.setAttribute('role', 'img');
	// Inside role="img" the marks are presentational: Plot's aria-labels on groups are not allowed there.
	for (const element of Array.from(svg.querySelectorAll('[aria-label], [aria-description]'))) {
		element.removeAttribute('aria-label');
		element.removeAttribute('aria-description');
	}
	svg.setAttribute('aria-label', title);
	if (description) {
		const desc = document.createElementNS('http://www.w3.org/2000/svg', 'desc');
		desc.textContent = description;
		svg.insertBefore(desc, svg.firstChild);
	}
	if (!svg.getAttribute('xmlns')) svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
	return chart.outerHTML;
}
