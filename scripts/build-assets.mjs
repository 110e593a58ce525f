// Builds the front-end assets into src/orchestrator/static/dist/: the branded stylesheet, GOV.UK Frontend's
// JavaScript and images, and axe-core for the accessibility tests. Built assets are never committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
writeFileSync(join(out, "orchestrator.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// Images only: the fonts are GDS Transport, reserved for GOV.UK; the crest and crown stay out too.
mkdirSync(join(out, "assets", "images"), { recursive: true });
for (const name of ["favicon.ico", "favicon.svg"]) {
  cpSync(join(govuk, "assets", "images", name), join(out, "assets", "images", name));
}
cpSync(join(root, "frontend", "orchestrator-mark.svg"), join(out, "assets", "images", "orchestrator-mark.svg"));
cpSync(join(root, "node_modules", "axe-core", "axe.min.js"), join(out, "axe.min.js"));
console.log(`built front-end assets in ${out}`);
