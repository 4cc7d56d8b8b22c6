// Stands in for @pdf-lib/standard-fonts in the Worker bundle (wrangler.toml [alias]): the metrics of
// the 14 standard PDF fonts are ~95 KB of the gzipped upload, and the PDFs never use them (they draw
// in DejaVu Sans, src/pdf/layout.ts). pdf-lib reads FontNames when it loads; asking it for a standard
// font (embedStandardFont, or drawText without a font) fails here with this message. Node keeps the
// real package.
export enum FontNames {
  Courier = 'Courier',
  CourierBold = 'Courier-Bold',
  CourierOblique = 'Courier-Oblique',
  CourierBoldOblique = 'Courier-BoldOblique',
  Helvetica = 'Helvetica',
  HelveticaBold = 'Helvetica-Bold',
  HelveticaOblique = 'Helvetica-Oblique',
  HelveticaBoldOblique = 'Helvetica-BoldOblique',
  TimesRoman = 'Times-Roman',
  TimesRomanBold = 'Times-Bold',
  TimesRomanItalic = 'Times-Italic',
  TimesRomanBoldItalic = 'Times-BoldItalic',
  Symbol = 'Symbol',
  ZapfDingbats = 'ZapfDingbats',
}

export const Encodings = {}

export const Font = {
  load(name: string): never {
    throw new Error(`The standard PDF font ${name} is not in the Worker bundle (src/unreached/standard-fonts.ts): draw with the embedded DejaVu Sans`)
  },
}
