// `npm run bench:timings [-- --runs N] [--skip-tests]`: wall time and peak memory of what a user
// runs (render, estimate, the test suite), the schema analysis, and the package size. Every
// figure the project reports comes from here.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createCommand, positiveInteger, runCli } from "../tools/cli";

const ROOT = path.join(__dirname, "..");
const TIME = "/usr/bin/time"; // GNU time (Debian package "time"), for peak RSS

interface Measure {
    what: string;
    runs: number;
    medianSeconds: number;
    maxSeconds: number;
    peakRssMiB?: number;
}

function measure(what: string, command: string[], runs: number): Measure {
    const seconds: number[] = [];
    let peak: number | undefined;
    for (let i = 0; i < runs; i++) {
        const useTime = fs.existsSync(TIME);
        const started = process.hrtime.bigint();
        const r = spawnSync(useTime ? TIME : command[0], useTime ? ["-f", "%M", ...command] : command.slice(1), { cwd: ROOT, encoding: "utf8" });
        seconds.push(Number(process.hrtime.bigint() - started) / 1e9);
        if (r.status !== 0) {
            throw new Error(`${what} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
        }
        if (useTime) {
            // GNU time reports the peak RSS of the largest process in the tree, in KiB.
            const kib = Number(r.stderr.trim().split("\n").pop());
            peak = Math.max(peak ?? 0, kib / 1024);
        }
    }
    const sorted = [...seconds].sort((a, b) => a - b);
    return { what, runs, medianSeconds: sorted[Math.floor(sorted.length / 2)], maxSeconds: sorted[sorted.length - 1], peakRssMiB: peak };
}

function main(values: { runs: number; skipTests?: boolean; json?: boolean }) {
    const runs = values.runs;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    const ts = [process.execPath, "-r", "ts-node/register/transpile-only"];
    const results: Measure[] = [
        measure("render dev (npm run render -- dev)", [...ts, "tools/render.ts", "dev", "--quiet", "--out", path.join(out, "dev")], runs),
        measure("render prod", [...ts, "tools/render.ts", "prod", "--config", 'karpenter-spark:endpointPublicAccessCidrs=["52.94.133.0/24"]', "--quiet", "--out", path.join(out, "prod")], runs),
        measure("estimate dev, spark-pi (npm run estimate -- dev)", [...ts, "tools/estimate.ts", "dev"], runs),
        measure("schema analysis (npm run schema)", [...ts, "-e", "require('./tools/schema').packageSchema()"], 1),
    ];
    if (!values.skipTests) {
        results.push(measure("test suite (npm test: tsc, then mocha on 2 workers)", ["npm", "test"], 1));
    }
    const [pack] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }));
    const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    if (values.json) {
        console.log(JSON.stringify({ machine, results, package: { file: pack.filename, bytes: pack.size, unpackedBytes: pack.unpackedSize, files: pack.entryCount } }, null, 2));
        return;
    }
    console.log(`Machine: ${machine}\n`);
    console.log("| what | runs | median s | max s | peak RSS MiB |\n|---|---|---|---|---|");
    for (const r of results) {
        console.log(`| ${r.what} | ${r.runs} | ${r.medianSeconds.toFixed(1)} | ${r.maxSeconds.toFixed(1)} | ${r.peakRssMiB?.toFixed(0) ?? "n/a"} |`);
    }
    console.log(`\nnpm package ${pack.filename}: ${(pack.size / 1024).toFixed(1)} KiB packed, ${(pack.unpackedSize / 1024).toFixed(1)} KiB unpacked, ${pack.entryCount} files`);
}

runCli(
    createCommand("bench:timings", "Time render, estimate, schema analysis and the test suite (median and max seconds, peak RSS), and size the npm package.")
        .option("--runs <n>", "how many runs of each command", positiveInteger, 3)
        .option("--skip-tests", "leave out the test suite")
        .option("--json", "print the result as JSON"),
    (opts: Record<string, any>) => main(opts as { runs: number; skipTests?: boolean; json?: boolean }),
);
