// CSV for the TA sheet, the roster and the exports, on the csv-parse and csv-stringify packages (sync APIs) of the
// node-csv project (https://csv.js.org/, https://github.com/adaltas/node-csv). This module only fixes the dialect
// and turns the parser's errors into messages that name the line:
//   writing (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180): comma-separated fields, CRLF after every record,
//     a field quoted when it holds a comma, a quote, CR or LF, or starts or ends with white space (so that a
//     spreadsheet keeps the spaces); quotes inside are doubled;
//   reading: the same, plus LF or CR alone as record ends (sheets saved by other tools), a leading UTF-8 BOM
//     (spreadsheets add one), and records of any length (the callers check the field counts with their own
//     messages).
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";

export class CsvError extends Error {
  override name = "CsvError";
}

export interface CsvRecord {
  fields: string[];
  /** The line (1-based) where the record starts, for error messages; a quoted field may span several lines. */
  line: number;
}

const WRITE = { record_delimiter: "\r\n", quoted_match: /[\r\n]|^\s|\s$/ } as const;

export function formatField(value: string): string {
  return stringify([[value]], { ...WRITE, eof: false });
}

export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.length ? stringify(rows as string[][], WRITE) : "";
}

/** The parser's error codes (https://csv.js.org/parse/errors/) in words a person editing a sheet can act on. */
function explain(code: string, message: string): string {
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is never closed";
    case "CSV_INVALID_CLOSING_QUOTE": {
      const got = /got "(.*?)" at line/s.exec(message)?.[1];
      return `unexpected ${JSON.stringify(got ?? "text")} after a closing quote (quotes inside a field must be doubled)`;
    }
    case "INVALID_OPENING_QUOTE":
    case "CSV_INVALID_OPENING_QUOTE":
      return "a quote inside an unquoted field (quote the whole field and double the quote)";
    default:
      return message;
  }
}

/** Parses CSV text into records; throws CsvError (with the line) on an unterminated or misplaced quote. */
export function parseCsv(text: string): CsvRecord[] {
  // The line each record starts on: one after the line the previous record ended on (the parser's `lines`).
  let lastEnd = 0;
  const starts: number[] = [];
  try {
    const rows = parse(text, {
      bom: true,
      relax_column_count: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      skip_empty_lines: false,
      on_record: (fields: string[], info) => {
        starts.push(lastEnd + 1);
        lastEnd = info.lines;
        return fields;
      },
    });
    return rows.map((fields, i) => ({ fields, line: starts[i]! }));
  } catch (e) {
    const err = e as Error & { code?: string; lines?: number };
    if (typeof err.code !== "string") throw e;
    // an unclosed quote is reported where its record starts; a misplaced one where it is
    const line = err.code === "CSV_QUOTE_NOT_CLOSED" ? lastEnd + 1 : (err.lines ?? lastEnd + 1);
    throw new CsvError(`line ${line}: ${explain(err.code, err.message)}`);
  }
}
