// Tokenisers for the similarity check: each answer becomes a sequence of normalised token texts, each
// remembering where it came from in the original answer so that shared passages can be highlighted.
import ts from "typescript";

export interface Token {
  text: string;
  /** Character offsets [start, end) in the original string. */
  start: number;
  end: number;
}

const K = ts.SyntaxKind;

/** After these tokens a `/` is a division; after any other it starts a regular expression. */
const ENDS_EXPRESSION = new Set<ts.SyntaxKind>([
  K.Identifier, K.PrivateIdentifier, K.NumericLiteral, K.BigIntLiteral, K.StringLiteral,
  K.NoSubstitutionTemplateLiteral, K.TemplateTail, K.RegularExpressionLiteral,
  K.CloseParenToken, K.CloseBracketToken, K.CloseBraceToken, K.PlusPlusToken, K.MinusMinusToken,
  K.ThisKeyword, K.SuperKeyword, K.TrueKeyword, K.FalseKeyword, K.NullKeyword,
]);

/**
 * `out`, `type`, `of`, `number`, `from`, `async`…: keywords only in some places, names anywhere else, so a student
 * may call a variable `out` and a copier rename it. They are normalised as names wherever they stand.
 */
function isContextualKeyword(kind: ts.SyntaxKind): boolean {
  // TypeScript's SyntaxKind lists them together, from `abstract` to `of` (its internal First/LastContextualKeyword)
  return kind >= K.AbstractKeyword && kind <= K.OfKeyword;
}

function isName(kind: ts.SyntaxKind): boolean {
  return kind === K.Identifier || (kind >= K.FirstKeyword && kind <= K.LastKeyword);
}

function normaliseNumber(text: string): string {
  const value = Number(text.replace(/_/g, ""));
  return Number.isFinite(value) ? String(value) : text;
}

/**
 * TypeScript code as tokens, comments and whitespace dropped. Renaming cannot change the result:
 * every identifier, contextual keyword used as one (`out`, `type`) and private name (`#x`) becomes "$",
 * except a name right after `.` or `?.`
 * (`Math.exp`, `.dims`), which is kept. Numbers are compared by value, strings by contents.
 * Never throws; on malformed input the tokens are whatever the scanner makes of it.
 */
export function codeTokens(source: string): Token[] {
  const tokens: Token[] = [];
  try {
    scanCode(source, tokens);
  } catch {
    // The scanner should not throw; if it ever does, keep the tokens scanned so far.
  }
  return tokens;
}

function scanCode(source: string, out: Token[]): void {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /*skipTrivia*/ true, ts.LanguageVariant.Standard, source);
  // One entry per template substitution being scanned: how many `{` are open inside it.
  const openBraces: number[] = [];
  let prev: ts.SyntaxKind = K.Unknown;
  let prevIsMember = false;
  let lastEnd = -1;
  for (let kind = scanner.scan(); kind !== K.EndOfFileToken; kind = scanner.scan()) {
    const depth = openBraces.length - 1;
    if (kind === K.OpenBraceToken && depth >= 0) {
      openBraces[depth]! += 1;
    } else if (kind === K.CloseBraceToken && depth >= 0) {
      if (openBraces[depth] === 0) {
        kind = scanner.reScanTemplateToken(false);
        if (kind !== K.TemplateMiddle) openBraces.pop();
      } else {
        openBraces[depth]! -= 1;
      }
    } else if ((kind === K.SlashToken || kind === K.SlashEqualsToken) && !ENDS_EXPRESSION.has(prev) && !isContextualKeyword(prev) && !prevIsMember) {
      kind = scanner.reScanSlashToken();
    }
    if (kind === K.TemplateHead) openBraces.push(0);

    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    if (end <= lastEnd) break; // no progress: never loop forever on odd input
    lastEnd = end;
    const afterDot = prev === K.DotToken || prev === K.QuestionDotToken;
    out.push({ text: tokenText(kind, scanner, afterDot), start, end });
    prevIsMember = afterDot && isName(kind);
    prev = kind;
  }
}

function tokenText(kind: ts.SyntaxKind, scanner: ts.Scanner, afterDot: boolean): string {
  if (isContextualKeyword(kind)) return afterDot ? scanner.getTokenText() : "$";
  switch (kind) {
    case K.Identifier:
      return afterDot ? scanner.getTokenText() : "$";
    case K.PrivateIdentifier:
      return "$"; // always the class's own name, so renameable even after `.`
    case K.NumericLiteral:
      return normaliseNumber(scanner.getTokenText());
    case K.BigIntLiteral:
      return scanner.getTokenText().replace(/_/g, "");
    case K.StringLiteral:
    case K.NoSubstitutionTemplateLiteral:
      return JSON.stringify(scanner.getTokenValue());
    case K.TemplateHead:
      return "`" + scanner.getTokenValue() + "${";
    case K.TemplateMiddle:
      return "}" + scanner.getTokenValue() + "${";
    case K.TemplateTail:
      return "}" + scanner.getTokenValue() + "`";
    default:
      return scanner.getTokenText();
  }
}

/**
 * Free text (Markdown) as lower-cased words: runs of Unicode letters, digits and combining marks.
 * Punctuation and Markdown markup are dropped.
 */
export function textTokens(text: string): Token[] {
  const tokens: Token[] = [];
  const word = /[\p{L}\p{N}\p{M}]+/gu;
  for (let match = word.exec(text); match; match = word.exec(text)) {
    tokens.push({ text: match[0].toLowerCase(), start: match.index, end: word.lastIndex });
  }
  return tokens;
}
