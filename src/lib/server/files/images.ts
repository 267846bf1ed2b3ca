import sharp, { type Metadata } from 'sharp';
import { defineError } from '../errors.ts';

/** The upload is larger than the limit (details.maxBytes). */
export const mediaTooLarge = defineError('media.too_large', 'invalid');
/** The upload is not a JPEG, PNG, WebP, GIF, AVIF or HEIF image. */
export const mediaNotAnImage = defineError('media.not_an_image', 'invalid');
/** The file claims to be an image but cannot be decoded. */
export const mediaMalformed = defineError('media.malformed', 'invalid');
/** The image has more pixels than we accept (decompression bombs). */
export const mediaTooManyPixels = defineError('media.too_many_pixels', 'invalid');

export const IMAGE_LIMITS = {
	/** Largest upload accepted. */
	maxBytes: 8 * 1024 * 1024,
	/** Largest input size in pixels (width × height) before decoding is refused. */
	maxInputPixels: 40_000_000,
	/** Longest side of the stored image. */
	maxDimension: 1600
} as const;

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'avif', 'heif']);

export type ProcessedImage = {
	data: Buffer;
	contentType: 'image/webp';
	width: number;
	height: number;
	bytes: number;
};

/**
 * Checks and re-encodes an uploaded photo: refuses what is too big, not an image or
 * malformed; rotates by EXIF, strips metadata (GPS positions of a house!), limits the
 * size and writes WebP. Never trusts the file name or the declared content type.
 */
export async function processImage(
	input: Uint8Array,
	limits: { maxBytes?: number; maxDimension?: number; maxInputPixels?: number } = {}
): Promise<ProcessedImage> {
	const maxBytes = limits.maxBytes ?? IMAGE_LIMITS.maxBytes;
	if (input.byteLength > maxBytes) throw mediaTooLarge({ maxBytes, bytes: input.byteLength });
	if (input.byteLength === 0) throw mediaNotAnImage();
	let metadata: Metadata;
	try {
		metadata = await sharp(input, { limitInputPixels: false }).metadata();
	} catch {
		throw mediaNotAnImage();
	}
	if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format))
		throw mediaNotAnImage({ format: metadata.format });
	const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
	if (pixels > (limits.maxInputPixels ?? IMAGE_LIMITS.maxInputPixels)) throw mediaTooManyPixels({ pixels });
	const maxDimension = limits.maxDimension ?? IMAGE_LIMITS.maxDimension;
	try {
		const { data, info } = await sharp(input, {
			limitInputPixels: limits.maxInputPixels ?? IMAGE_LIMITS.maxInputPixels,
			failOn: 'error'
		})
			.rotate()
			.resize({ width: maxDimension, height: maxDimension, fit: 'inside', withoutEnlargement: true })
			.webp({ quality: 82 })
			.toBuffer({ resolveWithObject: true });
		return {
			data,
			contentType: 'image/webp',
			width: info.width,
			height: info.height,
			bytes: data.byteLength
		};
	} catch {
		throw mediaMalformed();
	}
}

/**
 * Widths of the smaller copies kept beside a photo, for `srcset`: a phone's card or a
 * gallery column loads about a tenth of the 1,600-pixel original.
 */
export const IMAGE_VARIANT_WIDTHS = [480, 960] as const;

export type ImageVariant = { data: Buffer; width: number; height: number; bytes: number };

/**
 * Smaller WebP copies of an already processed image, one per width narrower than the
 * image itself (none for a small photo). Made from the processed bytes: no metadata to
 * strip again, and the orientation is already applied.
 */
export async function imageVariants(
	image: Pick<ProcessedImage, 'data' | 'width'>,
	widths: readonly number[] = IMAGE_VARIANT_WIDTHS
): Promise<ImageVariant[]> {
	const variants: ImageVariant[] = [];
	for (const width of widths.filter((candidate) => candidate < image.width)) {
		const { data, info } = await sharp(image.data)
			.resize({ width })
			.webp({ quality: 80 })
			.toBuffer({ resolveWithObject: true });
		variants.push({ data, width: info.width, height: info.height, bytes: data.byteLength });
	}
	return variants;
}
