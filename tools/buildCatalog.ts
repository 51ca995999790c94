// `npm run build:catalog`: rewrites cost/instance-catalog.json from ../shared/fixtures/ec2.
import * as fs from "fs";
import * as path from "path";
import { buildCatalog, CATALOG_FILE, FIXTURES } from "../cost/buildCatalog";
import { createCommand, runCli, UserError } from "./cli";

if (require.main === module) {
    runCli(createCommand("build:catalog", "Rebuild cost/instance-catalog.json from the EC2 facts in ../shared/fixtures/ec2."), () => {
        if (!fs.existsSync(FIXTURES)) {
            throw new UserError(`${FIXTURES} does not exist: put the shared fixtures beside the repository (../shared/fixtures, see README.md)`);
        }
        const catalog = buildCatalog();
        fs.writeFileSync(CATALOG_FILE, `${JSON.stringify(catalog)}\n`);
        console.log(
            `wrote ${path.relative(process.cwd(), CATALOG_FILE)}: ${Object.keys(catalog.types).length} instance types, ` +
                `${Object.keys(catalog.spot).length} Spot Advisor regions, ${Object.keys(catalog.onDemandMultipliers).length} on-demand price regions ` +
                `(${(fs.statSync(CATALOG_FILE).size / 1024).toFixed(0)} KiB)`,
        );
    });
}
