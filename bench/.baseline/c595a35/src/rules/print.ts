import { isLeaf, type LeafNode, type QueryNode } from './ast.js';
import { DEFAULT_NEAR_DISTANCE } from './lexer.js';

/**
 * Prints an AST as a query that parses back to the same AST: every compound operand is
 * parenthesised and every leaf carries its own field.
 */
export function printQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'and':
      return node.children.map(printOperand).join(' AND ');
    case 'or':
      return node.children.map(printOperand).join(' OR ');
    case 'not':
      return `NOT ${printOperand(node.child)}`;
    case 'near': {
      const name = node.ordered ? 'ONEAR' : 'NEAR';
      const operator = node.distance === DEFAULT_NEAR_DISTANCE ? name : `${name}/${node.distance}`;
      return `${printOperand(node.left)} ${operator} ${printOperand(node.right)}`;
    }
    default:
      return printLeaf(node);
  }
}

function printOperand(node: QueryNode): string {
  return isLeaf(node) ? printLeaf(node) : `(${printQuery(node)})`;
}

/** The leaf as the user would write it, without its field (used in explanations too). */
export function printTerm(node: LeafNode): string {
  switch (node.kind) {
    case 'term':
      return node.word;
    case 'phrase':
      return `"${node.words.join(' ')}"`;
    case 'wildcard':
      return node.pattern;
    case 'regex':
      return `/${escapeSlashes(node.source)}/`;
    case 'keyword':
      // Quote what the lexer would otherwise read as a field, a negation, a regex or a split.
      return /[\s()":]|^[-/]/.test(node.value) ? `"${node.value}"` : node.value;
  }
}

function printLeaf(node: LeafNode): string {
  const prefix = node.field === 'default' ? '' : `${node.field}:`;
  return prefix + printTerm(node);
}

/** Escapes bare slashes, leaving existing escape pairs (`\\`, `\d`) alone. */
function escapeSlashes(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\\' && i + 1 < source.length) {
      out += ch + (source[i + 1] as string);
      i++;
    } else {
      out += ch === '/' ? '\\/' : ch;
    }
  }
  return out;
}
