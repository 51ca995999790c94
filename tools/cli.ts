// The one command-line layer every tool in tools/ uses (render, estimate, blast-radius, schema,
// gen:config, build:catalog). Built on commander; the API is deliberately small:
//
//   const cmd = createCommand("render", "what it does")       // a commander Command, plus --debug
//       .argument("<stack>", "...").option("--out <dir>", "...");
//   runCli(cmd, async (stack, opts) => { ... throw new UserError("...") ... });
//
// Contract (tests/cli/badInput.spec.ts holds every tool to it):
// - `--help` on every command; exit 0.
// - A user error (unknown flag, missing value, unknown stack, bad config file, a folder the tool
//   did not create...) exits 2 and prints one line per problem, `error: ...`, all problems at
//   once, never a stack trace. Tools signal them by throwing UserError (or a class listed in
//   runCli's `userErrors`).
// - Anything else is a bug: exit 1, the message only; the stack trace with --debug.
// - Nothing the tool did not create is deleted or overwritten (OutputDir).
import { Command, CommanderError, InvalidArgumentError } from "commander";
import Table from "cli-table3";
import { closest, distance } from "fastest-levenshtein";
import * as fs from "fs";
import * as path from "path";

/** A problem the user can fix (bad argument, bad file, bad value): exit 2, one line per problem. */
export class UserError extends Error {
    /** One entry per problem; each is printed on its own line. */
    readonly problems: string[];
    constructor(problems: string | string[]) {
        const list = (Array.isArray(problems) ? problems : [problems]).flatMap((p) => p.split("\n")).filter((p) => p.trim() !== "");
        super(list.join("\n"));
        this.problems = list;
    }
}

/**
 * Collects every user error of a command's arguments, so all of them are reported at once:
 * `attempt` runs a check and keeps its UserError's problems instead of stopping at the first.
 */
export class ProblemList {
    readonly problems: string[] = [];
    attempt<T>(f: () => T): T | undefined {
        try {
            return f();
        } catch (e) {
            if (e instanceof UserError) {
                this.problems.push(...e.problems);
                return undefined;
            }
            throw e;
        }
    }
    push(...problems: string[]): void {
        this.problems.push(...problems);
    }
}

/**
 * The candidate nearest to `input` when it is near enough to be a likely typo, else undefined.
 */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
    if (candidates.length === 0 || input === "") {
        return undefined;
    }
    const best = closest(input, candidates as string[]);
    const d = distance(input.toLowerCase(), best.toLowerCase());
    // One edit for short names; from four characters, two (a swapped pair, "pord") or a third of the length.
    return d <= (input.length <= 3 ? 1 : Math.max(2, Math.floor(input.length / 3))) ? best : undefined;
}

/** `; did you mean "x"?` when a candidate is near `input`, else "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
    const near = nearest(input, candidates);
    return near === undefined ? "" : `; did you mean ${JSON.stringify(near)}?`;
}

/**
 * Pulumi's stack-name rule: 1 to 100 letters, digits, hyphens, underscores and periods
 * (https://www.pulumi.com/docs/iac/concepts/stacks/#create-stack; the regexp in pulumi/pulumi
 * pkg/backend/diy/backend.go). Checked before a name becomes part of a path (Pulumi.<stack>.yaml,
 * out/<stack>), so "../x" or "/etc" can never reach the file system.
 */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Throws UserError unless `name` is a valid Pulumi stack name (not "." or ".."). */
export function checkStackName(name: string): string {
    if (name.includes("/")) {
        throw new UserError(`invalid stack name ${JSON.stringify(name)}: give the stack's own name (as in Pulumi.<stack>.yaml), without organisation or project`);
    }
    if (!STACK_NAME.test(name) || name === "." || name === "..") {
        throw new UserError(`invalid stack name ${JSON.stringify(name)}: Pulumi stack names are 1 to 100 letters, digits, hyphens, underscores or periods`);
    }
    return name;
}

/** A table for the terminal (cli-table3), without colours so output stays plain text. */
export function table(head: string[], rows: (string | number)[][], align?: ("left" | "right")[]): string {
    const t = new Table({ head, style: { head: [], border: [] }, colAligns: align });
    t.push(...rows.map((r) => r.map(String)));
    return t.toString();
}

/** Reads a file the user named, as a UserError when it is missing or not a file. */
export function readUserFile(file: string, what: string): string {
    if (!fs.existsSync(file)) {
        throw new UserError(`${what} ${file} does not exist`);
    }
    if (!fs.statSync(file).isFile()) {
        throw new UserError(`${what} ${file} is not a file`);
    }
    return fs.readFileSync(file, "utf8");
}

/** Reads a JSON file the user named; syntax errors become one UserError line. */
export function readJsonFile(file: string, what: string): unknown {
    const text = readUserFile(file, what);
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new UserError(`${what} ${file} is not valid JSON: ${(e as Error).message}`);
    }
}

/** The file that marks a folder as written by one of these tools, listing what it wrote. */
export const OUT_MARKER = ".karpenter-spark-output.json";

/**
 * A folder a tool writes its output to. It refuses a folder that exists without the marker
 * (someone else's), and on a rerun removes only the files its own marker lists, so a file a user
 * put there survives.
 */
export class OutputDir {
    private readonly written: string[] = [];

    /** Checks the folder now (before any work), so a refusal costs nothing and writes nothing. */
    constructor(
        readonly dir: string,
        private readonly tool: string,
    ) {
        const problem = OutputDir.problem(dir, tool);
        if (problem) {
            throw new UserError(problem);
        }
    }

    /** Why `dir` may not be used as `tool`'s output folder, or undefined when it may. */
    static problem(dir: string, tool: string): string | undefined {
        if (!fs.existsSync(dir)) {
            return undefined;
        }
        if (!fs.statSync(dir).isDirectory()) {
            return `output folder ${dir} exists and is a file; give --out a new folder`;
        }
        const marker = path.join(dir, OUT_MARKER);
        let owner: string | undefined;
        try {
            owner = (JSON.parse(fs.readFileSync(marker, "utf8")) as { tool?: string }).tool;
        } catch {
            owner = undefined;
        }
        if (owner !== tool) {
            return `output folder ${dir} exists and was not written by ${tool} (no ${OUT_MARKER}); give --out a new folder or remove it yourself`;
        }
        return undefined;
    }

    /** Removes the files the previous run listed (and folders it left empty) and writes a fresh marker. */
    begin(): void {
        const marker = path.join(this.dir, OUT_MARKER);
        if (fs.existsSync(marker)) {
            const previous = (JSON.parse(fs.readFileSync(marker, "utf8")) as { files?: string[] }).files ?? [];
            for (const rel of previous) {
                const file = path.resolve(this.dir, rel);
                // Only inside the folder: the marker is a file someone could edit.
                if (file.startsWith(path.resolve(this.dir) + path.sep)) {
                    fs.rmSync(file, { force: true });
                }
            }
            for (const folder of [...new Set(previous.map((f) => path.dirname(f)))].filter((d) => d !== ".").sort().reverse()) {
                const abs = path.resolve(this.dir, folder);
                if (abs.startsWith(path.resolve(this.dir) + path.sep) && fs.existsSync(abs) && fs.readdirSync(abs).length === 0) {
                    fs.rmdirSync(abs);
                }
            }
        }
        fs.mkdirSync(this.dir, { recursive: true });
        this.saveMarker();
    }

    /**
     * Writes `rel` (a path inside the folder), recording it in the marker first, so that even an
     * interrupted run leaves a marker naming everything it wrote.
     */
    write(rel: string, content: string): void {
        const file = path.join(this.dir, rel);
        if (!this.written.includes(rel)) {
            this.written.push(rel);
            this.saveMarker();
        }
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }

    private saveMarker(): void {
        fs.writeFileSync(path.join(this.dir, OUT_MARKER), `${JSON.stringify({ tool: this.tool, files: this.written }, null, 2)}\n`);
    }
}

/** A commander argument parser for a whole number of at least 1 (`--runs 5`); commander names the flag in its error. */
export function positiveInteger(value: string): number {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
        throw new InvalidArgumentError(`got ${JSON.stringify(value)}; allowed: a whole number of at least 1`);
    }
    return n;
}

/** A commander Command with the shared behaviour: --debug, errors thrown (not printed) so runCli reports them. */
export function createCommand(name: string, description: string): Command {
    return new Command(name)
        .description(description)
        .option("--debug", "print stack traces of unexpected errors")
        .showSuggestionAfterError(true)
        .allowExcessArguments(false)
        .exitOverride()
        .configureOutput({ outputError: () => undefined });
}

export interface RunOptions {
    /** Error classes (besides UserError) that mean bad user input, e.g. a library's own validation error. */
    userErrors?: (abstract new (...args: any[]) => Error)[];
    /** The arguments; process.argv by default. */
    argv?: string[];
}

/** Writes the problems of a user error, one `error:` line each. */
function reportUserError(problems: string[]): void {
    for (const p of problems) {
        process.stderr.write(`error: ${p.replace(/\s*\n\s*/g, " ")}\n`);
    }
}

/**
 * Parses argv with `cmd`, runs `action(...positionals, options)` and exits: 0 on success, 2 on a
 * user error (one line per problem), 1 on anything else (stack trace only with --debug).
 */
export function runCli<A extends unknown[]>(cmd: Command, action: (...args: [...A, Record<string, any>]) => Promise<void | number> | void | number, o: RunOptions = {}): void {
    // An action may return an exit code: 1 for a finding CI must stop on (a policy violation, a
    // dangerous replacement), as opposed to 2 for bad input.
    let code = 0;
    cmd.action(async (...args: unknown[]) => {
        // commander passes the positionals, then the options, then the command itself.
        const opts = args[args.length - 2] as Record<string, any>;
        code = (await action(...(args.slice(0, -2) as A), opts)) ?? 0;
    });
    const debug = (o.argv ?? process.argv).includes("--debug");
    cmd.parseAsync(o.argv ?? process.argv).then(
        () => process.exit(code),
        (e: unknown) => {
            if (e instanceof CommanderError) {
                if (e.exitCode === 0) {
                    process.exit(0); // --help, --version
                }
                // commander's message is "error: ..." with a suggestion on a second line.
                reportUserError([e.message.replace(/^error:\s*/, "").replace(/\s*\n\s*\(?Did you mean (.*?)\)?\s*$/s, "; did you mean $1")]);
                process.exit(2);
            }
            if (e instanceof UserError || (o.userErrors ?? []).some((c) => e instanceof c)) {
                reportUserError(e instanceof UserError ? e.problems : (e as Error).message.split("\n"));
                if (debug) {
                    process.stderr.write(`${(e as Error).stack}\n`);
                }
                process.exit(2);
            }
            process.stderr.write(debug ? `${(e as Error)?.stack ?? e}\n` : `error: ${(e as Error)?.message ?? e} (a bug: rerun with --debug for the stack trace)\n`);
            process.exit(1);
        },
    );
}

/**
 * A generator of committed files from ../shared/fixtures (build:catalog, build:crds): refuses to
 * run without the fixtures (exit 2, one line), else runs `build`, which writes its files and
 * returns the line to print.
 */
export function runFixtureBuild(name: string, description: string, fixtures: string, build: () => string): void {
    runCli(createCommand(name, description), () => {
        if (!fs.existsSync(fixtures)) {
            throw new UserError(`${fixtures} does not exist: put the shared fixtures beside the repository (../shared/fixtures, see README.md)`);
        }
        console.log(build());
    });
}
