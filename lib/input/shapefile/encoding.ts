// The DBF text encoding (contracts.md §5.4): named by the optional `.cpg`, default UTF-8, and
// ISO-8859-1 when the records are not valid UTF-8 (older exports without a `.cpg`).

/** `.cpg` spellings seen in the wild → WHATWG labels the `shapefile` package's decoder knows. */
const KNOWN: Record<string, string> = {
  'iso-8859-1': 'iso-8859-1', 'iso8859-1': 'iso-8859-1', '88591': 'iso-8859-1', 'iso88591': 'iso-8859-1', latin1: 'iso-8859-1',
  '1252': 'windows-1252', 'cp1252': 'windows-1252', 'windows-1252': 'windows-1252', 'ansi1252': 'windows-1252',
  'iso-8859-15': 'iso-8859-15', '885915': 'iso-8859-15',
};

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The record bytes of a DBF (after the header), where text lives. */
function recordBytes(dbf: Buffer): Buffer {
  const headerLength = dbf.length >= 10 ? dbf.readUInt16LE(8) : dbf.length;
  return dbf.subarray(Math.min(headerLength, dbf.length));
}

function isUtf8(bytes: Buffer): boolean {
  try {
    STRICT_UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function dbfEncoding(cpg: Buffer | null, dbf: Buffer): string {
  const declared = cpg?.toString('latin1').trim().toLowerCase().replace(/\s+/g, '') ?? '';
  const known = KNOWN[declared];
  if (known) return known;
  // A UTF-8 `.cpg`, no `.cpg`, or one we cannot name: UTF-8 unless the bytes say otherwise.
  return isUtf8(recordBytes(dbf)) ? 'utf-8' : 'iso-8859-1';
}
