// The package's source entry point: Pulumi's component analyser (which `pulumi package add` runs
// for Python, Go, .NET and YAML consumers) starts here, with tsconfig.json scoped to components/.
// The Pulumi program of this repository is program.ts.
export * from "./components";
