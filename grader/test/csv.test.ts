// The dialect of grader/src/csv/csv.ts: RFC 4180 (https://www.rfc-editor.org/rfc/rfc4180) when writing, and what
// spreadsheets save when reading (LF or CR line ends, a UTF-8 BOM), on csv-parse/csv-stringify (https://csv.js.org/).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CsvError, formatCsv, formatField, parseCsv } from "../src/csv/csv.js";
import { TRICKY } from "./grades-fixture.js";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

test("reads the RFC 4180 forms: quoted fields with commas, doubled quotes and line breaks, empty fields", () => {
  const text = 'a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n,,\r\n';
  assert.equal(fields(text), [["a", "b", "c"], ["x, y", 'say "hi"', "two\r\nlines"], ["", "", ""]]);
});

test("reads LF and CR line ends, a BOM, and a last record without a line end", () => {
  assert.equal(fields("\uFEFFa,b\nc,d\re,f"), [["a", "b"], ["c", "d"], ["e", "f"]]);
  assert.equal(fields('a,""'), [["a", ""]]);
  assert.equal(fields("a,"), [["a", ""]]);
  assert.equal(fields(""), []);
});

test("records know the line they start on, past quoted line breaks", () => {
  const records = parseCsv('h1,h2\n"one\ntwo\nthree",x\nlast,y\n');
  assert.equal(records.map((r) => r.line), [1, 2, 5]);
});

test("quotes exactly the fields that need it", () => {
  assert.is(formatField("plain"), "plain");
  assert.is(formatField(""), "");
  assert.is(formatField("a,b"), '"a,b"');
  assert.is(formatField('say "x"'), '"say ""x"""');
  assert.is(formatField("a\nb"), '"a\nb"');
  assert.is(formatField(" padded "), '" padded "');
  assert.is(formatCsv([["a", "b"], ["c", "d,e"]]), 'a,b\r\nc,"d,e"\r\n');
});

test("round trip: what is written is read back field for field", () => {
  const rows = [
    ["student", "answer", "score"],
    ["alice", TRICKY, ""],
    ["bob", '"', "1"],
    ["", ",", '""'],
    ["ünïcödé ✓", "trailing newline\n", " 0.5 "],
    ["cr\ronly", "\r\n", "x"],
  ];
  assert.equal(fields(formatCsv(rows)), rows);
});

test("records of different lengths are read as they are (the callers count the fields), also with CR-only line ends", () => {
  assert.equal(parseCsv("a,b,c\rd\re,f,g,h\r").map((r) => [r.fields.length, r.line]), [[3, 1], [1, 2], [4, 3]]);
});

test("an unclosed quote is reported on the line where its record starts, however many lines it swallows", () => {
  assert.throws(() => parseCsv('a,b\nx,"open\nmore\nand more\n'), /line 2: a quoted field is never closed/);
  assert.throws(() => parseCsv('a,b\n"one\ntwo",x\ny,"z\n'), /line 4: a quoted field is never closed/);
});

test("malformed CSV is an error that names the line", () => {
  assert.throws(() => parseCsv('a,b\n"never closed,c\n'), (e: Error) => e instanceof CsvError && /line 2: a quoted field is never closed/.test(e.message));
  assert.throws(() => parseCsv('a,b\n"x"y,c\n'), /line 2: unexpected "y" after a closing quote/);
  assert.throws(() => parseCsv('a,b\nc,d\nhe said "hi",e\n'), /line 3: a quote inside an unquoted field/);
});

test.run();
