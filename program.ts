// The Pulumi program. Pulumi calls the exported function and publishes what it resolves to as
// the stack's outputs; `npm run render -- <stack>` runs the same function under mocks.
import { runStack } from "./stacks/platform";

export = runStack;
