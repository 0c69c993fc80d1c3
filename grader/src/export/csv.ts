// CSV as RFC 4180 describes it (https://www.rfc-editor.org/rfc/rfc4180): fields separated by commas,
// records by CRLF; a field holding a comma, a double quote, CR or LF is enclosed in double quotes,
// and a double quote inside it is written twice.

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function toCsv(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return rows.map((row) => row.map(csvField).join(",") + "\r\n").join("");
}
