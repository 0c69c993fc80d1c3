// A small RFC 4180 CSV reader and writer (no package for it is installed; the sheets and exports are small).
// Writing: fields are separated by commas, records end with CRLF, and a field is quoted when it holds a comma,
// a quote, CR or LF, or leading/trailing spaces; quotes inside are doubled.
// Reading: the same, plus LF or CR alone as record ends (sheets saved by other tools) and a leading UTF-8 BOM.

export class CsvError extends Error {
  override name = "CsvError";
}

export interface CsvRecord {
  fields: string[];
  /** The line (1-based) where the record starts, for error messages; a quoted field may span several lines. */
  line: number;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function formatField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(formatField).join(",") + "\r\n").join("");
}

/** Parses CSV text into records; throws CsvError (with the line) on an unterminated or misplaced quote. */
export function parseCsv(text: string): CsvRecord[] {
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let atFieldStart = true;
  const endField = () => {
    fields.push(field);
    field = "";
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    records.push({ fields, line: recordLine });
    fields = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (atFieldStart && ch === '"') {
      // A quoted field: runs to the next quote that is not doubled.
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError(`line ${startLine}: a quoted field is never closed`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
        field += c;
        i++;
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
        throw new CsvError(`line ${line}: unexpected ${JSON.stringify(next)} after a closing quote (quotes inside a field must be doubled)`);
      }
      atFieldStart = false;
      continue;
    }
    if (ch === ",") {
      endField();
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      recordLine = line;
    } else if (ch === '"') {
      throw new CsvError(`line ${line}: a quote inside an unquoted field (quote the whole field and double the quote)`);
    } else {
      field += ch;
      atFieldStart = false;
      i++;
    }
  }
  // The last record, unless the text ended with a record end.
  if (!atFieldStart || fields.length > 0 || field !== "") endRecord();
  return records;
}
