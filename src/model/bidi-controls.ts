/**
 * Unicode's explicit bidirectional embeddings, overrides and isolates (LRE…RLO, LRI…PDI): the
 * characters that make "‮txt.exe" spoofing work. Plain right-to-left text needs none of them.
 * Normalization warns of them (TEXT_BIDI_CONTROLS); pages isolate a title holding one
 * (render/bidi-isolate.ts). The gate keeps its own copy (validate/page-words.ts).
 */
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export const hasBidiControls = (text: string): boolean => /[\u202A-\u202E\u2066-\u2069]/.test(text);
