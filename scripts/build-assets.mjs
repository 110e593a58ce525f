// Builds the front-end assets into src/orchestrator/static/dist/: the branded stylesheet, GOV.UK Frontend's
// JavaScript, the icons (favicon, app icons for the web app manifest) drawn from our own mark, the
// service worker's registration script, the dependency maps' scripts, and axe-core for the accessibility tests. Built assets are
// never committed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "src", "orchestrator", "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });

const result = sass.compile(join(root, "frontend", "orchestrator.scss"), {
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
  style: "compressed",
});
if (result.css.includes("GDS Transport") || result.css.includes("govuk-crest")) {
  throw new Error("The stylesheet uses GDS Transport or the crest, which are reserved for GOV.UK.");
}
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// Nothing from GOV.UK Frontend's assets: its fonts are GDS Transport and its favicons and app icons
// are the crown, all reserved for GOV.UK. Our icons are drawn from our own mark instead.
mkdirSync(join(out, "assets", "images"), { recursive: true });
cpSync(join(root, "frontend", "orchestrator-mark.svg"), join(out, "assets", "images", "orchestrator-mark.svg"));
await buildIcons();
cpSync(join(root, "frontend", "register-service-worker.js"), join(out, "register-service-worker.js"));
cpSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(out, "axe.min.js"));
// The dependency maps: cytoscape.js, ELK (its layered layout, bundled to run without a worker) and
// the adapter between them, as plain scripts the map page loads in order, then our own.
cpSync(join(root, "node_modules", "cytoscape", "dist", "cytoscape.min.js"), join(out, "cytoscape.min.js"));
cpSync(join(root, "node_modules", "elkjs", "lib", "elk.bundled.js"), join(out, "elk.bundled.js"));
cpSync(join(root, "node_modules", "cytoscape-elk", "dist", "cytoscape-elk.js"), join(out, "cytoscape-elk.js"));
cpSync(join(root, "frontend", "dependency-map.js"), join(out, "dependency-map.js"));
// The stylesheet last: `make` takes it as the sign that the whole build finished.
writeFileSync(join(out, "orchestrator.css"), result.css);
console.log(`built front-end assets in ${out}`);

// The icons: favicon (SVG and ICO), the web app manifest's icons (any and maskable, 192 and 512 px,
// and the SVG) and the apple-touch-icon, all drawn from frontend/orchestrator-mark.svg and rasterised
// by resvg (WebAssembly: no native binary, no browser). See docs/decisions/0004-icons-from-our-mark.md.
async function buildIcons() {
  const require = createRequire(import.meta.url);
  await initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  const mark = readFileSync(join(root, "frontend", "orchestrator-mark.svg"), "utf8");
  const inner = mark.replace(/^\s*<svg[^>]*>/, "").replace(/<\/svg>\s*$/, "");
  const [navy, teal] = ["#0b3d5c", "#00796b"];
  if (!inner.includes(navy) || !inner.includes(teal)) {
    throw new Error("frontend/orchestrator-mark.svg no longer uses the brand's navy and teal.");
  }
  // `any`: the mark in its own colours on a white rounded square, as large as it will go.
  const any = icon(inner, { background: '<rect width="512" height="512" rx="96" fill="#ffffff"/>', scale: 0.86 });
  // `maskable`: full bleed, the mark reversed out of navy (as in the header) and kept inside the
  // safe zone, the circle of 40% radius that every launcher's mask leaves whole.
  const reversed = inner.replaceAll(navy, "#ffffff").replaceAll(teal, "#4dd0c1");
  const maskable = icon(reversed, { background: `<rect width="512" height="512" fill="${navy}"/>`, scale: 0.7 });

  const icons = join(out, "icons");
  mkdirSync(icons, { recursive: true });
  writeFileSync(join(icons, "icon.svg"), any);
  writeFileSync(join(out, "assets", "images", "favicon.svg"), any);
  for (const size of [192, 512]) {
    writeFileSync(join(icons, `icon-${size}.png`), png(any, size));
    writeFileSync(join(icons, `icon-maskable-${size}.png`), png(maskable, size));
  }
  // iOS fills transparency with black and rounds the corners itself: give it the full-bleed one.
  writeFileSync(join(icons, "apple-touch-icon.png"), png(maskable, 180));
  writeFileSync(join(out, "assets", "images", "favicon.ico"), ico([png(any, 32), png(any, 48)]));
}

function icon(inner, { background, scale }) {
  // The mark's viewBox is 36 wide; centre it on a 512 canvas at `scale` of the width.
  const size = 512 * scale;
  const offset = (512 - size) / 2;
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">' +
    background +
    `<g transform="translate(${offset} ${offset}) scale(${size / 36})">${inner}</g></svg>\n`
  );
}

function png(svg, size) {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: "width", value: size } }).render().asPng());
}

// An ICO file holding PNG images (understood by every browser since 2007): a 6-byte header, a
// 16-byte entry per image, then the images.
function ico(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach((data, i) => {
    const width = data.readUInt32BE(16); // from the PNG's IHDR chunk
    const entry = 6 + 16 * i;
    header.writeUInt8(width >= 256 ? 0 : width, entry);
    header.writeUInt8(width >= 256 ? 0 : width, entry + 1);
    header.writeUInt16LE(1, entry + 4); // colour planes
    header.writeUInt16LE(32, entry + 6); // bits per pixel
    header.writeUInt32LE(data.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...pngs]);
}
