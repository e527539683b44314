import { Injectable } from '@nestjs/common';
import { ProblemError } from '@skills/service-runtime';
import { readFileSync } from 'node:fs';

/** Debian's fonts-noto-cjk: a TrueType collection whose simplified-Chinese face the PDFs use. */
export const DEFAULT_PDF_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** The face picked out of a collection (.ttc, PDF_FONT_FACE to name another); a single-face font file ignores it. */
const DEFAULT_COLLECTION_FACE = 'NotoSansCJKsc-Regular';

export interface PdfFontFile {
  path: string;
  /** The face to take from a TrueType collection, undefined for a single-face file. */
  face: string | undefined;
  /** The file's bytes, read once: a collection is some 20 MB, too much to read for every PDF. */
  data: Buffer;
}

/**
 * The CJK font the PDFs are set in: PDF_FONT (a path), by default the Noto Sans CJK of fonts-noto-cjk.
 * Read once it is there, and looked for on each request until then, so installing the package mends a
 * running service; missing, it is a 503 saying what to install (the PDFs cannot show Chinese without
 * it), never a 500.
 */
@Injectable()
export class PdfFont {
  private readonly path = process.env.PDF_FONT || DEFAULT_PDF_FONT;
  private data?: Buffer;

  file(): PdfFontFile {
    try {
      this.data ??= readFileSync(this.path);
    } catch {
      throw fontMissing(`the CJK font for PDFs (PDF_FONT, ${this.path}) is not installed: install Debian's fonts-noto-cjk or set PDF_FONT to a CJK font file`);
    }
    return { path: this.path, face: this.path.toLowerCase().endsWith('.ttc') ? process.env.PDF_FONT_FACE || DEFAULT_COLLECTION_FACE : undefined, data: this.data };
  }
}

/** 503 pdf_font_missing: no PDF can be set without the font (the file, or the face a collection is asked for). */
export function fontMissing(detail: string): ProblemError {
  return new ProblemError({ type: 'urn:skills:rule:pdf_font_missing', title: 'Service unavailable', status: 503, detail, rule: 'pdf_font_missing' });
}
