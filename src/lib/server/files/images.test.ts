import sharp from 'sharp';
import { expect, test } from 'vitest';
import { isDomainError } from '../errors.ts';
import { imageVariants, processImage } from './images.ts';

async function png(width: number, height: number): Promise<Buffer> {
	return sharp({ create: { width, height, channels: 3, background: { r: 31, g: 95, b: 74 } } })
		.png()
		.toBuffer();
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
	try {
		await promise;
		return null;
	} catch (error) {
		return isDomainError(error) ? error.code : String(error);
	}
}

test('a photo is re-encoded to WebP, stripped of metadata and limited in size', async () => {
	const input = await sharp(await png(3000, 2000))
		.withMetadata({ exif: { IFD0: { Copyright: 'someone' } } })
		.jpeg()
		.toBuffer();
	const image = await processImage(input);
	expect(image.contentType).toBe('image/webp');
	expect([image.width, image.height]).toEqual([1600, 1067]);
	const meta = await sharp(image.data).metadata();
	expect(meta.format).toBe('webp');
	expect(meta.exif).toBeUndefined();
});

test('uploads that are too big, not images or malformed are refused with a reason', async () => {
	expect(await codeOf(processImage(await png(100, 100), { maxBytes: 50 }))).toBe('media.too_large');
	expect(await codeOf(processImage(Buffer.from('%PDF-1.7 not an image')))).toBe('media.not_an_image');
	expect(
		await codeOf(
			processImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))
		)
	).toBe('media.not_an_image');
	const truncated = (await png(400, 400)).subarray(0, 120);
	expect(await codeOf(processImage(truncated))).toMatch(/media\.(malformed|not_an_image)/);
	expect(await codeOf(processImage(await png(100, 100), { maxInputPixels: 5000 }))).toBe(
		'media.too_many_pixels'
	);
	expect(await codeOf(processImage(new Uint8Array()))).toBe('media.not_an_image');
});

test('narrower WebP copies are made for each width below the photo, keeping its proportions', async () => {
	const image = await processImage(await png(3000, 2000));
	const variants = await imageVariants(image);
	expect(variants.map((variant) => [variant.width, variant.height])).toEqual([
		[480, 320],
		[960, 640]
	]);
	for (const variant of variants) {
		const meta = await sharp(variant.data).metadata();
		expect([meta.format, meta.width, meta.height]).toEqual(['webp', variant.width, variant.height]);
		expect(variant.bytes).toBe(variant.data.byteLength);
	}
	expect(await imageVariants(await processImage(await png(480, 300)))).toEqual([]);
	expect(
		(await imageVariants(await processImage(await png(700, 350)))).map((variant) => variant.width)
	).toEqual([480]);
});
