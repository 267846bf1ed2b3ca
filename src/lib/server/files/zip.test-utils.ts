import { deflateRawSync } from 'node:zlib';

/** A part of a zip built by `buildZip`: its name, its content, and the size to declare (to lie). */
export type ZipPart = { name: string; data: Buffer; declaredSize?: number };

/**
 * A zip archive (deflate) written by hand, so tests can build what no spreadsheet program
 * writes: a zip bomb, or a zip whose directory lies about its sizes. CRCs are left at 0.
 */
export function buildZip(parts: ZipPart[]): Uint8Array {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const part of parts) {
		const name = Buffer.from(part.name, 'utf8');
		const packed = deflateRawSync(part.data, { level: 9 });
		const size = part.declaredSize ?? part.data.length;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(size, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(size, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, packed);
		centrals.push(central, name);
		offset += local.length + name.length + packed.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(parts.length, 8);
	end.writeUInt16LE(parts.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** An XLSX-shaped zip whose one sheet unpacks to `megabytes` MB of XML (a few hundred KB packed). */
export function xlsxBomb(megabytes: number, { isLying = false } = {}): Uint8Array {
	const row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>';
	const sheet = Buffer.alloc(megabytes * 1024 * 1024, row);
	return buildZip([
		{ name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types/>') },
		{ name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: isLying ? 4096 : undefined }
	]);
}
