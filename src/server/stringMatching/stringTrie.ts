import { TOKEN_END, TOKEN_START } from './tokenBoundaries';

interface TrieNode {
  next: Map<number, TrieNode> | undefined;
  /** The string that ends at this node, when one does. */
  value: string | undefined;
}

const emptyNode = (): TrieNode => ({ next: undefined, value: undefined });

/**
 * A copy of the path from `root` along `s` with the value at its end set to `value`: every node on the
 * path is new, every node off it is shared (the trie `root` belongs to stays as it was).
 */
function withValue(root: TrieNode, s: string, value: string | undefined): TrieNode {
  const path: TrieNode[] = [root];
  for (let u = 0; u < s.length; u++) path.push(path[u].next?.get(s.charCodeAt(u)) ?? emptyNode());
  let child: TrieNode = { next: path[s.length].next, value };
  for (let u = s.length - 1; u >= 0; u--) {
    const next = new Map(path[u].next);
    next.set(s.charCodeAt(u), child);
    child = { next, value: path[u].value };
  }
  return child;
}

/**
 * The strings labelled in a dataset as a trie of UTF-16 units. Walking a text from each token start
 * follows the trie only as far as some string still matches (a step or two in most places), so
 * finding every labelled string in a record costs about its number of tokens, however many strings
 * are labelled. A trie never changes once made; `with` makes the next one cheaply.
 */
export class StringTrie {
  private root: TrieNode = emptyNode();
  private set = new Set<string>();

  constructor(strings: Iterable<string> = []) {
    for (const s of strings) this.insert(s);
  }

  /** Builds a trie a string at a time (the language server yields in between); `done` hands it over. */
  static builder(): { add(s: string): void; done(): StringTrie } {
    const trie = new StringTrie();
    let open = true;
    return {
      add: (s) => {
        if (!open) throw new Error('the trie was handed over already');
        trie.insert(s);
      },
      done: () => {
        open = false;
        return trie;
      },
    };
  }

  private insert(s: string): void {
    if (s.length === 0 || this.set.has(s)) return;
    this.set.add(s);
    let node = this.root;
    for (let u = 0; u < s.length; u++) {
      node.next ??= new Map();
      const c = s.charCodeAt(u);
      let child = node.next.get(c);
      if (!child) {
        child = emptyNode();
        node.next.set(c, child);
      }
      node = child;
    }
    node.value = s;
  }

  get strings(): ReadonlySet<string> {
    return this.set;
  }

  /**
   * This trie with `added` and without `removed`, sharing every node off their paths with this one
   * (which stays as it is): one labelled string more costs its length, not the whole trie.
   */
  with(added: Iterable<string>, removed: Iterable<string>): StringTrie {
    const out = new StringTrie();
    out.set = new Set(this.set);
    out.root = this.root;
    for (const s of removed) if (out.set.delete(s)) out.root = withValue(out.root, s, undefined);
    for (const s of added) {
      if (s.length === 0 || out.set.has(s)) continue;
      out.set.add(s);
      out.root = withValue(out.root, s, s);
    }
    return out;
  }

  get size(): number {
    return this.set.size;
  }

  /** Whether the trie holds exactly these strings (then its walks and counts stay valid). */
  holdsExactly(strings: ReadonlyMap<string, unknown>): boolean {
    if (strings.size !== this.set.size) return false;
    for (const s of strings.keys()) if (!this.set.has(s)) return false;
    return true;
  }

  /** Whether any string of the trie occurs in `text` at all, token boundaries aside (a cheap first test). */
  occursIn(text: string): boolean {
    const rootNext = this.root.next;
    if (this.set.size === 0 || !rootNext) return false;
    for (let start = 0; start < text.length; start++) {
      let node = rootNext.get(text.charCodeAt(start));
      for (let u = start + 1; node; u++) {
        if (node.value !== undefined) return true;
        if (u >= text.length || !node.next) break;
        node = node.next.get(text.charCodeAt(u));
      }
    }
    return false;
  }

  /**
   * Calls `visit(start, end, value)` for every occurrence in `text` of a string of the trie that starts
   * where a token starts and ends where a token ends (`bounds`: tokenBoundaries of the text). Offsets are
   * UTF-16, end exclusive; occurrences may overlap.
   */
  walk(text: string, bounds: Uint8Array, visit: (start: number, end: number, value: string) => void): void {
    const rootNext = this.root.next;
    if (this.set.size === 0 || !rootNext) return;
    for (let start = 0; start < text.length; start++) {
      if ((bounds[start] & TOKEN_START) === 0) continue;
      let node = rootNext.get(text.charCodeAt(start));
      for (let u = start + 1; node; u++) {
        if (node.value !== undefined && (bounds[u] & TOKEN_END) !== 0) visit(start, u, node.value);
        if (u >= text.length || !node.next) break;
        node = node.next.get(text.charCodeAt(u));
      }
    }
  }
}
