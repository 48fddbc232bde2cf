/** A stored article as the newsroom wrote it: bytes we never modify. */
export interface StoredArticle {
  /** Path relative to the working directory, with `/` separators. */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly sha256: string;
}

/** What a stored article's optional YAML front matter may say (it wins over inference). */
export interface FrontMatter {
  readonly title?: string;
  readonly section?: string;
  readonly date?: string;
  readonly updated?: string;
  readonly authors?: readonly string[];
  readonly tags?: readonly string[];
  readonly url?: string;
  readonly language?: string;
  readonly summary?: string;
  readonly id?: string;
  readonly draft?: boolean;
}
