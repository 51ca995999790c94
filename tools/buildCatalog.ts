// `npm run build:catalog`: rewrites components/catalog/instance-catalog.json from ../shared/fixtures/ec2.
import * as fs from "fs";
import * as path from "path";
import { buildCatalog, CATALOG_FILE, FIXTURES } from "../cost/buildCatalog";
import { runFixtureBuild } from "./cli";
import { ROOT } from "./stackFiles";

if (require.main === module) {
    runFixtureBuild("build:catalog", `Rebuild ${path.relative(ROOT, CATALOG_FILE)} from the EC2 facts in ../shared/fixtures/ec2.`, FIXTURES, () => {
        const catalog = buildCatalog();
        fs.writeFileSync(CATALOG_FILE, `${JSON.stringify(catalog)}\n`);
        return (
            `wrote ${path.relative(process.cwd(), CATALOG_FILE)}: ${Object.keys(catalog.types).length} instance types, ` +
            `${Object.keys(catalog.spot).length} Spot Advisor regions, ${Object.keys(catalog.onDemandMultipliers).length} on-demand price regions ` +
            `(${(fs.statSync(CATALOG_FILE).size / 1024).toFixed(0)} KiB)`
        );
    });
}
