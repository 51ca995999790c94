// `npm run bench:plan [-- --runs N] [--json]`: how long `npm run plan -- dev` takes when nothing
// changed (dev against dev: two renders and the diff), the figure the plan's "under 10 s" rests
// on. It fails unless every run prints "no changes" and exits 0. Wall time depends on what else
// the machine runs, so the CPU time (user + system) and the load average are reported with it.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createCommand, positiveInteger, runCli } from "../tools/cli";

const ROOT = path.join(__dirname, "..");
const TIME = "/usr/bin/time"; // GNU time (Debian package "time"): wall, user and system seconds

interface Run {
    wallSeconds: number;
    cpuSeconds?: number;
    load1: number;
}

function once(args: string[]): Run {
    const command = [process.execPath, "-r", "ts-node/register/transpile-only", "tools/plan.ts", ...args];
    const useTime = fs.existsSync(TIME);
    const load1 = os.loadavg()[0];
    const started = process.hrtime.bigint();
    const r = spawnSync(useTime ? TIME : command[0], useTime ? ["-f", "%U %S", ...command] : command.slice(1), { cwd: ROOT, encoding: "utf8" });
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0 || !/^no changes \(\d+ resources unchanged\)$/m.test(r.stdout)) {
        throw new Error(`plan ${args.join(" ")} did not print "no changes" with exit 0 (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    const cpu = useTime ? r.stderr.trim().split("\n").pop()!.split(" ").map(Number) : undefined;
    return { wallSeconds, cpuSeconds: cpu ? cpu[0] + cpu[1] : undefined, load1 };
}

function main(values: { runs: number; json?: boolean }) {
    const runs = Array.from({ length: values.runs }, () => once(["dev"]));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const result = {
        what: "npm run plan -- dev (dev against dev, no change)",
        machine: `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), Node ${process.version}`,
        runs: runs.length,
        medianWallSeconds: median(runs.map((r) => r.wallSeconds)),
        maxWallSeconds: Math.max(...runs.map((r) => r.wallSeconds)),
        medianCpuSeconds: runs[0].cpuSeconds === undefined ? undefined : median(runs.map((r) => r.cpuSeconds!)),
        loadAverages: runs.map((r) => Number(r.load1.toFixed(1))),
    };
    if (values.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
    }
    console.log(`${result.what} on ${result.machine}`);
    console.log(`${result.runs} runs: median ${result.medianWallSeconds.toFixed(1)} s wall (max ${result.maxWallSeconds.toFixed(1)} s)` + (result.medianCpuSeconds === undefined ? "" : `, median ${result.medianCpuSeconds.toFixed(1)} s CPU (user + system)`) + `; 1-minute load average at each start: ${result.loadAverages.join(", ")}`);
}

runCli(
    createCommand("bench:plan", "Time `npm run plan -- dev` (dev against itself, no change): median wall and CPU seconds over fresh processes.")
        .option("--runs <n>", "how many runs", positiveInteger, 3)
        .option("--json", "print the result as JSON"),
    (opts: Record<string, any>) => main(opts as { runs: number; json?: boolean }),
);
