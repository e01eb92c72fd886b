/**
 * Maps a path inside a parsed YAML document (e.g. ['search', 'parameters', 'lr'])
 * to a source range, so config errors can name line and column.
 */
import { type Document, isMap, isPair, isScalar, type LineCounter, type Node } from 'yaml';

export interface SourceRange {
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

type PathSegment = string | number;

function toRange(lines: LineCounter, start: number, end: number): SourceRange {
  const a = lines.linePos(start);
  const b = lines.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** The node at `path`, or the deepest existing ancestor when the path does not exist. */
function deepestNode(doc: Document, path: PathSegment[]): Node | null {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (node !== null && typeof node === 'object') return node as Node;
  }
  return doc.contents as Node | null;
}

/**
 * Range of the value at `path` or, when `key` is true, of the key that names it
 * (used for unknown keys). Falls back to the nearest existing ancestor, then to
 * the document start.
 */
export function rangeOf(
  doc: Document,
  lines: LineCounter,
  path: PathSegment[],
  opts: { key?: boolean } = {},
): SourceRange {
  if (opts.key && path.length > 0) {
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const name = path[path.length - 1];
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === name);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return toRange(lines, range[0], range[1]);
    }
  }
  const node = deepestNode(doc, path);
  const range = node?.range;
  if (range) {
    if (isScalar(node)) return toRange(lines, range[0], range[1]);
    // A map or list spans many lines: underline only its first line.
    const nextLineStart = lines.lineStarts[lines.linePos(range[0]).line];
    const end = nextLineStart === undefined ? range[1] : Math.min(range[1], nextLineStart - 1);
    return toRange(lines, range[0], end);
  }
  return { line: 1, column: 1, endLine: 1, endColumn: 1 };
}
