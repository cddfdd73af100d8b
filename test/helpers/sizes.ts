/**
 * How long the product's files and functions are, read from the sources: a
 * small scanner that skips strings, template literals, regular expressions
 * and comments and pairs
 * braces, and calls a brace a function body when the text before it on its
 * line is a function, method or arrow-function head (not if/for/switch...).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../guest-kernel/loader/index.ts';

export interface FunctionSpan { file: string; line: number; lines: number; head: string }

const CONTROL = /^\s*(\}\s*)?(if|else|for|while|do|switch|try|catch|finally|return|case|default)\b/;
const HEAD = /(\bfunction\b[^{]*|=>\s*|\)\s*(:\s*[^{]+)?\s*)$/;

/** Source text with strings, template literals and comments blanked (newlines kept). */
function blank(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; out += '\n'; continue; }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const j = end < 0 ? src.length : end + 2;
      out += src.slice(i, j).replace(/[^\n]/g, ' ');
      i = j - 1;
      continue;
    }
    if (c === '/' && /(^|[(,=:[!&|?{};]|\breturn)\s*$/.test(out.slice(-20))) {
      let j = i + 1;
      for (let cls = false; j < src.length && src[j] !== '\n' && (cls || src[j] !== '/'); j++) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') cls = true;
        else if (src[j] === ']') cls = false;
      }
      out += `/${src.slice(i + 1, j).replace(/[^\n]/g, ' ')}/`;
      i = j;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out += c + src.slice(i + 1, j).replace(/[^\n]/g, ' ') + c;
      i = j;
      continue;
    }
    out += c;
  }
  return out;
}

/** Every function body of `file` (repository-relative) with its length in lines. */
export function functionSpans(file: string): FunctionSpan[] {
  const lines = blank(readFileSync(join(ROOT, file), 'utf8')).split('\n');
  const open: { line: number; fn: boolean; head: string }[] = [];
  const out: FunctionSpan[] = [];
  lines.forEach((text, n) => {
    for (let k = 0; k < text.length; k++) {
      if (text[k] === '{') {
        const head = text.slice(0, k);
        open.push({ line: n, fn: HEAD.test(head) && !CONTROL.test(head), head: head.trim() });
      } else if (text[k] === '}') {
        const o = open.pop();
        if (o?.fn) out.push({ file, line: o.line + 1, lines: n - o.line + 1, head: o.head });
      }
    }
  });
  return out;
}

export const lineCount = (file: string): number => readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1;
