/**
 * The one stylesheet, inline in every page (no request, nothing to cache-bust; about 1 KB):
 * a readable column on a phone (viewport meta, relative sizes), the reader's dark mode, and a
 * print layout without navigation that prints each link's address after it.
 */
export const PAGE_STYLE = [
  ':root{color-scheme:light dark}',
  'body{font:1.05rem/1.6 Georgia,"Times New Roman",serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}',
  'header,footer,nav,.meta,.date{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:.9rem}',
  'header{border-bottom:1px solid #ccc;margin-bottom:1rem}',
  'footer{border-top:1px solid #ccc;margin-top:2rem}',
  'h1{font-size:1.8rem;line-height:1.2;margin:.5rem 0}',
  'h2{font-size:1.25rem;line-height:1.3}',
  'a{color:#0645ad}',
  '.meta,.date{color:#555}',
  'ol.list{list-style:none;padding:0}',
  'ol.list li{margin:0 0 1.2rem}',
  'ol.list p{margin:.2rem 0}',
  'nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}',
  '@media (prefers-color-scheme:dark){body{color:#e6e6e6;background:#121212}a{color:#8ab4f8}.meta,.date{color:#aaa}}',
  '@media print{header,footer,nav{display:none}body{max-width:none;color:#000;background:#fff;font-size:11pt}a{color:#000}main a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}}',
].join('\n');
