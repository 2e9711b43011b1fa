// Non-spatial sources: RFC 4180 CSV (levy tables) and the lookups SQLite (`WwTw_lookup`,
// `rates_lookup`). Values are returned as read; parsing and QC belong to the table loaders.

import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { ReaderError } from './types.js';

export interface TabularData {
  columns: string[];
  rows: Record<string, string | number | null>[];
}

/** Minimal RFC 4180: quoted fields, doubled quotes, CRLF or LF, optional final newline, UTF-8 BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 1; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new ReaderError('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

export async function readCsv(path: string): Promise<TabularData> {
  const [header, ...body] = parseCsv(await readFile(path, 'utf8'));
  if (!header) throw new ReaderError(`${path}: empty CSV`);
  const columns = header.map((h) => h.trim());
  const rows = body.map((cells, n) => {
    if (cells.length !== columns.length) throw new ReaderError(`${path}: line ${n + 2} has ${cells.length} fields, the header has ${columns.length}`);
    return Object.fromEntries(columns.map((c, k) => [c, cells[k] ?? null]));
  });
  return { columns, rows };
}

/** The SQLite tables of a lookups file, matched case-insensitively, in rowid (source) order. */
export function readSqliteTables(path: string, wanted: readonly string[]): Map<string, TabularData> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    const out = new Map<string, TabularData>();
    for (const want of wanted) {
      const name = names.find((n) => n.toLowerCase() === want.toLowerCase());
      if (!name) continue;
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const columns = (db.prepare(`PRAGMA table_info(${quoted})`).all() as { name: string }[]).map((c) => c.name);
      const rows = db.prepare(`SELECT * FROM ${quoted} ORDER BY rowid`).all() as Record<string, string | number | null>[];
      out.set(want, { columns, rows });
    }
    return out;
  } finally {
    db.close();
  }
}

export function listSqliteTables(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}
